/**
 * `npm run bench -- store`: the embedded sql.js store (each workload on a fresh temp data dir) and, when `etcd` is on
 * PATH, one real etcd member on loopback driven through the etcd3 client with the same workloads.
 *
 * Environment knobs (for development; the defaults are the benchmark):
 *   KUBELAB_BENCH_TARGETS=ours,etcd   which targets to measure
 *   KUBELAB_BENCH_SCALE=1             multiply operation counts (e.g. 0.1 for a smoke run; metric names keep
 *                                     saying 10k/100k)
 *
 * Every line carries "better" ("higher" for throughput, "lower" for times and sizes); "ratio" is ours/peer for
 * higher-is-better metrics and peer/ours for lower-is-better ones, so ratio > 1 always means we beat the peer.
 * Watch delivery is measured twice: "from_issue" is put call -> watcher callback; "after_ack" is put resolved ->
 * watcher callback (0 when the event arrived before the put resolved).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createLogger, stderrSink } from '../../src/base/logger';
import type { SqlJsStore, SqlJsStoreOptions } from '../../src/storage/sqljs/options';
import { findEtcd, startEtcd, type EtcdPeer } from './etcd-peer';
import {
  emit,
  line,
  median,
  pad,
  percentile,
  progress,
  randomAscii,
  removeDir,
  RssSampler,
  runConcurrent,
  tempDir,
  value1k,
  type Better,
} from './util';

const BENCH = 'store';
const SCALE = Number(process.env.KUBELAB_BENCH_SCALE ?? '1') || 1;
const TARGETS = new Set((process.env.KUBELAB_BENCH_TARGETS ?? 'ours,etcd').split(',').map((s) => s.trim()));
const n = (count: number): number => Math.max(10, Math.round(count * SCALE));

const SEQ_PUTS = n(2_000);
const INFLIGHT = 64;
const INFLIGHT_PUTS = n(20_000);
const RANGE_KEYS = n(10_000);
const RANGE_RUNS = 7;
const WATCH_SEQ_PUTS = n(1_000);
const WATCH_LOAD_PUTS = n(5_000);
const BIG_KEYS = n(100_000);

const BASE_VALUE = randomAscii(1024);

/** What every workload needs from a target. */
interface Target {
  put(key: string, value: string): Promise<void>;
  /** Latest values of every key under the prefix; returns the number of kvs received. */
  rangePrefix(prefix: string): Promise<number>;
  /** Calls onPut(key) for every put event under the prefix; resolves once the watch is live. */
  watchPrefix(prefix: string, onPut: (key: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

interface Measured {
  value: number;
  unit: string;
  better: Better;
}
type Results = Map<string, Measured>;

// ---------------------------------------------------------------------------------------------------------------
// Targets

const logger = createLogger(stderrSink, 'warn', 'bench-store');

function oursTarget(store: SqlJsStore): Target {
  return {
    put: async (key, value) => {
      await store.put(key, value);
    },
    rangePrefix: async (prefix) => {
      const r = await store.range({ key: prefix, prefix: true });
      return r.kvs.length;
    },
    watchPrefix: async (prefix, onPut) => {
      const w = store.watch(
        { key: prefix, prefix: true },
        {},
        {
          onBatch: (batch) => {
            for (const e of batch.events) if (e.type === 'put') onPut(e.kv.key);
          },
          onCancel: (c) => progress(`watch cancelled: ${c.reason} ${c.message}`),
        },
      );
      return async () => w.cancel();
    },
    close: () => store.close(),
  };
}

type OpenFn = (options: SqlJsStoreOptions) => Promise<SqlJsStore>;
let openImpl: OpenFn | undefined;

/** Loaded lazily so the etcd side can run even while the implementation is missing. */
async function openSqlJsStore(options: SqlJsStoreOptions): Promise<SqlJsStore> {
  if (!openImpl) {
    const mod = (await import('../../src/storage/sqljs/index.js')) as { openSqlJsStore: OpenFn };
    openImpl = mod.openSqlJsStore;
  }
  return openImpl(options);
}

async function openOurs(label: string, extra: Partial<SqlJsStoreOptions> = {}): Promise<{ store: SqlJsStore; dir: string }> {
  const dir = tempDir(`ours-${label}`);
  const store = await openSqlJsStore({ dataDir: dir, logger, ...extra });
  return { store, dir };
}

function etcdTarget(peer: EtcdPeer): Target {
  const c = peer.client;
  return {
    put: async (key, value) => {
      await c.put(key).value(value).exec();
    },
    rangePrefix: async (prefix) => {
      const r = await c.getAll().prefix(prefix).exec();
      return r.kvs.length;
    },
    watchPrefix: async (prefix, onPut) => {
      const w = await c.watch().prefix(prefix).create();
      w.on('put', (kv) => onPut(kv.key.toString()));
      return async () => {
        await Promise.race([w.cancel(), new Promise((r) => setTimeout(r, 2000))]);
      };
    },
    close: async () => undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads (each takes a target; "ours" gets a fresh store per workload)

async function warmup(t: Target, prefix: string, count: number): Promise<void> {
  await runConcurrent(count, INFLIGHT, (i) => t.put(`${prefix}${pad(i)}`, value1k(i, BASE_VALUE)));
}

async function sequentialPuts(t: Target, res: Results): Promise<void> {
  await warmup(t, '/registry/bench/warm-seq/', 200);
  const r = await runConcurrent(SEQ_PUTS, 1, (i) => t.put(`/registry/bench/seq/${pad(i)}`, value1k(i, BASE_VALUE)));
  res.set('put_sequential_throughput', { value: (SEQ_PUTS / r.elapsedMs) * 1000, unit: 'ops/s', better: 'higher' });
  res.set('put_sequential_latency_p50', { value: percentile(r.latencies, 50), unit: 'ms', better: 'lower' });
}

async function inflightPuts(t: Target, res: Results, measureLoop: boolean): Promise<void> {
  await warmup(t, '/registry/bench/warm-inflight/', 500);
  const h = monitorEventLoopDelay({ resolution: 1 });
  if (measureLoop) h.enable();
  const r = await runConcurrent(INFLIGHT_PUTS, INFLIGHT, (i) =>
    t.put(`/registry/bench/inflight/${pad(i)}`, value1k(i, BASE_VALUE)),
  );
  if (measureLoop) h.disable();
  res.set('put_64_inflight_throughput', { value: (INFLIGHT_PUTS / r.elapsedMs) * 1000, unit: 'ops/s', better: 'higher' });
  res.set('put_64_inflight_latency_p50', { value: percentile(r.latencies, 50), unit: 'ms', better: 'lower' });
  res.set('put_64_inflight_latency_p99', { value: percentile(r.latencies, 99), unit: 'ms', better: 'lower' });
  if (measureLoop) {
    res.set('event_loop_max_stall_64_inflight', { value: h.max / 1e6, unit: 'ms', better: 'lower' });
  }
}

async function rangeLatest(t: Target, res: Results): Promise<void> {
  const prefix = '/registry/bench/range/';
  // Two versions of every key under the prefix (history to skip), plus as many keys under a sibling prefix.
  for (let round = 0; round < 2; round++) {
    await runConcurrent(RANGE_KEYS, INFLIGHT, (i) => t.put(`${prefix}${pad(i)}`, value1k(i + round, BASE_VALUE)));
  }
  await runConcurrent(RANGE_KEYS, INFLIGHT, (i) => t.put(`/registry/bench/rangf/${pad(i)}`, value1k(i, BASE_VALUE)));
  const times: number[] = [];
  for (let run = 0; run <= RANGE_RUNS; run++) {
    const s = performance.now();
    const got = await t.rangePrefix(prefix);
    const ms = performance.now() - s;
    if (got !== RANGE_KEYS) throw new Error(`range returned ${got} kvs, expected ${RANGE_KEYS}`);
    if (run > 0) times.push(ms); // run 0 warms up
  }
  progress(`range runs (ms): ${times.map((x) => x.toFixed(1)).join(' ')}`);
  res.set('range_latest_10k_keys', { value: median(times), unit: 'ms', better: 'lower' });
}

async function watchDelivery(
  t: Target,
  res: Results,
  name: string,
  prefix: string,
  puts: number,
  concurrency: number,
): Promise<void> {
  const issued = new Float64Array(puts);
  const acked = new Float64Array(puts);
  const delivered = new Float64Array(puts).fill(NaN);
  let seen = 0;
  let allSeen: () => void = () => undefined;
  const done = new Promise<void>((r) => (allSeen = r));
  const cancel = await t.watchPrefix(prefix, (key) => {
    const now = performance.now();
    const i = Number(key.slice(prefix.length));
    if (Number.isInteger(i) && i >= 0 && i < puts && Number.isNaN(delivered[i])) {
      delivered[i] = now;
      if (++seen === puts) allSeen();
    }
  });
  try {
    await runConcurrent(puts, concurrency, async (i) => {
      issued[i] = performance.now();
      await t.put(`${prefix}${pad(i)}`, value1k(i, BASE_VALUE));
      acked[i] = performance.now();
    });
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
  } finally {
    await cancel();
  }
  if (seen !== puts) throw new Error(`watch ${name}: saw ${seen} of ${puts} events`);
  const fromIssue = new Float64Array(puts);
  const afterAck = new Float64Array(puts);
  let beforeAck = 0;
  for (let i = 0; i < puts; i++) {
    fromIssue[i] = delivered[i] - issued[i];
    afterAck[i] = Math.max(0, delivered[i] - acked[i]);
    if (delivered[i] < acked[i]) beforeAck++;
  }
  res.set(`watch_delivery_${name}_from_issue_p50`, { value: percentile(fromIssue, 50), unit: 'ms', better: 'lower' });
  res.set(`watch_delivery_${name}_from_issue_p99`, { value: percentile(fromIssue, 99), unit: 'ms', better: 'lower' });
  res.set(`watch_delivery_${name}_after_ack_p50`, { value: percentile(afterAck, 50), unit: 'ms', better: 'lower' });
  res.set(`watch_delivery_${name}_after_ack_p99`, { value: percentile(afterAck, 99), unit: 'ms', better: 'lower' });
  progress(`watch ${name}: ${((100 * beforeAck) / puts).toFixed(1)} % of events reached the watcher before the put's ack`);
}

async function watchWorkloads(t: Target, res: Results): Promise<void> {
  await warmup(t, '/registry/bench/warm-watch/', 200);
  await watchDelivery(t, res, 'sequential', '/registry/bench/watch-seq/', WATCH_SEQ_PUTS, 1);
  await watchDelivery(t, res, '64_inflight', '/registry/bench/watch-load/', WATCH_LOAD_PUTS, INFLIGHT);
}

function describeDir(dir: string): string {
  try {
    return readdirSync(dir)
      .map((f) => `${f}=${(statSync(join(dir, f)).size / 1048576).toFixed(1)}MiB`)
      .join(' ');
  } catch (err) {
    return String(err);
  }
}

async function countPrefix(store: SqlJsStore, prefix: string): Promise<number> {
  return (await store.range({ key: prefix, prefix: true }, { countOnly: true })).count;
}

/** Ours only: 100k keys, snapshot, recovery from the snapshot; then recovery of 100k keys from the WAL alone. */
async function snapshotAndRecovery(res: Results): Promise<void> {
  const prefix = '/registry/bench/big/';
  const put100k = async (store: SqlJsStore): Promise<{ opsPerSec: number; maxStallMs: number }> => {
    // Warm up (JIT, prepared statements) so the stall figure reflects steady writes; the first 500 keys are
    // written again below, so the store still holds exactly BIG_KEYS keys.
    await warmup(oursTarget(store), prefix, 500);
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const r = await runConcurrent(BIG_KEYS, INFLIGHT, (i) => store.put(`${prefix}${pad(i)}`, value1k(i, BASE_VALUE)));
    h.disable();
    return { opsPerSec: (BIG_KEYS / r.elapsedMs) * 1000, maxStallMs: h.max / 1e6 };
  };

  // Snapshot, default options (the automatic snapshot at 64 MiB of WAL may run during the writes).
  {
    const opened = await openOurs('snap');
    const dir = opened.dir;
    let store = opened.store;
    try {
      progress(`writing ${BIG_KEYS} keys (64 in flight, default options)`);
      const w = await put100k(store);
      res.set('put_64_inflight_100k_keys_throughput', { value: w.opsPerSec, unit: 'ops/s', better: 'higher' });
      res.set('event_loop_max_stall_100k_writes_default_options', { value: w.maxStallMs, unit: 'ms', better: 'lower' });
      progress(`stats after writes: ${JSON.stringify(store.stats())}`);
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      let s = performance.now();
      await store.snapshot();
      const snapMs = performance.now() - s;
      h.disable();
      res.set('snapshot_100k_keys', { value: snapMs, unit: 'ms', better: 'lower' });
      res.set('event_loop_max_stall_during_snapshot_100k_keys', { value: h.max / 1e6, unit: 'ms', better: 'lower' });
      s = performance.now();
      await store.close();
      progress(`close took ${(performance.now() - s).toFixed(0)} ms; dir: ${describeDir(dir)}`);
      s = performance.now();
      store = await openSqlJsStore({ dataDir: dir, logger });
      const recMs = performance.now() - s;
      const count = await countPrefix(store, prefix);
      if (count !== BIG_KEYS) throw new Error(`after recovery from snapshot: ${count} keys, expected ${BIG_KEYS}`);
      res.set('recovery_from_snapshot_100k_keys', { value: recMs, unit: 'ms', better: 'lower' });
      progress(`stats after reopen: ${JSON.stringify(store.stats())}`);
    } finally {
      await store.close().catch(() => undefined);
      removeDir(dir);
    }
  }

  // Recovery from the WAL alone: no automatic snapshot during the writes.
  {
    const opened = await openOurs('wal', { snapshotWalBytes: 4 * 1024 * 1024 * 1024 });
    const dir = opened.dir;
    let store = opened.store;
    try {
      progress(`writing ${BIG_KEYS} keys (64 in flight, no automatic snapshot)`);
      const w = await put100k(store);
      res.set('event_loop_max_stall_100k_writes_no_snapshot', { value: w.maxStallMs, unit: 'ms', better: 'lower' });
      progress(`${w.opsPerSec.toFixed(0)} ops/s; stats: ${JSON.stringify(store.stats())}`);
      let s = performance.now();
      await store.close();
      progress(`close took ${(performance.now() - s).toFixed(0)} ms; dir: ${describeDir(dir)}`);
      const snaps = readdirSync(dir).filter((f) => f.startsWith('snap-'));
      s = performance.now();
      store = await openSqlJsStore({ dataDir: dir, logger, snapshotWalBytes: 4 * 1024 * 1024 * 1024 });
      const recMs = performance.now() - s;
      const count = await countPrefix(store, prefix);
      if (count !== BIG_KEYS) throw new Error(`after recovery from WAL: ${count} keys, expected ${BIG_KEYS}`);
      if (snaps.length > 0) progress(`note: the data dir held ${snaps.join(', ')} at reopen (close() wrote a snapshot?)`);
      res.set(snaps.length > 0 ? 'recovery_after_close_100k_keys' : 'recovery_from_wal_100k_keys', {
        value: recMs,
        unit: 'ms',
        better: 'lower',
      });
      progress(`stats after reopen: ${JSON.stringify(store.stats())}`);
    } finally {
      await store.close().catch(() => undefined);
      removeDir(dir);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function withFreshStore(label: string, fn: (t: Target) => Promise<void>): Promise<void> {
  const { store, dir } = await openOurs(label);
  try {
    await fn(oursTarget(store));
  } finally {
    await store.close().catch((err: unknown) => progress(`close failed: ${String(err)}`));
    removeDir(dir);
  }
}

async function measureOurs(res: Results): Promise<void> {
  const rss = new RssSampler();
  rss.start();
  try {
    progress(`ours: ${SEQ_PUTS} sequential puts`);
    await withFreshStore('seq', (t) => sequentialPuts(t, res));
    progress(`ours: ${INFLIGHT_PUTS} puts, ${INFLIGHT} in flight`);
    await withFreshStore('inflight', (t) => inflightPuts(t, res, true));
    progress(`ours: latest range over ${RANGE_KEYS} keys`);
    await withFreshStore('range', (t) => rangeLatest(t, res));
    progress('ours: watch delivery');
    await withFreshStore('watch', (t) => watchWorkloads(t, res));
    await snapshotAndRecovery(res);
  } finally {
    rss.stop();
    res.set('peak_rss', { value: rss.peak / 1048576, unit: 'MiB', better: 'lower' });
  }
}

async function measureEtcd(peer: EtcdPeer, res: Results): Promise<void> {
  const t = etcdTarget(peer);
  progress(`etcd: ${SEQ_PUTS} sequential puts`);
  await sequentialPuts(t, res);
  progress(`etcd: ${INFLIGHT_PUTS} puts, ${INFLIGHT} in flight`);
  await inflightPuts(t, res, false);
  progress(`etcd: latest range over ${RANGE_KEYS} keys`);
  await rangeLatest(t, res);
  progress('etcd: watch delivery');
  await watchWorkloads(t, res);
}

export async function run(): Promise<void> {
  const ours: Results = new Map();
  const peer: Results = new Map();
  let peerName: string | undefined;
  let failure: unknown;
  const t0 = performance.now();

  if (TARGETS.has('ours')) {
    try {
      await measureOurs(ours);
    } catch (err) {
      failure = err;
      progress(`ours failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  if (TARGETS.has('etcd')) {
    const bin = findEtcd();
    if (!bin) {
      progress('note: no `etcd` on PATH (Debian: apt-get install etcd-server); reporting without peer figures');
    } else {
      let member: EtcdPeer | undefined;
      try {
        member = await startEtcd(bin);
        peerName = member.name;
        await measureEtcd(member, peer);
      } catch (err) {
        progress(`etcd peer failed: ${err instanceof Error ? err.message : String(err)}; reporting what was measured`);
      } finally {
        await member?.stop();
      }
    }
  }

  for (const [metric, m] of ours) {
    const p = peerName && peer.has(metric) ? { name: peerName, value: peer.get(metric)?.value } : undefined;
    emit(line(BENCH, metric, m.value, m.unit, m.better, p));
  }
  if (ours.size === 0) {
    // Only the peer was measured (KUBELAB_BENCH_TARGETS=etcd, or ours failed early): its figures, named as such.
    for (const [metric, m] of peer) emit(line(BENCH, `etcd_${metric}`, m.value, m.unit, m.better));
  }
  progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (failure) throw failure;
}
