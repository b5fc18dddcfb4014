/**
 * The stoppable control-plane components that run in this process beside the API server: the controller manager
 * and the scheduler. Each can be stopped and started again at runtime (what the UI and the tests use to see a
 * component's static pod go not Ready), and reports its health for componentstatuses and the static pods' probes.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { startControllerManager, type ControllerManager } from '../controllers/manager';
import { ESSENTIAL_CONTROLLERS, selectControllers, type RegistryOptions } from '../controllers/registry';
import type { SchedulerConfig } from '../scheduler/config/types';
import { startScheduler, type RunningScheduler } from '../scheduler/scheduler';

export type StoppableComponent = 'kube-controller-manager' | 'kube-scheduler';
export const STOPPABLE: readonly StoppableComponent[] = ['kube-controller-manager', 'kube-scheduler'];

export interface ControlPlaneOptions {
  handle(req: ApiRequest): Promise<ApiResponse>;
  clock: Clock;
  logger: Logger;
  registry: RegistryOptions;
  controllers?: readonly string[];
  /** Undefined: the scheduler is turned off. */
  schedulerConfig?: SchedulerConfig;
}

export class ControlPlane {
  private cm: ControllerManager | undefined;
  private sched: RunningScheduler | undefined;

  constructor(private readonly o: ControlPlaneOptions) {}

  get schedulerEnabled(): boolean {
    return this.o.schedulerConfig !== undefined;
  }

  running(c: StoppableComponent): boolean {
    return c === 'kube-scheduler' ? !!this.sched : !!this.cm;
  }

  async start(c: StoppableComponent): Promise<void> {
    if (this.running(c)) return;
    const { handle, clock, logger } = this.o;
    if (c === 'kube-controller-manager') {
      this.cm = await startControllerManager({ handle, controllers: selectControllers(this.o.registry, this.o.controllers), logger: logger.child('kube-controller-manager'), clock });
      // The controllers every request depends on (default ServiceAccounts, RBAC aggregation) have caught up.
      await this.cm.idleOf(ESSENTIAL_CONTROLLERS);
    } else {
      if (!this.o.schedulerConfig) throw new Error('kube-scheduler is turned off in this cluster');
      this.sched = await startScheduler({ handle, config: this.o.schedulerConfig, clock, logger: logger.child('kube-scheduler') });
    }
  }

  async stop(c: StoppableComponent): Promise<void> {
    if (c === 'kube-scheduler') {
      const s = this.sched;
      this.sched = undefined;
      await s?.close();
    } else {
      const m = this.cm;
      this.cm = undefined;
      await m?.close();
    }
  }

  async controllersIdle(): Promise<void> {
    await this.cm?.idle();
  }

  async close(): Promise<void> {
    await this.stop('kube-scheduler');
    await this.stop('kube-controller-manager');
  }
}
