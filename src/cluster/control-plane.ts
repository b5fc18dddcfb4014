/**
 * The stoppable control-plane components that run in this process beside the API server: the controller manager
 * and the scheduler. Each can be stopped and started again at runtime (what the UI and the tests use to see a
 * component's static pod go not Ready), and reports its health for componentstatuses and the static pods' probes.
 *
 * As kubeadm runs them (`--leader-elect=true`), each campaigns for its Lease in kube-system and works only while it
 * holds it (control-plane-election.ts): alone, a component wins at once; beside another control plane on the same
 * storage, one is active and the other a standby that takes over when the leader's Lease expires. A running
 * component is healthy whether it leads or stands by (as upstream's /healthz). Identities are `<hostname>_<uuid>`,
 * kept in `<dataDir>/leader-election.json` so that a control plane restarted after a crash takes its own unexpired
 * Lease back at once instead of waiting for it to expire.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../base/clock';
import { writeFileDurable } from '../base/durable-file';
import type { Logger, LogRecord } from '../base/logger';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { leaderElectionIdentity } from '../client/leaderelection';
import { CONTROLLER_MANAGER_USER, startControllerManager, type ControllerManager } from '../controllers/manager';
import { ESSENTIAL_CONTROLLERS, selectControllers, type RegistryOptions } from '../controllers/registry';
import type { SchedulerConfig } from '../scheduler/config/types';
import { SCHEDULER_USER, startScheduler } from '../scheduler/scheduler';
import { ComponentElection, type ElectionTiming } from './control-plane-election';
import { startSchedulerThread } from './scheduler-thread';

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
  /**
   * Run kube-scheduler in a thread of its own (scheduler-thread.ts) rather than on this event loop. Only with the
   * system clock: a thread cannot share a test's fake clock.
   */
  schedulerThread?: boolean;
  /** The level the logger logs at, for the records of components in other threads. */
  logLevel?: LogRecord['level'];
  leaderElection?: LeaderElectionOptions;
}

export interface LeaderElectionOptions extends ElectionTiming {
  /** false: the components run at once, without Leases (default true, kubeadm's --leader-elect=true). */
  enabled?: boolean;
  /** The identity both components campaign with (default: one `<hostname>_<uuid>` each, kept in the data dir). */
  identity?: string;
}

const ELECTION_FILE = 'leader-election.json';
const VERSION_AGENT = 'v1.32.0 (linux/amd64) kubernetes/kubelab';

/** The identities kept in the data dir (made and saved when missing; fresh ones when the file cannot be written). */
function storedIdentities(dataDir: string): Record<StoppableComponent, string> {
  const file = path.join(dataDir, ELECTION_FILE);
  let saved: Partial<Record<StoppableComponent, unknown>> = {};
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof saved;
  } catch {
    // first start (or an unreadable file): make new ones
  }
  const ids = {} as Record<StoppableComponent, string>;
  let made = false;
  for (const c of STOPPABLE) {
    const kept = saved[c];
    ids[c] = typeof kept === 'string' ? kept : leaderElectionIdentity();
    made ||= typeof kept !== 'string';
  }
  if (!made) return ids;
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileDurable(file, `${JSON.stringify(ids, null, 2)}\n`);
  } catch {
    // a read-only data dir: the identities last for this process only
  }
  return ids;
}

export class ControlPlane {
  private cm: ControllerManager | undefined;
  private sched: { close(): Promise<void>; readonly healthy?: boolean } | undefined;
  private readonly elections = new Map<StoppableComponent, ComponentElection>();

