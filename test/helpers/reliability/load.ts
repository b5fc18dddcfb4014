/**
 * The Load scenario of the reliability suite (issue 11): the cluster started as the README does, `clients`
 * concurrent HTTPS clients doing mixed CRUD (create, get, list, update, patch, delete of ConfigMaps, Secrets and
 * Services in a few namespaces, plus a read-modify-write of one shared ConfigMap per namespace whose stale PUTs get
 * the expected 409 Conflicts), each paced like client-go's default rate limiter (QPS 5, burst 10), plus `watchers`
 * watches (namespaced and cluster-wide, with and without resourceVersion, some with label selectors) for
 * `durationMs`. `runLoad` returns the figures and the violations (readable strings); it asserts nothing.
 *
 * Violations: any response that is not 2xx other than a 409 on the shared ConfigMap, any transport error, a watcher
 * that got no event, an ERROR event or an early end; the memory rule of load-kit.ts failing; open fds after the
 * clients closed more than `fdSlack` above those before; mutating p99 above `mutatingP99LimitMs` when given.
 * With `liveHeap`, the memory judged is the live heap instead (see LoadOptions.liveHeap).
 */
import { performance } from 'node:perf_hooks';
import type { HttpsTransport } from '../../../src/client/https-transport';
import * as https from 'node:https';
import type { RestRequest, RestResponse } from '../../../src/client/transport';
import type { CliProcess } from '../cli-cluster';
import { clientFor, processStats, readKubeconfig } from './cluster-client';
import { mainHeapAfterMajorGcs, type MajorGc } from './gc-trace';
import { InspectorProbe, inspectorUrl, type LiveMemory } from './inspector-probe';
import { openLineWatcher, type LineWatcherState } from './line-watcher';
import { sleep } from '../wait';
import { memoryRule, settleFds, StatsSampler, summarize, TokenBucket, withCliCluster, type LatencySummary, type MemoryVerdict } from './load-kit';

export const VERBS = ['create', 'get', 'list', 'update', 'patch', 'delete'] as const;
export type Verb = (typeof VERBS)[number];
const MUTATING: readonly Verb[] = ['create', 'update', 'patch', 'delete'];

export interface LoadOptions {
  clients: number;
  watchers: number;
  durationMs: number;
  /** Load before the measured `durationMs` (not sampled for memory; its requests count like the others). */
  warmupMs?: number;
  namespaces?: number;
  qps?: number;
  burst?: number;
  /** Open fds allowed above the count before the clients connected, once they closed. */
  fdSlack?: number;
  mutatingP99LimitMs?: number;
  progress?: (msg: string) => void;
  /** Called with the running cluster (diagnostics: its output, its pid). */
  onCluster?: (cli: CliProcess) => void;
  /**
   * The cluster's storage.compactionInterval (Go duration). The store keeps this much history, so its memory only
   * reaches a steady state once the interval has passed: keep the warm-up longer than it.
   */
  compactionInterval?: string;
  /**
   * The cluster's apiServer.watchCacheSize: each resource's watch cache grows until it holds this many events, so
   * memory is only judged fairly once the load has written that many (10,000 by default: over a minute of this load).
   */
  watchCacheSize?: number;
  /**
   * Run the cluster with `--trace-gc` and return the heap after each of its main thread's full collections during the
   * measured window (gc-trace.ts): the live heap over time, read without forcing a collection.
   */
  traceGc?: boolean;
  /**
   * Judge memory by the live heap instead of RSS: the cluster runs with its inspector open and the JS heap left
   * after a forced full GC is read as the measured window starts and as it ends; a violation when the end's exceeds
   * the start's by more than 10 %. A window of seconds may or may not hold one of V8's own full GCs, so RSS over it
   * measures V8's GC schedule (0–30 MB of garbage either way) more than a leak; the forced GCs move latencies, so
   * this is for runs that judge no latency.
   */
  liveHeap?: boolean;
}

export interface LoadResult {
  requests: number;
  /** 409s of the shared read-modify-write (expected). */
  conflicts: number;
  errors: number;
  /** Latencies after the warm-up. */
  latency: Record<Verb, LatencySummary>;
  mutatingP99: number;
  /** RSS of the cluster process, one sample a second over the load after the warm-up, bytes. */
  rss: number[];
  memory: MemoryVerdict;
  /** With `traceGc`: the main thread's full collections during the measured window, oldest first. */
  majorGcs?: MajorGc[];
  /** With `liveHeap`: the live memory as the measured window started and as it ended. */
  live?: { start: LiveMemory; end: LiveMemory };
  fdsBefore: number;
  fdsPeak: number;
  fdsAfter: number;
  watchEvents: number;
  watchersWithEvents: number;
  violations: string[];
}

