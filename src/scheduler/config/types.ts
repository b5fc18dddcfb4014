/**
 * The scheduler's configuration (upstream KubeSchedulerConfiguration, kubescheduler.config.k8s.io/v1, 1.32) after
 * loading, defaulting and validation — what the scheduler core consumes. Shape:
 *
 *   SchedulerConfig {
 *     parallelism: 16, percentageOfNodesToScore: 0 (0 = adaptive, as upstream), podInitialBackoffSeconds: 1,
 *     podMaxBackoffSeconds: 10,
 *     profiles: [SchedulerProfile {
 *       schedulerName: 'default-scheduler',
 *       percentageOfNodesToScore?: number,          // per-profile override, undefined = use the global one
 *       plugins: Plugins,                            // upstream's defaulted `plugins` (defaults merged with the file)
 *       pluginConfig: [{ name, args }],              // upstream's defaulted `pluginConfig` (args with apiVersion/kind)
 *       resolved: {                                  // WHAT THE CORE RUNS, per extension point, in order:
 *         preEnqueue: [{ name: 'SchedulingGates', weight: 0 }], queueSort: [{ name: 'PrioritySort', … }],
 *         preFilter: […], filter: […], postFilter: [{ name: 'DefaultPreemption', … }], preScore: […],
 *         score: [{ name: 'TaintToleration', weight: 3 }, …],   // weight ≥ 1 on score, 0 elsewhere
 *         reserve, permit, preBind, bind: [{ name: 'DefaultBinder', … }], postBind },
 *       args: { [pluginName]: args object | undefined },  // pluginConfig by name, to pass to the PluginFactory
 *     }]
 *   }
 *
 * `resolved` expands multiPoint as upstream's framework does (expandMultiPointPlugins): a multiPoint plugin goes to
 * every extension point it implements (IN_TREE_EXTENSION_POINTS, or the `extensionPoints` option for others)
 * unless disabled there; plugins enabled explicitly at a point come first, then the multiPoint ones, then the
 * other explicit ones. Score weights: the explicit score entry's weight, else the multiPoint one; 0 → 1.
 */

export const EXTENSION_POINTS = ['preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;

export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled: PluginRef[];
  disabled: { name: string }[];
}

export type Plugins = Record<'multiPoint' | ExtensionPoint, PluginSet>;

export interface PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

export interface ResolvedPlugin {
  name: string;
  /** Score weight (≥ 1) on the score point; 0 elsewhere. */
  weight: number;
}

export type ResolvedPlugins = Record<ExtensionPoint, ResolvedPlugin[]>;

export interface SchedulerProfile {
  schedulerName: string;
  percentageOfNodesToScore?: number;
  plugins: Plugins;
  pluginConfig: PluginConfig[];
  resolved: ResolvedPlugins;
  args: Record<string, Record<string, unknown> | undefined>;
}

export interface SchedulerConfig {
  apiVersion: 'kubescheduler.config.k8s.io/v1';
  kind: 'KubeSchedulerConfiguration';
  parallelism: number;
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: SchedulerProfile[];
}

export interface LoadOptions {
  /** Extension points of plugins that are not in-tree (e.g. `{ NodeCost: ['preScore', 'score'] }`). */
  extensionPoints?: Readonly<Record<string, readonly ExtensionPoint[]>>;
}

/** A configuration that cannot be used; `message` names the field(s) (upstream's aggregate wording). */
export class SchedulerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchedulerConfigError';
  }
}
