/**
 * A scheduling profile as KubeSchedulerConfiguration (v1) words it — schedulerName, percentageOfNodesToScore,
 * plugins per extension point (enabled with optional weight, disabled, `multiPoint`) and pluginConfig — plus the
 * upstream default profile (1.32 getDefaultPlugins: every default plugin through multiPoint, with the default score
 * weights) used while no configuration is given. `resolvePlugins` turns a profile into the ordered plugin names per
 * extension point and the score weights, as upstream NewFramework does (updatePluginList, expandMultiPointPlugins,
 * getScoreWeights) against the methods the built plugins really have. The profile is taken as already defaulted
 * (config/ merges user sets with the defaults).
 */

import { DEFAULT_SCHEDULER_NAME, defaultMultiPoint } from '../config/defaults';
import { EXTENSION_POINTS, type ExtensionPoint, type PluginRef } from '../config/types';

export { DEFAULT_SCHEDULER_NAME, EXTENSION_POINTS, type ExtensionPoint, type PluginRef };

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: { name: string }[];
}

export type PluginsConfig = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface ProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: PluginsConfig;
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
  /** Already expanded plugin lists per extension point (config/ provides them); used instead of expanding here. */
  resolved?: Partial<Record<ExtensionPoint, PluginRef[]>>;
  /** Plugin args by name (config/ provides them defaulted); wins over pluginConfig. */
  args?: Record<string, Record<string, unknown> | undefined>;
}

/** Upstream's default multiPoint plugin list, in order, with its score weights. */
export const DEFAULT_PLUGINS: readonly PluginRef[] = defaultMultiPoint();

export function defaultProfile(schedulerName = DEFAULT_SCHEDULER_NAME): ProfileConfig {
  return { schedulerName, plugins: { multiPoint: { enabled: DEFAULT_PLUGINS.map((p) => ({ ...p })) } }, pluginConfig: [] };
}

/** Which extension points a built plugin implements (the framework's type assertion). */
export type Implements = (pluginName: string, ep: ExtensionPoint) => boolean;

export interface ResolvedPlugins {
  byPoint: Record<ExtensionPoint, string[]>;
  weights: Map<string, number>;
}

/** Every plugin name a profile enables anywhere (upstream pluginsNeeded). */
export function pluginsNeeded(profile: ProfileConfig): Set<string> {
  const out = new Set<string>();
  for (const set of Object.values(profile.plugins ?? {})) for (const p of set?.enabled ?? []) out.add(p.name);
  for (const list of Object.values(profile.resolved ?? {})) for (const p of list ?? []) out.add(p.name);
  return out;
}

const TYPE_NAME: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueuePlugin',
  queueSort: 'QueueSortPlugin',
  preFilter: 'PreFilterPlugin',
  filter: 'FilterPlugin',
  postFilter: 'PostFilterPlugin',
  preScore: 'PreScorePlugin',
  score: 'ScorePlugin',
  reserve: 'ReservePlugin',
  permit: 'PermitPlugin',
  preBind: 'PreBindPlugin',
  bind: 'BindPlugin',
  postBind: 'PostBindPlugin',
};

/** The plugins per extension point and score weights of a profile; throws upstream's errors for bad configs. */
export function resolvePlugins(profile: ProfileConfig, exists: (name: string) => boolean, impl: Implements): ResolvedPlugins {
  // Expanding `plugins` against the plugins' real methods is what upstream does (reflection); config/'s `resolved`
  // comes from a static table of extension points and is used only when there are no `plugins`.
  const r = profile.plugins || !profile.resolved ? expand(profile, exists, impl) : fromResolved(profile.resolved, exists, impl);
  const name = profile.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  if (r.byPoint.queueSort.length !== 1) throw new Error(`only one queue sort plugin required for profile with scheduler name "${name}", but got ${r.byPoint.queueSort.length}`);
  if (r.byPoint.bind.length === 0) throw new Error(`at least one bind plugin is needed for profile with scheduler name "${name}"`);
  return r;
}

function checkEnabled(ep: ExtensionPoint, list: readonly PluginRef[], exists: (name: string) => boolean, impl: Implements): string[] {
  const enabled: string[] = [];
  for (const p of list) {
    if (!exists(p.name)) throw new Error(`${TYPE_NAME[ep]} "${p.name}" does not exist`);
    if (!impl(p.name, ep)) throw new Error(`plugin "${p.name}" does not extend ${TYPE_NAME[ep]} plugin`);
    if (enabled.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${TYPE_NAME[ep]}"`);
    enabled.push(p.name);
  }
  return enabled;
}

function fromResolved(resolved: Partial<Record<ExtensionPoint, PluginRef[]>>, exists: (name: string) => boolean, impl: Implements): ResolvedPlugins {
  const byPoint = {} as Record<ExtensionPoint, string[]>;
  // config/ expands from a static table of in-tree extension points: a plugin listed at a point it does not
  // implement is left out there rather than failing the profile.
  for (const ep of EXTENSION_POINTS) byPoint[ep] = checkEnabled(ep, (resolved[ep] ?? []).filter((p) => !exists(p.name) || impl(p.name, ep)), exists, impl);
  const weights = new Map<string, number>();
  for (const p of resolved.score ?? []) weights.set(p.name, p.weight || 1);
  return { byPoint, weights };
}

function expand(profile: ProfileConfig, exists: (name: string) => boolean, impl: Implements): ResolvedPlugins {
  const plugins = profile.plugins ?? {};
  const multi = plugins.multiPoint?.enabled ?? [];
  const byPoint = {} as Record<ExtensionPoint, string[]>;
  for (const ep of EXTENSION_POINTS) {
    const set = plugins[ep] ?? {};
    const enabled = checkEnabled(ep, set.enabled ?? [], exists, impl);
    const disabled = new Set((set.disabled ?? []).map((d) => d.name));
    if (multi.length === 0 || disabled.has('*')) {
      byPoint[ep] = enabled;
      continue;
    }
    const fromMulti: string[] = [];
    const overrides = new Set<string>();
    for (const p of multi) {
      if (!exists(p.name)) throw new Error(`${TYPE_NAME[ep]} "${p.name}" does not exist`);
      if (!impl(p.name, ep) || disabled.has(p.name)) continue;
      if (enabled.includes(p.name)) {
        overrides.add(p.name);
        continue;
      }
      if (fromMulti.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${TYPE_NAME[ep]}"`);
      fromMulti.push(p.name);
    }
    // Order: explicit overrides (in their own order), then multiPoint plugins, then the other explicit ones.
    byPoint[ep] = [...enabled.filter((n) => overrides.has(n)), ...fromMulti, ...enabled.filter((n) => !overrides.has(n))];
  }
  const weights = new Map<string, number>();
  let total = 0;
  for (const p of [...(plugins.score?.enabled ?? []), ...multi]) {
    if (!exists(p.name) || !impl(p.name, 'score') || weights.has(p.name)) continue;
    const w = p.weight || 1;
    weights.set(p.name, w);
    if (w * 100 > Number.MAX_SAFE_INTEGER - total) throw new Error('total score of Score plugins could overflow');
    total += w * 100;
  }
  return { byPoint, weights };
}
