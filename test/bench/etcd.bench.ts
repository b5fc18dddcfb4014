/**
 * `npm run bench -- etcd`: the etcd backend (EtcdStore) on a real etcd of 1 and of 3 members, against the raw
 * etcd3 client on the same cluster (ratio = ours / raw for throughput, raw / ours for times: > 1 means we are
 * faster; the target is >= 0.8), the embedded sql.js store on the same workloads, and failover time (leader
 * SIGKILLed under load -> first successful write through EtcdStore; target <= 3000 ms).
 *
 * Workloads are store.bench.ts's: sequential puts, 64 puts in flight, a latest range over 10k keys, watch delivery.
 * Ours and the raw client share one fresh cluster per member count and take turns, the order flipping every round
 * (whichever of two clients in one process runs first warms up the gRPC and protobuf code both use, and etcd's own
 * state drifts as its database grows): each put workload runs in 5 rounds per client (the median round is reported;
 * the in-flight p99 is over all rounds' latencies), the range 15 timed reads each, the watch 3 rounds each (median
 * of the rounds' p99). Each round's figures are printed on stderr. Before this layout each client ran once, ours
 * first, on a cluster of its own, and the put ratios swung from 0.73 to 1.18 between runs.
 * Lines: etcd<N>_<metric> (peer raw-etcd3-<N>), embedded_<metric> (no peer), etcd3_failover_first_write (ms), and
 * API creates/s with each backend through the API server (api_creates_<embedded|etcd1|etcd3>_…; see etcd-api.ts).
 *   KUBELAB_BENCH_SCALE=0.1 for a smoke run; KUBELAB_BENCH_ONLY=range for the range workload alone (1 and 3 members,
 *   raw and embedded; no puts, watch, failover or API lines).
 */
import { performance } from 'node:perf_hooks';
import { Etcd3 } from 'etcd3';
import { silentLogger } from '../../src/base/logger';
import { openEtcdStore } from '../../src/storage/etcd';
import { openSqlJsStore } from '../../src/storage/sqljs';
import type { Store } from '../../src/storage/store';
import { EtcdCluster, etcdSkipReason } from '../helpers/etcd-cluster';
import { apiCreatesPerBackend } from './etcd-api';
import { emit, line, median, pad, percentile, progress, randomAscii, removeDir, runConcurrent, tempDir, value1k, type Better } from './util';

const BENCH = 'etcd';
const SCALE = Number(process.env.KUBELAB_BENCH_SCALE ?? '1') || 1;
const n = (count: number): number => Math.max(10, Math.round(count * SCALE));
const SEQ_PUTS = n(2_000);
const INFLIGHT = 64;
const INFLIGHT_PUTS = n(20_000);
const RANGE_KEYS = n(10_000);
// 15 timed runs (after one warm-up): the median of 5 swung by ±30 % on a busy 2-core machine
const RANGE_RUNS = 15;
const WATCH_PUTS = n(5_000);
const API_CREATES = n(2_000);
const BASE_VALUE = randomAscii(1024);
const ONLY_RANGE = process.env.KUBELAB_BENCH_ONLY === 'range';

interface Target {
  put(key: string, value: string): Promise<void>;
  rangePrefix(prefix: string): Promise<number>;
  watchPrefix(prefix: string, onPut: (key: string) => void): Promise<() => Promise<void>>;
}
type Results = Map<string, { value: number; unit: string; better: Better }>;

function storeTarget(store: Store): Target {
  return {
    put: async (key, value) => void (await store.put(key, value)),
    rangePrefix: async (prefix) => (await store.range({ key: prefix, prefix: true })).kvs.length,
    watchPrefix: async (prefix, onPut) => {
      const w = store.watch({ key: prefix, prefix: true }, {}, {
        onBatch: (b) => b.events.forEach((e) => e.type === 'put' && onPut(e.kv.key)),
        onCancel: (c) => progress(`watch cancelled: ${c.reason} ${c.message}`),
      });
      await new Promise((r) => setTimeout(r, 100)); // let the watch reach etcd
      return async () => w.cancel();
    },
  };
}

function rawTarget(c: Etcd3): Target {
  return {
    put: async (key, value) => void (await c.put(key).value(value).exec()),
    rangePrefix: async (prefix) => (await c.getAll().prefix(prefix).exec()).kvs.length,
    watchPrefix: async (prefix, onPut) => {
      const w = await c.watch().prefix(prefix).create();
      w.on('put', (kv) => onPut(kv.key.toString()));
      return async () => void (await Promise.race([w.cancel(), new Promise((r) => setTimeout(r, 2000))]));
    },
  };
}

