/** The scheduling framework: extension-point interfaces, Status, CycleState, NodeInfo/PodInfo, Resource, Snapshot. */
export * from './cycle-state';
export * from './interfaces';
export * from './node-info';
export * from './pod-info';
export * from './resource';
export * from './snapshot';
export * from './status';
