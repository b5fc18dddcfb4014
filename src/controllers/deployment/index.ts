/** The Deployment controller: factory, controller class and the pure rollout arithmetic (for tests and tools). */
export { deploymentControllerFactory, DeploymentController, MAX_RETRIES } from './controller';
export { computeHash, fnv1a32 } from './hash';
export { maxSurge, maxUnavailable, resolveFenceposts, valueFromIntOrPercent, newRSNewReplicas } from './fenceposts';
export { calculateStatus } from './status';
export { rolloutStatus, progressRequeueMs } from './progress';
export * from './types';