/** Rounds per target of each put workload and of the watch (the targets take turns; each metric is the median round). */
const ROUNDS = 5;
const WATCH_ROUNDS = 3;

/**
 * One workload round for every target, in turn; the order flips every round, so neither target always runs first
 * (the first of two clients on one process pays for warming up the gRPC and protobuf code both use).
 */
async function inTurns(targets: Named[], rounds: number, fn: (t: Named, round: number) => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const t of round % 2 ? [...targets].reverse() : targets) await fn(t, round);
  }
}

interface Named {
  name: string;
  target: Target;
  res: Results;
  /** Per metric, one value per round; the median is reported. */
  rounds: Map<string, { values: number[]; unit: string; better: Better }>;
}

function record(t: Named, metric: string, value: number, unit: string, better: Better): void {
  const r = t.rounds.get(metric) ?? { values: [], unit, better };
  r.values.push(value);
  t.rounds.set(metric, r);
  t.res.set(metric, { value: median(r.values), unit, better });
}

async function workloads(targets: Named[]): Promise<void> {
  for (const t of targets) await runConcurrent(500, INFLIGHT, (i) => t.target.put(`/registry/bench/warm/${t.name}/${pad(i)}`, value1k(i, BASE_VALUE)));
  if (!ONLY_RANGE) await putWorkloads(targets);
  await rangeWorkload(targets);
  if (!ONLY_RANGE) await watchWorkload(targets);
}

async function putWorkloads(targets: Named[]): Promise<void> {
  const seqPuts = Math.ceil(SEQ_PUTS / ROUNDS);
  const inflightPuts = Math.ceil(INFLIGHT_PUTS / ROUNDS);
  const latencies = new Map<string, number[]>();
  await inTurns(targets, ROUNDS, async (t, round) => {
    const seq = await runConcurrent(seqPuts, 1, (i) => t.target.put(`/registry/bench/seq/${t.name}/${round}/${pad(i)}`, value1k(i, BASE_VALUE)));
    record(t, 'put_sequential_throughput', (seqPuts / seq.elapsedMs) * 1000, 'ops/s', 'higher');
  });
  await inTurns(targets, ROUNDS, async (t, round) => {
    const inf = await runConcurrent(inflightPuts, INFLIGHT, (i) => t.target.put(`/registry/bench/inflight/${t.name}/${round}/${pad(i)}`, value1k(i, BASE_VALUE)));
    record(t, 'put_64_inflight_throughput', (inflightPuts / inf.elapsedMs) * 1000, 'ops/s', 'higher');
    const all = latencies.get(t.name) ?? [];
    all.push(...inf.latencies);
    latencies.set(t.name, all);
  });
  for (const t of targets) t.res.set('put_64_inflight_latency_p99', { value: percentile(latencies.get(t.name)!, 99), unit: 'ms', better: 'lower' });
}

async function rangeWorkload(targets: Named[]): Promise<void> {
  for (const t of targets) await runConcurrent(RANGE_KEYS, INFLIGHT, (i) => t.target.put(`/registry/bench/range/${t.name}/${pad(i)}`, value1k(i, BASE_VALUE)));
  const times = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  // one untimed read each, then the timed ones in turns
  await inTurns(targets, RANGE_RUNS + 1, async (t, run) => {
    const s = performance.now();
    const got = await t.target.rangePrefix(`/registry/bench/range/${t.name}/`);
    if (got !== RANGE_KEYS) throw new Error(`range returned ${got} kvs, expected ${RANGE_KEYS}`);
    if (run > 0) times.get(t.name)!.push(performance.now() - s);
  });
  for (const t of targets) t.res.set('range_latest_10k_keys', { value: median(times.get(t.name)!), unit: 'ms', better: 'lower' });
}

