/** The scheduling queue: PriorityQueue (activeQ, backoffQ, unschedulablePods), nominator, cluster events, hints. */
export * from './backoff';
export * as ClusterEvents from './events';
export { eventMatches, isPodUpdated, isWildCard, podSchedulingPropertiesChange } from './events';
export { Heap } from './heap';
export { podKey } from './keys';
export { Nominator } from './nominator';
export * from './queueing-hints';
export * from './requeue-strategy';
export { SchedulingQueue } from './scheduling-queue';
export { UnschedulablePods } from './unschedulable-pods';
export * from './options';
export { ActiveQueue } from './active-queue';
