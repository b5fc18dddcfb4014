/** The DaemonSet controller and its factory (`daemonset`, 2 workers, as kube-controller-manager's defaults). */
import type { ControllerFactory } from '../manager';
import { DaemonSetController } from './daemonset-controller';

export { DaemonSetController, DAEMONSET_EVENT_COMPONENT, DAEMONSET_SERVICE_ACCOUNT, SELECTING_ALL_REASON } from './daemonset-controller';
export { nodeShouldRunDaemonPod, type NodeVerdict } from './node-should-run';
export { BURST_REPLICAS } from './sync-nodes';

export const daemonSetControllerFactory: ControllerFactory = {
  name: 'daemonset',
  workers: 2,
  build: (ctx) => new DaemonSetController(ctx, 'daemonset'),
};