async function watchWorkload(targets: Named[]): Promise<void> {
  const puts = Math.ceil(WATCH_PUTS / WATCH_ROUNDS);
  await inTurns(targets, WATCH_ROUNDS, async (t, round) => {
    const prefix = `/registry/bench/watch/${t.name}/${round}/`;
    const delivered = new Float64Array(puts).fill(NaN);
    const issued = new Float64Array(puts);
    let seen = 0;
    const cancel = await t.target.watchPrefix(prefix, (key) => {
      const i = Number(key.slice(prefix.length));
      if (Number.isNaN(delivered[i])) {
        delivered[i] = performance.now();
        seen++;
      }
    });
    await runConcurrent(puts, INFLIGHT, async (i) => {
      issued[i] = performance.now();
      await t.target.put(`${prefix}${pad(i)}`, value1k(i, BASE_VALUE));
    });
    const deadline = Date.now() + 10_000;
    while (seen < puts && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await cancel();
    if (seen !== puts) throw new Error(`watch saw ${seen} of ${puts} events`);
    record(t, 'watch_delivery_64_inflight_from_issue_p99', percentile(delivered.map((d, i) => d - issued[i]), 99), 'ms', 'lower');
  });
}

async function onFreshCluster(members: number, fn: (c: EtcdCluster) => Promise<void>): Promise<void> {
  const cluster = await EtcdCluster.start({ members });
  try {
    await fn(cluster);
  } finally {
    await cluster.stop();
  }
}

async function failover(): Promise<number> {
  let ms = NaN;
  await onFreshCluster(3, async (cluster) => {
    const store = await openEtcdStore({ endpoints: cluster.endpoints, callTimeout: 1000 });
    try {
      let stop = false;
      let killedAt = Infinity;
      let firstAfter = Infinity;
      let seq = 0;
      const writer = async () => {
        while (!stop) {
          const started = performance.now();
          await store.put(`/fo/${seq++}`, 'x').catch(() => undefined);
          const now = performance.now();
          if (started > killedAt && now < firstAfter) firstAfter = now;
        }
      };
      const writers = Array.from({ length: 8 }, writer);
      await new Promise((r) => setTimeout(r, 500));
      const leader = await cluster.leader();
      killedAt = performance.now();
      await cluster.kill(leader);
      while (firstAfter === Infinity && performance.now() - killedAt < 30_000) await new Promise((r) => setTimeout(r, 5));
      stop = true;
      await Promise.all(writers);
      ms = firstAfter - killedAt;
    } finally {
      await store.close();
    }
  });
  return ms;
}

export async function run(): Promise<void> {
  if (etcdSkipReason) {
    progress(`skipped: ${etcdSkipReason}`);
    return;
  }
  for (const members of [1, 3]) {
    const ours: Named = { name: 'ours', target: undefined!, res: new Map(), rounds: new Map() };
    const raw: Named = { name: 'raw', target: undefined!, res: new Map(), rounds: new Map() };
    progress(`EtcdStore and the raw etcd3 client on one fresh ${members}-member cluster, taking turns`);
    await onFreshCluster(members, async (c) => {
      const store = await openEtcdStore({ endpoints: c.endpoints });
      // the raw client needs a larger receive limit to read the 10k-key range in one response at all
      const client = new Etcd3({ hosts: c.endpoints, grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } });
      ours.target = storeTarget(store);
      raw.target = rawTarget(client);
      try {
        await workloads([ours, raw]);
      } finally {
        await store.close();
        client.close();
      }
    });
    for (const t of [ours, raw]) {
      for (const [metric, r] of t.rounds) progress(`${members} member(s) ${t.name} ${metric} per round: ${r.values.map((v) => v.toFixed(v < 100 ? 1 : 0)).join(' / ')}`);
    }
    for (const [metric, m] of ours.res) {
      emit(line(BENCH, `etcd${members}_${metric}`, m.value, m.unit, m.better, { name: `raw-etcd3-${members}`, value: raw.res.get(metric)?.value }));
    }
  }
  progress('embedded sql.js store');
  const dir = tempDir('etcd-bench-embedded');
  const embedded: Named = { name: 'embedded', target: undefined!, res: new Map(), rounds: new Map() };
  const sql = await openSqlJsStore({ dataDir: dir, logger: silentLogger });
  try {
    embedded.target = storeTarget(sql);
    await workloads([embedded]);
  } finally {
    await sql.close();
    removeDir(dir);
  }
  for (const [metric, m] of embedded.res) emit(line(BENCH, `embedded_${metric}`, m.value, m.unit, m.better));
  if (ONLY_RANGE) return;
  progress('failover: leader killed under load');
  emit(line(BENCH, 'etcd3_failover_first_write', await failover(), 'ms', 'lower'));
  await apiCreatesPerBackend(API_CREATES);
}
