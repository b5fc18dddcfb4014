/** The node lifecycle controller (upstream pkg/controller/nodelifecycle). */
export * from './node-lifecycle-controller';
export * from './options';
export * from './node-health';
export * from './node-taints';
export * from './zones';
export * from './disruption';
export * from './noexecute-tainter';
