/**
 * The ReplicationController controller (`replicationcontroller`, 5 workers): upstream runs the ReplicaSet
 * controller's code for ReplicationControllers through an adapter; so does KubeLab (see ../replicaset/kinds.ts).
 */
import type { ControllerFactory } from '../manager';
import { REPLICATION_CONTROLLER, ReplicaSetController } from '../replicaset';

export const replicationControllerFactory: ControllerFactory = {
  name: 'replicationcontroller',
  workers: 5,
  build: (ctx) => new ReplicaSetController(REPLICATION_CONTROLLER, ctx, 'replicationcontroller'),
};
