/**
 * Every controller KubeLab's controller manager runs (kube-controller-manager's default set, as far as built),
 * in start order.
 */
import type { ControllerFactory } from './manager';
import { replicaSetControllerFactory } from './replicaset';
import { replicationControllerFactory } from './replication';

export function allControllerFactories(): ControllerFactory[] {
  return [replicaSetControllerFactory, replicationControllerFactory];
}
