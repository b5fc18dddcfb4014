/**
 * The extension's `kubelab.*` settings → the ClusterConfig the worker starts, through the same strict loader as a
 * `--config` file (so a bad value is an error naming the setting's field, e.g. `workers.template.capacity.cpu:
 * invalid quantity "lots"`). The `process` runtime runs containers as real local processes: it is honoured only in
 * a trusted workspace; elsewhere the nodes run `sim` and a warning says why. Add-on ports are 0 (any free port) so
 * two VS Code windows or a headless KubeLab never collide on 10053/10080.
 */
import { ClusterConfigError, parseClusterConfig, workerName, type ClusterConfig } from '../../cluster/config';

export interface KubeLabSettings {
  nodes: number;
  nodeCapacity: Record<string, string>;
  runtime: string;
  /** Per-node runtime overrides (`{"kubelab-worker2": "process"}`); other workers use `runtime`. */
  nodeRuntimes?: Readonly<Record<string, string>>;
  apiPort: number;
  proxyMode: string;
  etcdEndpoints: readonly string[];
}

export interface SettingsResult {
  config: ClusterConfig;
  warnings: string[];
}

const SETTING_OF: [RegExp, string][] = [
  [/^workers\.count/, 'kubelab.nodes'],
  [/^workers\.template\.capacity/, 'kubelab.nodeCapacity'],
  [/^workers\.template\.runtime/, 'kubelab.runtime'],
  [/^nodes\[\d+\]\.runtime/, 'kubelab.nodeRuntimes'],
  [/^port/, 'kubelab.apiPort'],
  [/^kubeProxy\.mode/, 'kubelab.kubeProxy.mode'],
  [/^storage/, 'kubelab.storage.etcdEndpoints'],
];

/** Names the setting behind a loader error (`kubelab.nodeCapacity (workers.template.capacity.cpu): …`). */
export function settingError(error: string): string {
  const hit = SETTING_OF.find(([re]) => re.test(error));
  return hit ? `${hit[1]} (${error})` : error;
}

export function clusterConfigFromSettings(s: KubeLabSettings, trusted: boolean): SettingsResult {
  const warnings: string[] = [];
  let runtime = s.runtime;
  if (runtime === 'process' && !trusted) {
    runtime = 'sim';
    warnings.push('kubelab.runtime "process" runs containers as real local processes and is allowed only in a trusted workspace; the nodes run "sim"');
  }
  const overrides = Object.entries(s.nodeRuntimes ?? {});
  const names = Number.isInteger(s.nodes) && s.nodes >= 0 && s.nodes <= 1000 ? Array.from({ length: s.nodes }, (_, i) => workerName(i + 1)) : [];
  const unknown = overrides.map(([n]) => n).filter((n) => !names.includes(n));
  if (unknown.length) throw new Error(`invalid KubeLab settings: kubelab.nodeRuntimes names no worker: ${unknown.join(', ')} (the workers are ${names.join(', ') || 'none'})`);
  const perNode = (name: string): string => {
    const want = s.nodeRuntimes?.[name] ?? runtime;
    if (want !== 'process' || trusted) return want;
    if (!warnings.some((w) => w.includes('trusted workspace'))) warnings.push('kubelab.runtime "process" runs containers as real local processes and is allowed only in a trusted workspace; the nodes run "sim"');
    return 'sim';
  };
  // Per-node runtimes need the explicit node list; otherwise the worker count with a template says it all.
  const workers = overrides.length
    ? { nodes: names.map((name) => ({ name, capacity: s.nodeCapacity, runtime: perNode(name) })) }
    : { workers: { count: s.nodes, template: { capacity: s.nodeCapacity, runtime } } };
  const raw: Record<string, unknown> = {
    apiVersion: 'kubelab.dev/v1alpha1',
    kind: 'ClusterConfig',
    port: s.apiPort,
    ...workers,
    kubeProxy: { mode: s.proxyMode },
    addons: { dns: { port: 0 }, ingress: { port: 0 } },
    storage: s.etcdEndpoints.length ? { type: 'etcd', endpoints: [...s.etcdEndpoints] } : { type: 'sqljs' },
  };
  let loaded;
  try {
    loaded = parseClusterConfig(raw, 'VS Code settings');
  } catch (e) {
    if (!(e instanceof ClusterConfigError)) throw e;
    throw new Error(`invalid KubeLab settings: ${e.errors.map(settingError).join('; ')}`);
  }
  return { config: loaded.config, warnings: [...warnings, ...loaded.warnings] };
}
