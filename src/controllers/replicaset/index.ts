/** The ReplicaSet controller and its factory (`replicaset`, 5 workers, as kube-controller-manager's defaults). */
import type { ControllerFactory } from '../manager';
import { REPLICA_SET } from './kinds';
import { ReplicaSetController } from './replica-set-controller';

export { ReplicaSetController, BURST_REPLICAS } from './replica-set-controller';
export { REPLICA_SET, REPLICATION_CONTROLLER } from './kinds';

export const replicaSetControllerFactory: ControllerFactory = {
  name: 'replicaset',
  workers: 5,
  build: (ctx) => new ReplicaSetController(REPLICA_SET, ctx, 'replicaset'),
};
