/**
 * The Cluster view's pure logic (no vscode): the tree model (nodes, namespaces → workloads → pods) fed by informer
 * events, kubectl-like status/description/icons, `kubectl describe` documents and "Why this node", and the node and
 * workload actions over a Transport. src/vscode wraps it in a TreeDataProvider, documents and commands.
 */
export { ClusterTreeModel } from './cluster-tree';
export type { ClusterTreeItem, Collapsible, WatchEventType } from './cluster-tree';
export * from './ids';
export { nodeIcon, nodeSummary, podIcon, podSummary, workloadSummary } from './status';
export type { NodeReadiness, NodeSummary, PodSummary, WorkloadSummary } from './status';
export { NodeUsageIndex, nodeDescription } from './node-usage';
export { describe, whyThisNode, rfc1123z, TabWriter, PrefixWriter } from './describe';
export type { DescribeContext } from './describe';
export { containersOf, cordon, deleteObject, restartRollout, rfc3339, scale, uncordon } from './actions';
export type { ActionsOptions, ContainerChoice } from './actions';
export { drain, drainPlan } from './drain';
export type { DrainOptions } from './drain';
export { followLogs, readLogs } from './logs';
export type { FollowOptions, LogOptions } from './logs';
export { ApiCallError } from './rest';
