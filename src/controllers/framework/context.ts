/**
 * ControllerContext: what the controller manager hands every controller it builds (upstream ControllerContext):
 * the shared informer factory (reads, as system:kube-controller-manager), an ApiClient per controller identity
 * (writes, as the controller's own ServiceAccount `kube-system/<name>`, so RBAC's `system:controller:<name>` roles
 * apply), an event recorder per controller (source component = the controller's name), the clock and a logger.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { EventRecorder } from '../../client/events';
import type { SharedInformerFactory } from '../../client/informers';
import type { ApiClient } from './api-client';

export interface ControllerContext {
  readonly informers: SharedInformerFactory;
  /** The API client of the controller whose ServiceAccount is `kube-system/<serviceAccount>`. */
  clientFor(serviceAccount: string): ApiClient;
  /** An event recorder whose source component is `component` (e.g. `replicaset-controller`), writing Events as
   * the ServiceAccount `serviceAccount` (default: the component's name). */
  recorderFor(component: string, serviceAccount?: string): EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What the controller manager runs: built with a context, then run once the informers have synced. */
export interface RunnableController {
  readonly name: string;
  run(workers: number): void;
  /** Resolves when nothing is queued or being synced. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}
