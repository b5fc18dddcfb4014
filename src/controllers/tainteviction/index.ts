/** The taint eviction controller (upstream pkg/controller/tainteviction). */
export * from './taint-eviction-controller';
export * from './tolerations';
export * from './timed-workers';
export * from './pod-conditions';
