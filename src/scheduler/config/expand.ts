/**
 * Per-extension-point plugin lists of a profile, as upstream's framework builds them (NewFramework:
 * updatePluginList, expandMultiPointPlugins, getScoreWeights), with upstream's errors:
 * `FilterPlugin "X" does not exist`, `plugin "X" does not extend FilterPlugin plugin`,
 * `plugin "X" already registered as "FilterPlugin"`, `only one queue sort plugin required for profile with
 * scheduler name "s", but got 2`, `at least one bind plugin is needed for profile with scheduler name "s"`.
 * `pointsOf(name)` says which extension points a plugin implements (undefined = no such plugin).
 */
import type { ExtensionPoint, Plugins, ResolvedPlugins } from './types';
import { EXTENSION_POINTS } from './types';

/** Upstream's getExtensionPoints order (decides which error is reported first). */
const FRAMEWORK_ORDER: readonly ExtensionPoint[] = ['preFilter', 'filter', 'postFilter', 'reserve', 'preScore', 'score', 'preBind', 'bind', 'postBind', 'permit', 'preEnqueue', 'queueSort'];

const typeName = (e: ExtensionPoint) => `${e[0].toUpperCase()}${e.slice(1)}Plugin`;

export type PointsOf = (name: string) => readonly ExtensionPoint[] | undefined;

export function expandPlugins(schedulerName: string, plugins: Plugins, pointsOf: PointsOf): ResolvedPlugins {
  const lists = {} as Record<ExtensionPoint, string[]>;
  for (const e of FRAMEWORK_ORDER) {
    const seen = new Set<string>();
    for (const p of plugins[e].enabled) {
      const points = pointsOf(p.name);
      if (!points) throw new Error(`${typeName(e)} "${p.name}" does not exist`);
      if (!points.includes(e)) throw new Error(`plugin "${p.name}" does not extend ${typeName(e)} plugin`);
      if (seen.has(p.name)) throw new Error(`plugin "${p.name}" already registered as "${typeName(e)}"`);
      seen.add(p.name);
    }
    lists[e] = [...seen];
  }
  if (plugins.multiPoint.enabled.length > 0) {
    for (const e of FRAMEWORK_ORDER) {
      const disabled = new Set(plugins[e].disabled.map((d) => d.name));
      if (disabled.has('*')) continue;
      const enabled = lists[e];
      const overrides = new Set<string>();
      const multi: string[] = [];
      for (const p of plugins.multiPoint.enabled) {
        const points = pointsOf(p.name);
        if (!points) throw new Error(`${typeName(e)} "${p.name}" does not exist`);
        if (!points.includes(e) || disabled.has(p.name)) continue;
        if (enabled.includes(p.name)) {
          overrides.add(p.name);
          continue;
        }
        if (multi.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${typeName(e)}"`);
        multi.push(p.name);
      }
      lists[e] = [...enabled.filter((n) => overrides.has(n)), ...multi, ...enabled.filter((n) => !overrides.has(n))];
    }
  }
  if (lists.queueSort.length !== 1) throw new Error(`only one queue sort plugin required for profile with scheduler name "${schedulerName}", but got ${lists.queueSort.length}`);
  if (lists.bind.length === 0) throw new Error(`at least one bind plugin is needed for profile with scheduler name "${schedulerName}"`);

  const weights = new Map<string, number>();
  for (const p of [...plugins.score.enabled, ...plugins.multiPoint.enabled]) {
    if (weights.has(p.name) || !pointsOf(p.name)?.includes('score')) continue;
    weights.set(p.name, p.weight ? p.weight : 1);
  }
  const out = {} as ResolvedPlugins;
  for (const e of EXTENSION_POINTS) out[e] = lists[e].map((name) => ({ name, weight: e === 'score' ? (weights.get(name) ?? 1) : 0 }));
  return out;
}
