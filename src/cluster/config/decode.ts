/**
 * decodeClusterConfig: a decoded YAML/JSON value → a resolved ClusterConfig, every problem recorded on the Reader
 * (the result is only meaningful when the Reader has none). Fields and defaults:
 *   apiVersion/kind (required) · port 6443 (0..65535) · storage {type: sqljs, compactionInterval? (Go duration ≥ 1s,
 *   default 5m)} | {type: etcd, endpoints: [URL…],
 *   caFile?, certFile?, keyFile? (resolved against baseDir), username?, password?} ·
 *   apiServer {watchCacheSize 10000 (100..1000000), eventTTL 1h (Go duration, ≥ 1s)} · controllerManager {nodeMonitorGracePeriod 50s,
 *   nodeStartupGracePeriod 60s (Go durations, 15s..24h)} ·
 *   timeScale 1 (> 0, ≤ 1000) · schedulerConfig (read by the caller) · controlPlane {name, capacity, labels, taints,
 *   runtime} · workers {count 3 (0..5000), template} or an explicit `nodes` list (not both with a count) ·
 *   podCIDR 10.244.0.0/16 (widened when not given and more than 256 nodes need a /24) · serviceCIDR 10.96.0.0/12.
 * Node names must be DNS-1123 subdomains and unique across the cluster.
 */
import * as path from 'node:path';
import { fieldErr, fieldErrorBody } from '../../api/field-errors';
import { defaultControlPlaneTemplate, defaultWorkerTemplate, placeNodes, workerDrafts, type NodeDraft } from './defaults';
import { duration, readAddons, readKubeProxy } from './networking';
import { addressingProblems, defaultPodCidrFor, etcdEndpointProblem, formatCidr, parseCidr, serviceCidrProblem, type Cidr } from './network';
import { nodeNameProblems, readNodeFields } from './node-fields';
import type { Reader, Seg } from './reader';
import {
  CLUSTER_CONFIG_API_VERSION,
  CLUSTER_CONFIG_KIND,
  DEFAULT_COMPACTION_INTERVAL_MS,
  DEFAULT_CONTROL_PLANE_NAME,
  DEFAULT_POD_CIDR,
  DEFAULT_PORT,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_TIME_SCALE,
  DEFAULT_WORKER_COUNT,
  MAX_NODE_GRACE_MS,
  MAX_TIME_SCALE,
  MIN_NODE_GRACE_MS,
  MAX_WATCH_CACHE_SIZE,
  MIN_WATCH_CACHE_SIZE,
  MAX_WORKERS,
  type ClusterConfig,
  type EtcdStorageConfig,
  type StorageConfig,
} from './types';

const TOP = ['apiVersion', 'kind', 'port', 'storage', 'timeScale', 'schedulerConfig', 'controlPlane', 'workers', 'nodes', 'podCIDR', 'serviceCIDR', 'kubeProxy', 'addons', 'apiServer', 'controllerManager'];
const NODE_FIELDS = ['capacity', 'labels', 'taints', 'runtime'];

function typeMeta(r: Reader, v: unknown, field: 'apiVersion' | 'kind', want: string): void {
  if (v === undefined || v === null || v === '') r.add([field], `${fieldErrorBody(fieldErr.required(''))}: must be ${JSON.stringify(want)}`);
  else if (v !== want) r.add([field], fieldErrorBody(fieldErr.notSupported('', v, [want])));
}

const ETCD_FILES = ['caFile', 'certFile', 'keyFile'] as const;
const ETCD_AUTH = ['username', 'password'] as const;
const ETCD_ONLY = ['endpoints', ...ETCD_FILES, ...ETCD_AUTH] as const;

/** storage.{caFile,certFile,keyFile,username,password}: pairs together, TLS files only with https endpoints. */
function readEtcdExtras(r: Reader, o: Record<string, unknown>, endpoints: readonly string[], baseDir: string): Omit<EtcdStorageConfig, 'type' | 'endpoints'> {
  const out: Omit<EtcdStorageConfig, 'type' | 'endpoints'> = {};
  for (const f of ETCD_FILES) {
    const s = r.string(o[f], ['storage', f]);
    if (s === undefined) continue;
    if (!s.trim()) r.add(['storage', f], 'Required value: a PEM file path');
    else out[f] = path.resolve(baseDir, s);
  }
  for (const f of ETCD_AUTH) {
    const s = r.string(o[f], ['storage', f]);
    if (s !== undefined) out[f] = s;
  }
  if (out.username === '') r.add(['storage', 'username'], 'Required value: a non-empty etcd user name');
  if ((out.certFile === undefined) !== (out.keyFile === undefined)) {
    const missing = out.certFile === undefined ? 'certFile' : 'keyFile';
    r.add(['storage', missing], `Required value: certFile and keyFile are given together (a client certificate and its key)`);
  }
  if ((out.username === undefined) !== (out.password === undefined)) {
    const missing = out.username === undefined ? 'username' : 'password';
    r.add(['storage', missing], 'Required value: username and password are given together');
  }
  if (endpoints.some((e) => e.startsWith('http:'))) {
    for (const f of ETCD_FILES) if (out[f] !== undefined) r.add(['storage', f], 'Forbidden: TLS files need https endpoints');
  }
  return out;
}