interface Kind {
  resource: 'configmaps' | 'secrets' | 'services';
  body(name: string, labels: Record<string, string>): Record<string, unknown>;
  change(o: Record<string, unknown>, n: number): void;
}

const KINDS: Kind[] = [
  {
    resource: 'configmaps',
    body: (name, labels) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { n: '0' } }),
    change: (o, n) => void (o.data = { n: String(n) }),
  },
  {
    resource: 'secrets',
    body: (name, labels) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, type: 'Opaque', data: { k: Buffer.from('0').toString('base64') } }),
    change: (o, n) => void (o.data = { k: Buffer.from(String(n)).toString('base64') }),
  },
  {
    resource: 'services',
    body: (name, labels) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { ports: [{ port: 80 }] } }),
    change: (o, n) => void ((o.metadata as { annotations?: Record<string, string> }).annotations = { n: String(n) }),
  },
];

/** Requests made, expected 409s, errors (readable) and latencies (ms) by verb of one or more CRUD clients. */
export class Tally {
  /** Latencies of requests started before this performance.now() are not recorded (warm-up). */
  from = 0;
  requests = 0;
  conflicts = 0;
  errors: string[] = [];
  latency = Object.fromEntries(VERBS.map((v) => [v, [] as number[]])) as Record<Verb, number[]>;
}

/** One rate-limited request; returns the response, or undefined after a transport error or an unexpected status. */
async function call(t: HttpsTransport, bucket: TokenBucket, tally: Tally, verb: Verb, req: RestRequest, conflictOk = false): Promise<RestResponse | undefined> {
  await bucket.take();
  const s = performance.now();
  tally.requests++;
  try {
    const r = await t.request(req);
    if (s >= tally.from) tally.latency[verb].push(performance.now() - s);
    if (r.status >= 200 && r.status < 300) return r;
    if (r.status === 409 && conflictOk) {
      tally.conflicts++;
      return undefined;
    }
    tally.errors.push(`${req.method} ${req.path}: ${r.status} ${(r.body as { message?: string })?.message ?? ''}`);
  } catch (e) {
    tally.errors.push(`${req.method} ${req.path}: transport error ${(e as Error).message}`);
  }
  return undefined;
}

/**
 * One client's mixed CRUD until `until` (performance.now()): create, get, update, patch, list, delete of its own
 * objects (ConfigMap, Secret, Service in turn) and a read-modify-write of `<ns>/configmaps/shared`.
 */
