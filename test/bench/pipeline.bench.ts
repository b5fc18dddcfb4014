/**
 * `npm run bench -- pipeline`: what the API server's full request pipeline (authentication, impersonation check,
 * Node+RBAC authorization, admission, validation) costs per Pod create, against the bare storage path, in process
 * (InProcessTransport, BENCH_CLIENTS concurrent clients, apiserver-workloads.ts's realistic Pods) in a namespace
 * holding a LimitRange and a ResourceQuota with generous hard limits, so LimitRanger and ResourceQuota do real work.
 *
 * Four clusters, one per configuration, so each store grows alike:
 *   bare          admissionPlugins: [], authorizationMode: 'AlwaysAllow' (authentication and validation only);
 *   bare_admitted as bare, but creating the Pod the full pipeline ends up storing (ServiceAccount token volume,
 *                 default tolerations, … already in the manifest), so storage, encoding and validation handle the
 *                 same bytes: the difference to it is what the pipeline's stages cost, the difference to `bare`
 *                 also counts the larger object admission makes (as upstream's plugins do);
 *   full_admin    the defaults; the admin token (system:masters, decided before RBAC);
 *   full_rbac_edit the defaults; a non-admin user from a line added to <dataDir>/auth/tokens.csv (picked up within
 *                 a second; we wait 1.5 s), allowed by a RoleBinding to the `edit` ClusterRole, so RBAC evaluates
 *                 its rules on every request. Every cluster gets the same extra token line (same authn work).
 * After a warm-up, runs are interleaved (bare, bare_admitted, full_admin, full_rbac_edit) × rounds; each JSON line
 * is the median over rounds: creates/s and CPU µs per create (process.cpuUsage over the run / creates). The
 * full-pipeline lines carry the bare path as peer, and again (`…_vs_same_pod`) bare_admitted ("ratio" > 1 would mean
 * faster than the peer); progress says whether the overhead meets the ≤ 30 % target against each. Then one extra run per configuration named in BENCH_PIPELINE_PROFILE (comma-separated; default
 * full_rbac_edit; not counted) under the V8 CPU profiler (node:inspector): progress lists its top self-time
 * functions and self time by source area; with BENCH_PIPELINE_PROFILE_DIR set, the profiles are also written there as
 * pipeline-<config>.cpuprofile (open in Chrome DevTools). ("dispatch" with no source is the profiler serializing its profile.)
 *
 * Knobs: BENCH_CLIENTS=32, BENCH_PIPELINE_CREATES=3000 per run, BENCH_PIPELINE_ROUNDS=3, BENCH_PIPELINE_WARMUP=500.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tokensFile } from '../../src/apiserver/pki/tokens';
import type { RestRequest, RestResponse, Transport } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { podManifest } from './apiserver-workloads';
import { summarizeProfile, type CpuProfile } from './cluster-profile';
import { emit, line, median, percentile, progress, runConcurrent } from './util';

const BENCH = 'pipeline';
const knob = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : def;
};
const CLIENTS = knob('BENCH_CLIENTS', 32);
const CREATES = knob('BENCH_PIPELINE_CREATES', 3000);
const ROUNDS = knob('BENCH_PIPELINE_ROUNDS', 3);
const WARMUP = knob('BENCH_PIPELINE_WARMUP', 500);
const PROFILE = (process.env.BENCH_PIPELINE_PROFILE ?? 'full_rbac_edit').split(',');
const TARGET_OVERHEAD = 0.3;
const NS = 'bench-pipeline';
const USER = 'bench-dev';
const PEER = 'bare path';
const PEER_ADMITTED = 'bare path, same stored Pod';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

type ConfigName = 'bare' | 'bare_admitted' | 'full_admin' | 'full_rbac_edit';
interface Config {
  name: ConfigName;
  what: string;
  /** The Pod to create; default podManifest. */
  manifest?: (i: number) => unknown;
  cluster?: TestCluster;
  client?: Transport;
  next: number;
  rates: number[];
  cpuUs: number[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function call(t: Transport, req: RestRequest, ...ok: number[]): Promise<RestResponse> {
  const res = await t.request(req);
  if (!ok.includes(res.status)) throw new Error(`${req.method} ${req.path}: HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 400)}`);
  return res;
}

/** Polls `probe` every 50 ms until it returns true, failing after `ms`. */
async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  const end = performance.now() + ms;
  while (!(await probe())) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The namespace with its LimitRange and ResourceQuota (and, for the RBAC user, its RoleBinding to `edit`). */
async function setUp(c: Config, userToken: string): Promise<void> {
  const t = await startTestCluster(c.name.startsWith('bare') ? { admissionPlugins: [], authorizationMode: 'AlwaysAllow' } : {});
  c.cluster = t;
  appendFileSync(tokensFile(t.dir), `${userToken},${USER},${USER},"bench-devs"\n`);
  const admin = t.inProcess();
  const post = (path: string, body: unknown): Promise<RestResponse> => call(admin, { method: 'POST', path, body }, 201);
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await post(`/api/v1/namespaces/${NS}/limitranges`, {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'bench-limits' },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: '500m', memory: '256Mi' },
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          min: { cpu: '10m', memory: '16Mi' },
          max: { cpu: '4', memory: '8Gi' },
          maxLimitRequestRatio: { cpu: '10' },
        },
        { type: 'Pod', min: { cpu: '10m', memory: '16Mi' }, max: { cpu: '16', memory: '32Gi' } },
      ],
    },
  });
  await post(`/api/v1/namespaces/${NS}/resourcequotas`, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'bench-quota' },
    spec: { hard: { pods: '1000000', 'requests.cpu': '1000k', 'requests.memory': '10000Ti', 'limits.cpu': '1000k', 'limits.memory': '10000Ti' } },
  });
  if (c.name === 'full_rbac_edit') {
    await post(`${RBAC}/namespaces/${NS}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'bench-dev-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USER }],
    });
    // `edit` gets its rules from the aggregation controller.
    await until('ClusterRole edit to be aggregated', 15_000, async () => {
      const r = await call(admin, { method: 'GET', path: `${RBAC}/clusterroles/edit` }, 200);
      return ((r.body as { rules?: unknown[] }).rules ?? []).length > 0;
    });
  }
  if (!c.name.startsWith('bare')) {
    await until(`ServiceAccount ${NS}/default`, 15_000, async () => (await admin.request({ method: 'GET', path: `/api/v1/namespaces/${NS}/serviceaccounts/default` })).status === 200);
  }
  await t.cluster.controllersIdle();
  c.client = c.name === 'full_rbac_edit' ? t.inProcess(userToken) : t.inProcess();
}

/** `n` creates with CLIENTS in flight; wall time, CPU of the whole process, latencies. */
async function creates(c: Config, n: number): Promise<{ rate: number; cpuUs: number; p99: number; cores: number }> {
  const client = c.client!;
  const first = c.next;
  c.next += n;
  const path = `/api/v1/namespaces/${NS}/pods`;
  const cpu0 = process.cpuUsage();
  const r = await runConcurrent(n, CLIENTS, async (i) => {
    await call(client, { method: 'POST', path, body: (c.manifest ?? ((k: number) => podManifest(NS, k)))(first + i) }, 201);
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuTotal = cpu.user + cpu.system;
  return { rate: (n / r.elapsedMs) * 1000, cpuUs: cpuTotal / n, p99: percentile(r.latencies, 99), cores: cpuTotal / 1000 / r.elapsedMs };
}

async function profiledRun(c: Config): Promise<void> {
  const s = new Session();
  s.connect();
  try {
    await s.post('Profiler.enable');
    await s.post('Profiler.setSamplingInterval', { interval: 250 });
    await s.post('Profiler.start');
    const r = await creates(c, CREATES);
    const { profile } = await s.post('Profiler.stop');
    if (process.env.BENCH_PIPELINE_PROFILE_DIR) {
      const file = path.join(process.env.BENCH_PIPELINE_PROFILE_DIR, `pipeline-${c.name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      progress(`profile written to ${file}`);
    }
    progress(`profiled ${c.name} run (not counted): ${r.rate.toFixed(0)} creates/s under the profiler`);
    summarizeProfile(`the ${c.name} run`, profile as unknown as CpuProfile, 40);
  } finally {
    s.disconnect();
  }
}

