/** The scheduler's configuration (KubeSchedulerConfiguration v1): load, defaults, merge, expansion, types. */
export * from './types';
export { loadSchedulerConfig, defaultSchedulerConfig } from './load';
export { IN_TREE_EXTENSION_POINTS, defaultMultiPoint, defaultArgs, DEFAULT_SCHEDULER_NAME } from './defaults';
export { expandPlugins, type PointsOf } from './expand';
export { mergePlugins, mergePluginSet } from './merge';
