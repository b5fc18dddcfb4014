/** Leader election (client-go tools/leaderelection) over a coordination.k8s.io/v1 Lease. */
export * from './record';
export * from './lease-lock';
export * from './leader-elector';
export * from './identity';