function readStorage(r: Reader, v: unknown, baseDir: string): StorageConfig {
  const o = r.object(v, ['storage'], ['type', 'compactionInterval', ...ETCD_ONLY]);
  if (!o) return { type: 'sqljs' };
  const type = r.string(o.type, ['storage', 'type']);
  if (type === 'etcd') {
    const list = r.list(o.endpoints, ['storage', 'endpoints']);
    if (!list?.length) {
      if (list || o.endpoints === undefined || o.endpoints === null) r.add(['storage', 'endpoints'], 'Required value: at least one etcd URL such as https://127.0.0.1:2379');
      return { type: 'etcd', endpoints: [] };
    }
    const seen = new Set<string>();
    const endpoints: string[] = [];
    list.forEach((e, i) => {
      const s = r.string(e, ['storage', 'endpoints', i]);
      if (s === undefined) return;
      const bad = etcdEndpointProblem(s);
      if (bad) r.add(['storage', 'endpoints', i], bad);
      else if (seen.has(s)) r.add(['storage', 'endpoints', i], `Duplicate value: ${JSON.stringify(s)}`);
      seen.add(s);
      endpoints.push(s);
    });
    if (o.compactionInterval !== undefined) r.add(['storage', 'compactionInterval'], 'Forbidden: only storage type sqljs takes compactionInterval (an external etcd is compacted by its own settings)');
    return { type: 'etcd', endpoints, ...readEtcdExtras(r, o, endpoints, baseDir) };
  }
  if (type === 'sqljs') {
    for (const f of ETCD_ONLY) if (o[f] !== undefined) r.add(['storage', f], `Forbidden: only storage type etcd takes ${f}`);
    if (o.compactionInterval !== undefined && o.compactionInterval !== null) {
      return { type: 'sqljs', compactionIntervalMs: duration(r, o.compactionInterval, ['storage', 'compactionInterval'], DEFAULT_COMPACTION_INTERVAL_MS, 1000) };
    }
  } else if (type === undefined) {
    if (o.type === undefined || o.type === null) r.add(['storage', 'type'], 'Required value: sqljs (embedded) or etcd');
  } else r.add(['storage', 'type'], fieldErrorBody(fieldErr.notSupported('', type, ['sqljs', 'etcd'])));
  return { type: 'sqljs' };
}

function readTimeScale(r: Reader, v: unknown): number {
  const n = r.number(v, ['timeScale']);
  if (n === undefined) return DEFAULT_TIME_SCALE;
  if (!(n > 0 && n <= MAX_TIME_SCALE)) r.add(['timeScale'], `must be greater than 0 and at most ${MAX_TIME_SCALE}, not ${n}`);
  return n;
}

function readCidr(r: Reader, v: unknown, field: string, fallback: string): Cidr | undefined {
  const s = r.string(v, [field]) ?? fallback;
  const c = parseCidr(s);
  if (typeof c === 'string') {
    r.add([field], c);
    return undefined;
  }
  return c;
}

function readName(r: Reader, v: unknown, at: readonly Seg[], fallback?: string): string {
  const s = r.string(v, at);
  if (s === undefined && (v === undefined || v === null) && fallback !== undefined) return fallback;
  if (s === undefined) {
    if (v === undefined || v === null) r.add(at, 'Required value');
    return '';
  }
  for (const m of nodeNameProblems(s)) r.add(at, m);
  return s;
}

