/**
 * Upstream 1.32 defaults: the default profile's multiPoint plugins in upstream order with their weights
 * (getDefaultPlugins; NodeCost, ours, is not enabled by default), the extension points each in-tree plugin
 * implements (what the framework finds by type assertion upstream), and the plugin args defaulting
 * (SetDefaults_*Args) that upstream applies to the pluginConfig of every enabled plugin that has an args type.
 */
import type { ExtensionPoint, PluginRef } from './types';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const API_VERSION = 'kubescheduler.config.k8s.io/v1';

export function defaultMultiPoint(): PluginRef[] {
  return [
    { name: 'SchedulingGates' },
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'VolumeRestrictions' },
    { name: 'NodeVolumeLimits' },
    { name: 'VolumeBinding' },
    { name: 'VolumeZone' },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'ImageLocality', weight: 1 },
    { name: 'DefaultBinder' },
  ];
}

export const IN_TREE_EXTENSION_POINTS: Readonly<Record<string, readonly ExtensionPoint[]>> = {
  SchedulingGates: ['preEnqueue'],
  PrioritySort: ['queueSort'],
  NodeUnschedulable: ['filter'],
  NodeName: ['filter'],
  TaintToleration: ['filter', 'preScore', 'score'],
  NodeAffinity: ['preFilter', 'filter', 'preScore', 'score'],
  NodePorts: ['preFilter', 'filter'],
  NodeResourcesFit: ['preFilter', 'filter', 'preScore', 'score'],
  VolumeRestrictions: ['preFilter', 'filter'],
  NodeVolumeLimits: ['preFilter', 'filter'],
  VolumeBinding: ['preFilter', 'filter', 'reserve', 'preBind', 'preScore', 'score'],
  VolumeZone: ['preFilter', 'filter'],
  PodTopologySpread: ['preFilter', 'filter', 'preScore', 'score'],
  InterPodAffinity: ['preFilter', 'filter', 'preScore', 'score'],
  DefaultPreemption: ['postFilter'],
  NodeResourcesBalancedAllocation: ['preScore', 'score'],
  ImageLocality: ['score'],
  DefaultBinder: ['bind'],
  NodeCost: ['preScore', 'score'],
};

/** Plugins removed from v1 (validation's invalidPluginsByVersion). */
export const INVALID_PLUGINS = ['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits'];

type Args = Record<string, unknown>;
const defaultResources = () => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const withWeights = (rs: unknown) => (Array.isArray(rs) ? rs.map((r: { name?: string; weight?: number }) => ({ ...r, weight: r.weight ? r.weight : 1 })) : rs);

/** Plugins with an args type, and its defaulting (SetDefaults_<Plugin>Args); returns a new object. */
export const ARGS_DEFAULTERS: Readonly<Record<string, (a: Args) => Args>> = {
  DefaultPreemption: (a) => ({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100, ...a }),
  InterPodAffinity: (a) => ({ hardPodAffinityWeight: 1, ...a }),
  NodeAffinity: (a) => ({ ...a }),
  NodeResourcesBalancedAllocation: (a) => ({ ...a, resources: Array.isArray(a.resources) && a.resources.length ? withWeights(a.resources) : defaultResources() }),
  NodeResourcesFit: (a) => {
    const s = (a.scoringStrategy ?? { type: 'LeastAllocated', resources: defaultResources() }) as Args;
    const resources = Array.isArray(s.resources) && s.resources.length ? withWeights(s.resources) : defaultResources();
    return { ...a, scoringStrategy: { ...s, resources } };
  },
  PodTopologySpread: (a) => ({ ...a, defaultingType: a.defaultingType || 'System' }),
  VolumeBinding: (a) => ({ bindTimeoutSeconds: 600, ...a }),
};

/** Defaulted args with apiVersion/kind, as upstream's defaulted pluginConfig shows them. */
export function defaultArgs(plugin: string, args: Args | undefined): Args | undefined {
  const d = ARGS_DEFAULTERS[plugin];
  if (!d) return args;
  const { apiVersion: _v, kind: _k, ...rest } = args ?? {};
  return { apiVersion: API_VERSION, kind: `${plugin}Args`, ...d(rest) };
}