/**
 * A manifest function for the Pod the full pipeline stores: one Pod created through `full`, read back, stripped of
 * what the server sets (uid, resourceVersion, timestamps, managedFields, status), renamed per index.
 */
async function admittedManifest(full: Config): Promise<(i: number) => unknown> {
  const admin = full.cluster!.inProcess();
  const sample = podManifest(NS, 999_999_999) as { metadata: { name: string } };
  await call(admin, { method: 'POST', path: `/api/v1/namespaces/${NS}/pods`, body: sample }, 201);
  const got = (await call(admin, { method: 'GET', path: `/api/v1/namespaces/${NS}/pods/${sample.metadata.name}` }, 200)).body as Record<string, Record<string, unknown>>;
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, generation: _g, ...metadata } = got.metadata;
  const template = { apiVersion: got.apiVersion, kind: got.kind, metadata, spec: got.spec };
  return (i: number) => {
    const own = podManifest(NS, i) as { metadata: Record<string, unknown> };
    return { ...template, metadata: { ...metadata, name: own.metadata.name, labels: own.metadata.labels } };
  };
}

function verdict(c: Config, bare: Config): void {
  const tp = median(bare.rates) / median(c.rates) - 1;
  const cpu = median(c.cpuUs) / median(bare.cpuUs) - 1;
  const v = (o: number): string => `${o >= 0 ? '+' : ''}${(100 * o).toFixed(1)} % (${o <= TARGET_OVERHEAD ? 'meets' : 'MISSES'} target ≤ ${100 * TARGET_OVERHEAD} %)`;
  progress(`${c.name} vs ${bare.name} path: time per create ${v(tp)}; CPU per create ${v(cpu)}`);
}