export function decodeClusterConfig(
  r: Reader,
  value: unknown,
  readScheduler: (v: unknown) => string | Record<string, unknown> | undefined,
  baseDir: string = process.cwd(),
): ClusterConfig | undefined {
  if (value === undefined || value === null) {
    r.add([], `the configuration is empty; it needs at least apiVersion: ${CLUSTER_CONFIG_API_VERSION} and kind: ${CLUSTER_CONFIG_KIND}`);
    return undefined;
  }
  const o = r.object(value, [], TOP);
  if (!o) return undefined;
  typeMeta(r, o.apiVersion, 'apiVersion', CLUSTER_CONFIG_API_VERSION);
  typeMeta(r, o.kind, 'kind', CLUSTER_CONFIG_KIND);
  const port = r.int(o.port, ['port'], 0, 65535) ?? DEFAULT_PORT;
  const storage = readStorage(r, o.storage, baseDir);
  const timeScale = readTimeScale(r, o.timeScale);
  const apiServer = r.object(o.apiServer, ['apiServer'], ['watchCacheSize', 'eventTTL']) ?? {};
  const watchCacheSize = r.int(apiServer.watchCacheSize, ['apiServer', 'watchCacheSize'], MIN_WATCH_CACHE_SIZE, MAX_WATCH_CACHE_SIZE);
  const eventTtlMs = apiServer.eventTTL === undefined ? undefined : duration(r, apiServer.eventTTL, ['apiServer', 'eventTTL'], 0, 1000);
  const cm = r.object(o.controllerManager, ['controllerManager'], ['nodeMonitorGracePeriod', 'nodeStartupGracePeriod']) ?? {};
  const nodeMonitorGracePeriodMs = nodeGrace(r, cm.nodeMonitorGracePeriod, 'nodeMonitorGracePeriod');
  const nodeStartupGracePeriodMs = nodeGrace(r, cm.nodeStartupGracePeriod, 'nodeStartupGracePeriod');
  const schedulerConfig = readScheduler(o.schedulerConfig);
  const kubeProxy = readKubeProxy(r, o);
  const addons = readAddons(r, o);

  const cp = r.object(o.controlPlane, ['controlPlane'], ['name', ...NODE_FIELDS]) ?? {};
  const cpName = readName(r, cp.name, ['controlPlane', 'name'], DEFAULT_CONTROL_PLANE_NAME);
  const cpFields = readNodeFields(r, cp, ['controlPlane'], defaultControlPlaneTemplate());

  const w = r.object(o.workers, ['workers'], ['count', 'template']) ?? {};
  const count = r.int(w.count, ['workers', 'count'], 0, MAX_WORKERS);
  const tpl = r.object(w.template, ['workers', 'template'], NODE_FIELDS) ?? {};
  const workerTemplate = readNodeFields(r, tpl, ['workers', 'template'], defaultWorkerTemplate());

  // Where each name came from, for duplicate reports.
  const namedAt = new Map<string, string>([[cpName, 'controlPlane.name']]);
  const drafts: NodeDraft[] = [{ name: cpName, role: 'control-plane', fields: cpFields }];
  const list = r.list(o.nodes, ['nodes']);
  if (list) {
    if (count !== undefined) r.add(['workers', 'count'], 'cannot be combined with nodes: give either workers.count (with workers.template) or an explicit nodes list');
    if (list.length > MAX_WORKERS) r.add(['nodes'], fieldErrorBody(fieldErr.tooMany('', list.length, MAX_WORKERS)));
    list.slice(0, MAX_WORKERS).forEach((item, i) => {
      const at: Seg[] = ['nodes', i];
      const n = r.object(item, at, ['name', ...NODE_FIELDS]);
      if (!n) {
        if (item === undefined || item === null) r.add(at, 'expected a node {name, capacity, labels, taints, runtime}, got null');
        return;
      }
      const name = readName(r, n.name, [...at, 'name']);
      const fields = readNodeFields(r, n, at, workerTemplate);
      if (name && namedAt.has(name)) r.add([...at, 'name'], `Duplicate value: ${JSON.stringify(name)} (already the name of ${namedAt.get(name)})`);
      else if (name) namedAt.set(name, `nodes[${i}]`);
      drafts.push({ name, role: 'worker', fields });
    });
  } else {
    drafts.push(...workerDrafts(count ?? DEFAULT_WORKER_COUNT, workerTemplate, new Set(namedAt.keys())));
  }

  const podCIDRAuto = o.podCIDR === undefined || o.podCIDR === null;
  const pod = podCIDRAuto ? defaultPodCidrFor(drafts.length) : readCidr(r, o.podCIDR, 'podCIDR', DEFAULT_POD_CIDR);
  const svc = readCidr(r, o.serviceCIDR, 'serviceCIDR', DEFAULT_SERVICE_CIDR);
  const svcBad = svc && serviceCidrProblem(svc);
  if (svcBad) r.add(['serviceCIDR'], svcBad);
  for (const [field, message] of addressingProblems(drafts.length, pod, svc)) r.add([field], message);
  if (!pod || !svc) return undefined;

  return {
    apiVersion: CLUSTER_CONFIG_API_VERSION,
    kind: CLUSTER_CONFIG_KIND,
    port,
    storage,
    ...(watchCacheSize !== undefined ? { watchCacheSize } : {}),
    ...(eventTtlMs ? { eventTtlMs } : {}),
    ...(nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs } : {}),
    ...(nodeStartupGracePeriodMs !== undefined ? { nodeStartupGracePeriodMs } : {}),
    timeScale,
    ...(schedulerConfig !== undefined ? { schedulerConfig } : {}),
    nodes: placeNodes(drafts, pod),
    workerTemplate,
    podCIDR: formatCidr(pod),
    podCIDRAuto,
    serviceCIDR: formatCidr(svc),
    kubeProxy,
    addons,
  };
}

/** A node grace period (kube-controller-manager's --node-monitor-grace-period / --node-startup-grace-period). */
function nodeGrace(r: Reader, v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const at: Seg[] = ['controllerManager', field];
  const ms = duration(r, v, at, -1, 0);
  if (ms < 0) return undefined;
  if (ms < MIN_NODE_GRACE_MS) {
    r.add(at, `must be at least 15s, not ${JSON.stringify(v)}: kubelets renew their node Lease every 10s, so a shorter grace period marks healthy nodes NotReady`);
    return undefined;
  }
  if (ms > MAX_NODE_GRACE_MS) {
    r.add(at, `must be at most 24h, not ${JSON.stringify(v)}`);
    return undefined;
  }
  return ms;
}
