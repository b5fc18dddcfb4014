/**
 * The controller manager (kube-controller-manager): builds the enabled controllers with one shared context
 * (informers as system:kube-controller-manager; writes and Events as each controller's ServiceAccount), starts the
 * informers, waits for their caches, then runs every controller's workers. `idle()` resolves when no controller
 * has work queued or in progress (tests); `close()` stops the workers, informers, recorders and transports.
 */
import { systemClock, type Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse, UserInfo } from '../apiserver/request';
import { EventBroadcaster, type EventRecorder } from '../client/events';
import { SharedInformerFactory } from '../client/informers';
import { InProcessTransport } from '../client/in-process';
import type { Transport } from '../client/transport';
import { ApiClient } from './framework/api-client';
import type { ControllerContext, RunnableController } from './framework/context';

export const CONTROLLER_MANAGER_USER: UserInfo = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };

export function controllerIdentity(serviceAccount: string): UserInfo {
  return {
    name: `system:serviceaccount:kube-system:${serviceAccount}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  };
}

export interface ControllerFactory {
  /** Upstream's controller name (`replicaset`, `deployment`, …): what `--controllers` would list. */
  name: string;
  /** Concurrent syncs (upstream's --concurrent-*-syncs defaults). */
  workers: number;
  build(ctx: ControllerContext): RunnableController;
}

export interface ControllerManagerOptions {
  handle(req: ApiRequest): Promise<ApiResponse>;
  controllers: readonly ControllerFactory[];
  logger: Logger;
  clock?: Clock;
}

export interface ControllerManager {
  readonly context: ControllerContext;
  readonly controllers: readonly RunnableController[];
  idle(): Promise<void>;
  /** Resolves when the named controllers (those that run) have nothing queued or in progress. */
  idleOf(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

const USER_AGENT = 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/kubelab';

export async function startControllerManager(o: ControllerManagerOptions): Promise<ControllerManager> {
  const clock = o.clock ?? systemClock;
  const transports: Transport[] = [];
  const keep = <T extends Transport>(t: T) => (transports.push(t), t);
  const reads = keep(new InProcessTransport({ handle: o.handle, user: CONTROLLER_MANAGER_USER, userAgent: `${USER_AGENT}/shared-informers` }));
  const clients = new Map<string, ApiClient>();
  const broadcasters = new Map<string, EventBroadcaster>();
  const recorders: EventRecorder[] = [];
  const clientFor = (sa: string): ApiClient => {
    let c = clients.get(sa);
    if (!c) {
      c = new ApiClient(keep(new InProcessTransport({ handle: o.handle, user: controllerIdentity(sa), userAgent: `${USER_AGENT}/${sa}` })));
      clients.set(sa, c);
    }
    return c;
  };
  const informers = new SharedInformerFactory({ transport: reads, logger: o.logger.child('informers'), clock });
  const context: ControllerContext = {
    informers,
    clientFor,
    recorderFor: (component, sa = component) => {
      let b = broadcasters.get(sa);
      if (!b) {
        b = new EventBroadcaster({ transport: clientFor(sa).transport, logger: o.logger.child(`events ${sa}`), clock });
        broadcasters.set(sa, b);
      }
      const r = b.newRecorder({ component });
      recorders.push(r);
      return r;
    },
    clock,
    logger: o.logger,
  };
  const built: RunnableController[] = [];
  const close = async () => {
    await Promise.all(built.map((c) => c.stop()));
    informers.stop();
    for (const b of broadcasters.values()) b.close();
    for (const t of transports) t.close();
  };
  try {
    for (const f of o.controllers) built.push(f.build({ ...context, logger: o.logger.child(f.name) }));
    informers.start();
    await informers.waitForCacheSync();
  } catch (e) {
    await close();
    throw e;
  }
  o.controllers.forEach((f, i) => built[i].run(f.workers));
  return {
    context,
    controllers: built,
    idle: async () => {
      await Promise.all(built.map((c) => c.idle()));
      await Promise.all(recorders.map((r) => r.flush()));
    },
    idleOf: async (names) => {
      await Promise.all(built.filter((_c, i) => names.includes(o.controllers[i].name)).map((c) => c.idle()));
    },
    close,
  };
}