export async function crudClient(t: HttpsTransport, id: number, ns: string, until: number, tally: Tally, bucket: TokenBucket): Promise<void> {
  const labels = { load: 'yes', client: `c${id}`, parity: id % 2 ? 'odd' : 'even' };
  for (let round = 0; performance.now() < until; round++) {
    const kind = KINDS[(id + round) % KINDS.length];
    const base = `/api/v1/namespaces/${ns}/${kind.resource}`;
    const name = `c${id}-${round}`;
    if (!(await call(t, bucket, tally, 'create', { method: 'POST', path: base, body: kind.body(name, labels) }))) continue;
    const got = await call(t, bucket, tally, 'get', { method: 'GET', path: `${base}/${name}` });
    if (got) {
      const o = got.body as Record<string, unknown>;
      kind.change(o, round);
      await call(t, bucket, tally, 'update', { method: 'PUT', path: `${base}/${name}`, body: o });
    }
    await call(t, bucket, tally, 'patch', { method: 'PATCH', path: `${base}/${name}`, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { patched: String(round) } } } });
    await call(t, bucket, tally, 'list', { method: 'GET', path: base, query: { labelSelector: `client=c${id}` } });
    // Read-modify-write of the namespace's shared ConfigMap: a concurrent writer makes this PUT stale (409).
    const shared = await call(t, bucket, tally, 'get', { method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/shared` });
    if (shared) {
      const o = shared.body as { data?: Record<string, string> };
      o.data = { n: String(Number(o.data?.n ?? 0) + 1) };
      await call(t, bucket, tally, 'update', { method: 'PUT', path: `/api/v1/namespaces/${ns}/configmaps/shared`, body: o }, true);
    }
    await call(t, bucket, tally, 'delete', { method: 'DELETE', path: `${base}/${name}` });
  }
}

/** The i-th watcher's request: a mix of scopes, resources, resourceVersions and selectors. */
function watchRequest(i: number, namespaces: string[], listRv: string): { what: string; req: RestRequest } {
  const ns = namespaces[i % namespaces.length];
  const resource = KINDS[Math.floor(i / 4) % KINDS.length].resource;
  const query: Record<string, string> = {};
  const path = i % 2 === 0 ? `/api/v1/namespaces/${ns}/${resource}` : `/api/v1/${resource}`;
  if (i % 3 === 1) query.resourceVersion = listRv;
  if (i % 3 === 2) query.resourceVersion = '0';
  if (i % 5 === 0) query.labelSelector = `load=yes,parity=${i % 10 === 0 ? 'even' : 'odd'}`;
  if (i % 7 === 0) query.allowWatchBookmarks = 'true';
  return { what: `watch ${path}?${new URLSearchParams(query).toString()}`, req: { method: 'GET', path, query } };
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.progress ?? (() => undefined);
  return withCliCluster(async (cli) => {
    const pid = cli.child.pid!;
    o.onCluster?.(cli);
    const admin = clientFor(cli.kubeconfig, { maxSockets: 4 });
    const namespaces = Array.from({ length: o.namespaces ?? 4 }, (_, i) => `load-${i}`);
    for (const ns of namespaces) {
      const r = await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
      if (r.status !== 201) throw new Error(`creating namespace ${ns}: ${r.status}`);
      const c = await admin.request({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { n: '0' } } });
      if (c.status !== 201) throw new Error(`creating the shared ConfigMap in ${ns}: ${c.status}`);
    }
    const listRv = ((await admin.request({ method: 'GET', path: '/api/v1/configmaps', query: { limit: 1 } })).body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    admin.close();
    // The admin client's connections close with it; a moment later the count is the idle cluster's.
    await sleep(1000);
    const fdsBefore = processStats(pid).fds;
    log(`cluster pid ${pid}: ${fdsBefore} fds before the clients; opening ${o.watchers} watchers`);

    const creds = readKubeconfig(cli.kubeconfig);
    const watchAgents: https.Agent[] = [];
    const watchers: { state: LineWatcherState; stop: () => void }[] = [];
    let windowStdout = [0, 0];
    const clients = Array.from({ length: o.clients }, (_, i) => clientFor(cli.kubeconfig, { maxSockets: 1, userAgent: `load-client-${i}` }));
    const wsUrl = o.liveHeap ? inspectorUrl(cli.stderr) : undefined;
    if (o.liveHeap && !wsUrl) throw new Error(`the cluster printed no inspector URL:\n${cli.tail()}`);
    const liveErrors: string[] = [];
    const readLive = (): Promise<LiveMemory | undefined> => InspectorProbe.liveHeapOnce(wsUrl!).catch((e: Error) => void liveErrors.push(e.message));
    let liveStart: Promise<LiveMemory | undefined> | undefined;
    let liveEnd: LiveMemory | undefined;
    const sampler = new StatsSampler(pid);
    const tally = new Tally();
    let fdsPeak = fdsBefore;
    try {
      for (let i = 0; i < o.watchers; i += 25) {
        const agent = new https.Agent({ keepAlive: true, ca: creds.caCert, maxSockets: 25 });
        watchAgents.push(agent);
        const batch = Array.from({ length: Math.min(25, o.watchers - i) }, (_, j) => watchRequest(i + j, namespaces, listRv));
        watchers.push(...(await Promise.all(batch.map((b) => openLineWatcher(creds, agent, b.what, b.req)))));
      }
      log(`${watchers.length} watchers open; ${o.clients} clients for ${o.durationMs} ms`);
      const warmup = o.warmupMs ?? 0;
      tally.from = performance.now() + warmup;
      const sampling = setTimeout(() => {
        sampler.start(1000);
        if (wsUrl) liveStart = readLive();
        windowStdout = [cli.stdout.length, cli.stdout.length];
      }, warmup);
      const until = performance.now() + warmup + o.durationMs;
      await Promise.all(clients.map((t, i) => crudClient(t, i, namespaces[i % namespaces.length], until, tally, new TokenBucket(o.qps ?? 5, o.burst ?? 10))));
      clearTimeout(sampling);
      sampler.stop();
      if (wsUrl) liveEnd = await readLive();
      windowStdout[1] = cli.stdout.length;
      fdsPeak = Math.max(fdsBefore, ...sampler.samples.map((s) => s.fds));
      // Give watchers a moment to receive the last events before they are checked.
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      sampler.stop();
      for (const w of watchers) w.stop();
      for (const t of clients) t.close();
      for (const a of watchAgents) a.destroy();
    }
    const slack = o.fdSlack ?? 10;
    const fdsAfter = await settleFds(pid, fdsBefore, 10_000);

    const latency = Object.fromEntries(VERBS.map((v) => [v, summarize(tally.latency[v])])) as Record<Verb, LatencySummary>;
    const mutatingP99 = summarize(MUTATING.flatMap((v) => tally.latency[v])).p99;
    const rss = sampler.samples.map((s) => s.rss);
    const memory = memoryRule(rss);
    const violations: string[] = [];
    if (tally.errors.length) violations.push(`${tally.errors.length} errors, first: ${tally.errors.slice(0, 5).join(' | ')}`);
    const quiet = watchers.filter((w) => w.state.events === 0 && !w.state.problem);
    if (quiet.length) violations.push(`${quiet.length} watchers got no event, e.g. ${quiet[0].state.what}`);
    const broken = watchers.filter((w) => w.state.problem);
    if (broken.length) violations.push(`${broken.length} watchers failed, first: ${broken[0].state.problem}`);
    if (watchers.length !== o.watchers) violations.push(`only ${watchers.length} of ${o.watchers} watchers opened`);
    const start = await liveStart;
    const live = start && liveEnd ? { start, end: liveEnd } : undefined;
    if (o.liveHeap && !live) violations.push(`the live heap was not read at both ends of the window: ${liveErrors.join('; ') || 'the window never started'}`);
    if (live && live.end.heapUsed > live.start.heapUsed * 1.1) violations.push(`live heap grew over the window: ${mib(live.start.heapUsed)} → ${mib(live.end.heapUsed)} (> × 1.1)`);
    if (!o.liveHeap && !memory.ok) violations.push(`RSS grew over the second half: last-quarter max ${mib(memory.lastQuarterMax)} > second-quarter max ${mib(memory.secondQuarterMax)} × 1.1`);
    if (fdsAfter > fdsBefore + slack) violations.push(`fd leak: ${fdsBefore} before, ${fdsAfter} after the clients closed (slack ${slack})`);
    if (o.mutatingP99LimitMs !== undefined && !(mutatingP99 <= o.mutatingP99LimitMs)) violations.push(`mutating p99 ${mutatingP99.toFixed(1)} ms > ${o.mutatingP99LimitMs} ms`);
    return {
      requests: tally.requests,
      conflicts: tally.conflicts,
      errors: tally.errors.length,
      latency,
      mutatingP99,
      rss,
      memory,
      ...(live ? { live } : {}),
      majorGcs: o.traceGc ? mainHeapAfterMajorGcs(cli.stdout.slice(windowStdout[0], windowStdout[1])) : undefined,
      fdsBefore,
      fdsPeak,
      fdsAfter,
      watchEvents: watchers.reduce((s, w) => s + w.state.events, 0),
      watchersWithEvents: watchers.filter((w) => w.state.events > 0).length,
      violations,
    };
  }, {
    nodeArgs: [...(o.traceGc ? ['--trace-gc'] : []), ...(o.liveHeap ? ['--inspect=127.0.0.1:0'] : [])],
    ...(o.compactionInterval === undefined && o.watchCacheSize === undefined ? {} : { configYaml: loadConfigYaml(o) }),
  });
}

function loadConfigYaml(o: LoadOptions): string {
  const storage = o.compactionInterval === undefined ? '' : `storage:\n  type: sqljs\n  compactionInterval: ${o.compactionInterval}\n`;
  const apiServer = o.watchCacheSize === undefined ? '' : `apiServer:\n  watchCacheSize: ${o.watchCacheSize}\n`;
  return `apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\n${storage}${apiServer}`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
