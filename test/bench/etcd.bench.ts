/**
 * `npm run bench -- etcd`: the etcd backend (EtcdStore) on a real etcd of 1 and of 3 members, against the raw
 * etcd3 client on the same cluster (ratio = ours / raw for throughput, raw / ours for times: > 1 means we are
 * faster; the target is >= 0.8), the embedded sql.js store on the same workloads, and failover time (leader
 * SIGKILLed under load -> first successful write through EtcdStore; target <= 3000 ms).
 *
 * Workloads are store.bench.ts's: sequential puts, 64 puts in flight, a latest range over 10k keys, watch delivery.
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

async function workloads(t: Target, res: Results): Promise<void> {
  await runConcurrent(200, INFLIGHT, (i) => t.put(`/registry/bench/warm/${pad(i)}`, value1k(i, BASE_VALUE)));
  if (!ONLY_RANGE) await putWorkloads(t, res);
  await rangeWorkload(t, res);
  if (!ONLY_RANGE) await watchWorkload(t, res);
}

async function putWorkloads(t: Target, res: Results): Promise<void> {
  const seq = await runConcurrent(SEQ_PUTS, 1, (i) => t.put(`/registry/bench/seq/${pad(i)}`, value1k(i, BASE_VALUE)));
  res.set('put_sequential_throughput', { value: (SEQ_PUTS / seq.elapsedMs) * 1000, unit: 'ops/s', better: 'higher' });
  const inf = await runConcurrent(INFLIGHT_PUTS, INFLIGHT, (i) => t.put(`/registry/bench/inflight/${pad(i)}`, value1k(i, BASE_VALUE)));
  res.set('put_64_inflight_throughput', { value: (INFLIGHT_PUTS / inf.elapsedMs) * 1000, unit: 'ops/s', better: 'higher' });
  res.set('put_64_inflight_latency_p99', { value: percentile(inf.latencies, 99), unit: 'ms', better: 'lower' });
}

async function rangeWorkload(t: Target, res: Results): Promise<void> {
  await runConcurrent(RANGE_KEYS, INFLIGHT, (i) => t.put(`/registry/bench/range/${pad(i)}`, value1k(i, BASE_VALUE)));
  const times: number[] = [];
  for (let run = 0; run <= RANGE_RUNS; run++) {
    const s = performance.now();
    const got = await t.rangePrefix('/registry/bench/range/');
    if (got !== RANGE_KEYS) throw new Error(`range returned ${got} kvs, expected ${RANGE_KEYS}`);
    if (run > 0) times.push(performance.now() - s);
  }
  res.set('range_latest_10k_keys', { value: median(times), unit: 'ms', better: 'lower' });
}

async function watchWorkload(t: Target, res: Results): Promise<void> {
  const prefix = '/registry/bench/watch/';
  const delivered = new Float64Array(WATCH_PUTS).fill(NaN);
  const issued = new Float64Array(WATCH_PUTS);
  let seen = 0;
  const cancel = await t.watchPrefix(prefix, (key) => {
    const i = Number(key.slice(prefix.length));
    if (Number.isNaN(delivered[i])) {
      delivered[i] = performance.now();
      seen++;
    }
  });
  await runConcurrent(WATCH_PUTS, INFLIGHT, async (i) => {
    issued[i] = performance.now();
    await t.put(`${prefix}${pad(i)}`, value1k(i, BASE_VALUE));
  });
  const deadline = Date.now() + 10_000;
  while (seen < WATCH_PUTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await cancel();
  if (seen !== WATCH_PUTS) throw new Error(`watch saw ${seen} of ${WATCH_PUTS} events`);
  res.set('watch_delivery_64_inflight_from_issue_p99', { value: percentile(delivered.map((d, i) => d - issued[i]), 99), unit: 'ms', better: 'lower' });
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
    const ours: Results = new Map();
    const raw: Results = new Map();
    progress(`EtcdStore on ${members} member(s)`);
    await onFreshCluster(members, async (c) => {
      const store = await openEtcdStore({ endpoints: c.endpoints });
      try {
        await workloads(storeTarget(store), ours);
      } finally {
        await store.close();
      }
    });
    progress(`raw etcd3 client on ${members} member(s)`);
    await onFreshCluster(members, async (c) => {
      // the raw client needs a larger receive limit to read the 10k-key range in one response at all
      const client = new Etcd3({ hosts: c.endpoints, grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } });
      try {
        await workloads(rawTarget(client), raw);
      } finally {
        client.close();
      }
    });
    for (const [metric, m] of ours) {
      emit(line(BENCH, `etcd${members}_${metric}`, m.value, m.unit, m.better, { name: `raw-etcd3-${members}`, value: raw.get(metric)?.value }));
    }
  }
  progress('embedded sql.js store');
  const dir = tempDir('etcd-bench-embedded');
  const embedded: Results = new Map();
  const sql = await openSqlJsStore({ dataDir: dir, logger: silentLogger });
  try {
    await workloads(storeTarget(sql), embedded);
  } finally {
    await sql.close();
    removeDir(dir);
  }
  for (const [metric, m] of embedded) emit(line(BENCH, `embedded_${metric}`, m.value, m.unit, m.better));
  if (ONLY_RANGE) return;
  progress('failover: leader killed under load');
  emit(line(BENCH, 'etcd3_failover_first_write', await failover(), 'ms', 'lower'));
  await apiCreatesPerBackend(API_CREATES);
}
