/**
 * Strict decoding of a KubeSchedulerConfiguration (YAML text or a plain object) into the v1 fields KubeLab uses,
 * before defaulting. Unknown fields are rejected as upstream's strict decoder does (`strict decoding error: unknown
 * field "profiles[0].plugin"`), wrong types name the field (`profiles[0].plugins.score.enabled[0].weight: expected
 * an integer, got "3"`), and an apiVersion/kind other than kubescheduler.config.k8s.io/v1
 * KubeSchedulerConfiguration is refused. apiVersion/kind may be omitted. leaderElection, clientConnection and the
 * profiling switches are accepted and ignored; extenders are not supported.
 */
import { parseDocument } from 'yaml';
import { SchedulerConfigError, EXTENSION_POINTS, type PluginConfig, type PluginSet, type Plugins } from './types';
import { API_VERSION } from './defaults';
import { emptyPlugins } from './merge';

export interface RawProfile {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig: PluginConfig[];
}

export interface RawConfig {
  parallelism?: number;
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles: RawProfile[];
}

type Obj = Record<string, unknown>;
const fail = (msg: string): never => {
  throw new SchedulerConfigError(msg);
};
const show = (v: unknown) => JSON.stringify(v) ?? String(v);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string, known: readonly string[]): Obj {
  if (!isObj(v)) return fail(`${path || 'configuration'}: expected an object, got ${show(v)}`);
  for (const k of Object.keys(v)) if (!known.includes(k)) fail(`strict decoding error: unknown field "${path ? `${path}.${k}` : k}"`);
  return v;
}

function int(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`${path}: expected an integer, got ${show(v)}`);
  return v;
}

function str(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return fail(`${path}: expected a string, got ${show(v)}`);
  return v;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(`${path}: expected a list, got ${show(v)}`);
  return v;
}

function pluginSet(v: unknown, path: string): PluginSet {
  if (v === undefined || v === null) return { enabled: [], disabled: [] };
  const o = object(v, path, ['enabled', 'disabled']);
  const enabled = list(o.enabled, `${path}.enabled`).map((p, i) => {
    const po = object(p, `${path}.enabled[${i}]`, ['name', 'weight']);
    const weight = int(po.weight, `${path}.enabled[${i}].weight`);
    return { name: str(po.name, `${path}.enabled[${i}].name`) ?? '', ...(weight !== undefined ? { weight } : {}) };
  });
  const disabled = list(o.disabled, `${path}.disabled`).map((p, i) => {
    const po = object(p, `${path}.disabled[${i}]`, ['name', 'weight']);
    return { name: str(po.name, `${path}.disabled[${i}].name`) ?? '' };
  });
  return { enabled, disabled };
}

function plugins(v: unknown, path: string): Plugins | undefined {
  if (v === undefined || v === null) return undefined;
  const o = object(v, path, ['multiPoint', ...EXTENSION_POINTS]);
  const p = emptyPlugins();
  for (const k of ['multiPoint', ...EXTENSION_POINTS] as const) p[k] = pluginSet(o[k], `${path}.${k}`);
  return p;
}

function profile(v: unknown, path: string): RawProfile {
  const o = object(v, path, ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']);
  return {
    schedulerName: str(o.schedulerName, `${path}.schedulerName`),
    percentageOfNodesToScore: int(o.percentageOfNodesToScore, `${path}.percentageOfNodesToScore`),
    plugins: plugins(o.plugins, `${path}.plugins`),
    pluginConfig: list(o.pluginConfig, `${path}.pluginConfig`).map((c, i) => {
      const p = `${path}.pluginConfig[${i}]`;
      const co = object(c, p, ['name', 'args']);
      if (co.args !== undefined && co.args !== null && !isObj(co.args)) fail(`${p}.args: expected an object, got ${show(co.args)}`);
      return { name: str(co.name, `${p}.name`) ?? '', ...(isObj(co.args) ? { args: structuredClone(co.args) } : {}) };
    }),
  };
}

const TOP = ['apiVersion', 'kind', 'parallelism', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'profiles', 'extenders', 'leaderElection', 'clientConnection', 'enableProfiling', 'enableContentionProfiling', 'delayCacheUntilActive'];

export function parseConfigText(text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length) fail(`error parsing scheduler configuration: ${doc.errors[0].message}`);
  return doc.toJS() ?? {};
}

export function decodeConfig(input: unknown): RawConfig {
  const o = object(input, '', TOP);
  const apiVersion = str(o.apiVersion, 'apiVersion');
  const kind = str(o.kind, 'kind');
  if (kind !== undefined && kind !== 'KubeSchedulerConfiguration') fail(`no kind "${kind}" is registered for version "${apiVersion ?? ''}"`);
  if (apiVersion !== undefined && apiVersion !== API_VERSION) fail(`no kind "${kind ?? 'KubeSchedulerConfiguration'}" is registered for version "${apiVersion}"`);
  if (list(o.extenders, 'extenders').length > 0) fail('extenders: Forbidden: scheduler extenders are not supported by KubeLab');
  return {
    parallelism: int(o.parallelism, 'parallelism'),
    percentageOfNodesToScore: int(o.percentageOfNodesToScore, 'percentageOfNodesToScore'),
    podInitialBackoffSeconds: int(o.podInitialBackoffSeconds, 'podInitialBackoffSeconds'),
    podMaxBackoffSeconds: int(o.podMaxBackoffSeconds, 'podMaxBackoffSeconds'),
    profiles: list(o.profiles, 'profiles').map((p, i) => profile(p, `profiles[${i}]`)),
  };
}