  constructor(private readonly o: ControlPlaneOptions) {
    const le = o.leaderElection ?? {};
    if (le.enabled === false) return;
    const ids = le.identity ? { 'kube-controller-manager': le.identity, 'kube-scheduler': le.identity } : storedIdentities(o.registry.dataDir);
    for (const c of STOPPABLE) {
      const sched = c === 'kube-scheduler';
      this.elections.set(
        c,
        new ComponentElection({
          name: c,
          identity: ids[c],
          handle: o.handle,
          user: sched ? SCHEDULER_USER : CONTROLLER_MANAGER_USER,
          userAgent: `${c}/${VERSION_AGENT}`,
          // kube-scheduler records leader election as its first profile's scheduler name.
          eventSource: sched ? (o.schedulerConfig?.profiles[0]?.schedulerName ?? 'default-scheduler') : c,
          clock: o.clock,
          logger: o.logger.child(c),
          timing: le,
          run: { start: () => this.startWork(c), stop: () => this.stopWork(c) },
        }),
      );
    }
  }

  get schedulerEnabled(): boolean {
    return this.o.schedulerConfig !== undefined;
  }

  /** The component is up: leading, or standing by for its Lease. */
  running(c: StoppableComponent): boolean {
    const e = this.elections.get(c);
    return e ? e.active : this.working(c);
  }

  /**
   * Running, and not down inside: kube-scheduler's thread may have died and be waiting for its restart (as a
   * crashed static pod's container), when its /healthz would not answer.
   */
  healthy(c: StoppableComponent): boolean {
    return this.running(c) && !(c === 'kube-scheduler' && this.sched?.healthy === false);
  }

  /** The component holds its Lease and works (always, when it runs without leader election). */
  leading(c: StoppableComponent): boolean {
    const e = this.elections.get(c);
    return e ? e.leading : this.working(c);
  }

  /** The component's leader election identity ('' without leader election). */
  identity(c: StoppableComponent): string {
    return this.elections.get(c)?.identity ?? '';
  }

  private working(c: StoppableComponent): boolean {
    return c === 'kube-scheduler' ? !!this.sched : !!this.cm;
  }

  /** Starts the component: it campaigns, and resolves once it works (won its Lease) or stands by. */
  async start(c: StoppableComponent): Promise<void> {
    if (c === 'kube-scheduler' && !this.o.schedulerConfig) throw new Error('kube-scheduler is turned off in this cluster');
    const e = this.elections.get(c);
    if (e) return e.start();
    return this.startWork(c);
  }

  private async startWork(c: StoppableComponent): Promise<void> {
    if (this.working(c)) return;
    const { handle, clock, logger } = this.o;
    if (c === 'kube-controller-manager') {
      this.cm = await startControllerManager({ handle, controllers: selectControllers(this.o.registry, this.o.controllers), logger: logger.child('kube-controller-manager'), clock });
      // The controllers every request depends on (default ServiceAccounts, RBAC aggregation) have caught up.
      await this.cm.idleOf(ESSENTIAL_CONTROLLERS);
    } else {
      if (!this.o.schedulerConfig) throw new Error('kube-scheduler is turned off in this cluster');
      const config = this.o.schedulerConfig;
      const slog = logger.child('kube-scheduler');
      if (this.o.schedulerThread) {
        try {
          this.sched = await startSchedulerThread({ handle, config, logger: slog, logLevel: this.o.logLevel });
          return;
        } catch (e) {
          // E.g. a bundle without dist/scheduler-worker.js: the scheduler still runs, on this event loop (a bad
          // configuration fails there the same way).
          slog.warn(`${e instanceof Error ? e.message : String(e)}; running kube-scheduler on the API server's thread instead`);
        }
      }
      this.sched = await startScheduler({ handle, config, clock, logger: slog });
    }
  }

  /**
   * Stops the component; with leader election it leaves the election after its work has stopped, releasing its
   * Lease unless `release` is false (a crash: the Lease is left to expire).
   */
  async stop(c: StoppableComponent, opts: { release?: boolean } = {}): Promise<void> {
    const e = this.elections.get(c);
    if (e) return e.stop(opts);
    return this.stopWork(c);
  }

  private async stopWork(c: StoppableComponent): Promise<void> {
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

  /** Stops both components; `release: false` leaves their Leases to expire, as a crashed control plane does. */
  async close(opts: { release?: boolean } = {}): Promise<void> {
    await this.stop('kube-scheduler', opts);
    await this.stop('kube-controller-manager', opts);
    for (const e of this.elections.values()) await e.close(opts);
  }
}