export async function run(): Promise<void> {
  const t0 = performance.now();
  const configs: Config[] = [
    { name: 'bare', what: 'no admission, AlwaysAllow, admin token', next: 0, rates: [], cpuUs: [] },
    { name: 'bare_admitted', what: 'as bare, creating the Pod the full pipeline stores (admission mutations already applied)', next: 0, rates: [], cpuUs: [] },
    { name: 'full_admin', what: 'default admission + Node,RBAC, admin token (system:masters)', next: 0, rates: [], cpuUs: [] },
    { name: 'full_rbac_edit', what: `default admission + Node,RBAC, token of ${USER} bound to edit`, next: 0, rates: [], cpuUs: [] },
  ];
  const userToken = randomBytes(24).toString('base64url');
  try {
    progress(`load average before the run: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs (other work skews every figure)`);
    for (const c of configs) {
      progress(`starting cluster ${c.name}: ${c.what}`);
      await setUp(c, userToken);
    }
    await sleep(1500); // the token file is re-read at most once a second
    configs[1].manifest = await admittedManifest(configs[2]);
    for (const c of configs) {
      progress(`warm-up ${c.name}: ${WARMUP} creates`);
      await creates(c, WARMUP);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of configs) {
        await sleep(300);
        const r = await creates(c, CREATES);
        c.rates.push(r.rate);
        c.cpuUs.push(r.cpuUs);
        progress(
          `round ${round}/${ROUNDS} ${c.name.padEnd(14)}: ${CREATES} creates, ${r.rate.toFixed(0)}/s, CPU ${r.cpuUs.toFixed(0)} µs/create ` +
            `(${r.cores.toFixed(2)} cores), latency p99 ${r.p99.toFixed(1)} ms`,
        );
      }
    }
    const [bare, admitted, ...full] = configs;
    for (const c of full) verdict(c, bare);
    for (const c of full) verdict(c, admitted);
    for (const c of configs.filter((x) => PROFILE.includes(x.name))) {
      await sleep(300);
      await profiledRun(c);
    }
    const tag = `in_process_${CLIENTS}_clients`;
    const emitFor = (c: Config, peerConfig: Config | undefined, peerName: string, suffix: string): void => {
      const peer = (v: number[] | undefined) => (peerConfig && v ? { name: peerName, value: median(v) } : undefined);
      emit(line(BENCH, `create_throughput_${tag}_${c.name}${suffix}`, median(c.rates), 'ops/s', 'higher', peer(peerConfig?.rates)));
      emit(line(BENCH, `cpu_per_create_${tag}_${c.name}${suffix}`, median(c.cpuUs), 'µs', 'lower', peer(peerConfig?.cpuUs)));
    };
    emitFor(bare, undefined, '', '');
    emitFor(admitted, bare, PEER, '');
    for (const c of full) emitFor(c, bare, PEER, '');
    for (const c of full) emitFor(c, admitted, PEER_ADMITTED, '_vs_same_pod');
  } finally {
    for (const c of configs) await c.cluster?.stop().catch((e: unknown) => progress(`stop ${c.name} failed: ${String(e)}`));
    progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
