/**
 * loadSchedulerConfig: YAML text, a plain object or nothing → a defaulted, validated, resolved SchedulerConfig
 * (see types.ts for the shape). Steps as upstream: strict decode → defaults (one `default-scheduler` profile when
 * none, mergePlugins over the default multiPoint list, defaulted args for every enabled plugin with an args type,
 * parallelism 16, percentageOfNodesToScore 0 = adaptive, backoff 1 s / 10 s) → validation (upstream wording,
 * aggregated) → per-profile expansion (framework errors prefixed `creating profile for scheduler name <s>: `).
 * Every failure is a SchedulerConfigError whose message names the field.
 */
import { aggregateMessage } from '../../api/field-errors';
import { API_VERSION, DEFAULT_SCHEDULER_NAME, defaultArgs, defaultMultiPoint, IN_TREE_EXTENSION_POINTS, ARGS_DEFAULTERS } from './defaults';
import { decodeConfig, parseConfigText, type RawProfile } from './decode';
import { expandPlugins } from './expand';
import { emptyPlugins, mergePlugins } from './merge';
import { validateSchedulerConfig } from './validate';
import { EXTENSION_POINTS, SchedulerConfigError, type LoadOptions, type PluginConfig, type Plugins, type ResolvedPlugins, type SchedulerConfig, type SchedulerProfile } from './types';

function defaultPlugins(): Plugins {
  const p = emptyPlugins();
  p.multiPoint.enabled = defaultMultiPoint();
  return p;
}

/** Every plugin named in an enabled list, sorted (upstream pluginsNames). */
function pluginNames(p: Plugins): string[] {
  const n = new Set<string>();
  for (const k of ['multiPoint', ...EXTENSION_POINTS] as const) for (const e of p[k].enabled) n.add(e.name);
  return [...n].sort();
}

function defaultProfile(raw: RawProfile, single: boolean): SchedulerProfile {
  const plugins = mergePlugins(defaultPlugins(), raw.plugins);
  const pluginConfig: PluginConfig[] = raw.pluginConfig.map((c) => ({ name: c.name, ...(c.args || ARGS_DEFAULTERS[c.name] ? { args: defaultArgs(c.name, c.args) } : {}) }));
  const have = new Set(pluginConfig.map((c) => c.name));
  for (const name of pluginNames(plugins)) if (!have.has(name) && ARGS_DEFAULTERS[name]) pluginConfig.push({ name, args: defaultArgs(name, undefined) });
  return {
    schedulerName: raw.schedulerName ?? (single ? DEFAULT_SCHEDULER_NAME : ''),
    ...(raw.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: raw.percentageOfNodesToScore } : {}),
    plugins,
    pluginConfig,
    resolved: {} as ResolvedPlugins,
    args: {},
  };
}

export function loadSchedulerConfig(input: string | Record<string, unknown> | undefined, opts: LoadOptions = {}): SchedulerConfig {
  const parsed = typeof input === 'string' ? parseConfigText(input) : (input ?? {});
  const raw = decodeConfig(parsed);
  const rawProfiles = raw.profiles.length ? raw.profiles : [{ pluginConfig: [] }];
  const cfg: SchedulerConfig = {
    apiVersion: API_VERSION,
    kind: 'KubeSchedulerConfiguration',
    parallelism: raw.parallelism ?? 16,
    percentageOfNodesToScore: raw.percentageOfNodesToScore ?? 0,
    podInitialBackoffSeconds: raw.podInitialBackoffSeconds ?? 1,
    podMaxBackoffSeconds: raw.podMaxBackoffSeconds ?? 10,
    profiles: rawProfiles.map((p) => defaultProfile(p, rawProfiles.length === 1)),
  };
  const errs = validateSchedulerConfig(
    cfg,
    rawProfiles.map((p) => p.pluginConfig),
  );
  if (errs.length) throw new SchedulerConfigError(aggregateMessage(errs));
  const pointsOf = (name: string) => opts.extensionPoints?.[name] ?? IN_TREE_EXTENSION_POINTS[name];
  for (const prof of cfg.profiles) {
    try {
      prof.resolved = expandPlugins(prof.schedulerName, prof.plugins, pointsOf);
    } catch (e) {
      throw new SchedulerConfigError(`creating profile for scheduler name ${prof.schedulerName}: ${(e as Error).message}`);
    }
    prof.args = Object.fromEntries(prof.pluginConfig.map((c) => [c.name, c.args]));
  }
  return cfg;
}

/** The configuration kube-scheduler runs with when given none. */
export function defaultSchedulerConfig(): SchedulerConfig {
  return loadSchedulerConfig(undefined);
}
