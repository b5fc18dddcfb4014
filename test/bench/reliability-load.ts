/**
 * Reliability bench, Load and "slow and dead clients" (issue 11): `benchLoad()` runs both scenarios at full size on
 * the cluster started as the README does and prints one JSON line per figure. Load: 100 clients (client-go's default
 * rate limiter, QPS 5 / burst 10) doing mixed CRUD plus 200 watchers, 120 s of warm-up then 60 s measured (RSS
 * sampled every second over those 60 s for the memory rule; the heap left after each of the cluster's full GCs in
 * them, from its --trace-gc output: the live heap over time). Bad clients: a probe doing CRUD alone
 * for 20 s, then for 40 s under 100 stalled watchers fed 64 MiB of events, requests cut mid-request and mid-body, and
 * 20 each of trickled headers, trickled bodies, silent TLS and silent TCP connections (the attack outlasts the
 * server's 32 s headers timeout, so those are closed by the server). KUBELAB_BENCH_SCALE scales counts and durations;
 * KUBELAB_BENCH_LOAD_S sets the load's measured window (a soak).
 */
import { runBadClients } from '../helpers/reliability/bad-clients';
import { runLoad, VERBS } from '../helpers/reliability/load';
import { benchScale } from '../helpers/reliability/load-kit';
import { emit, line, progress } from './util';

const MiB = 1024 * 1024;

/** KUBELAB_BENCH_LOAD_S: a longer (or shorter) measured window for the load, e.g. 600 for a 10-minute soak. */
function loadWindowMs(): number | undefined {
  const v = process.env.KUBELAB_BENCH_LOAD_S;
  if (v === undefined || v === '') return undefined;
  const s = Number(v);
  if (!Number.isFinite(s) || s < 10 || s > 86_400) throw new Error(`KUBELAB_BENCH_LOAD_S must be a number of seconds from 10 to 86400, not ${JSON.stringify(v)}`);
  return s * 1000;
}

export async function benchLoad(): Promise<void> {
  const s = benchScale();
  const n = (v: number) => Math.max(1, Math.round(v * s));
  // The store keeps storage.compactionInterval of history (5 min by default) and each watch cache its last 10,000
  // events: both grow until full. A 20 s interval and a 120 s warm-up let them fill before memory is judged.
  const window = loadWindowMs() ?? n(60_000);
  progress(`reliability load: ${n(100)} clients, ${n(200)} watchers, ${n(120_000)} ms warm-up + ${window} ms`);
  const r = await runLoad({ clients: n(100), watchers: n(200), warmupMs: n(120_000), durationMs: window, compactionInterval: '20s', traceGc: true, progress });
  const out = (metric: string, value: number, unit: string, better: 'higher' | 'lower') => emit(line('reliability', metric, value, unit, better));
  out('load_requests', r.requests, 'requests', 'higher');
  out('load_errors', r.errors, 'errors', 'lower');
  out('load_conflicts_409', r.conflicts, 'responses', 'lower');
  for (const v of VERBS) {
    out(`load_${v}_p50`, r.latency[v].p50, 'ms', 'lower');
    out(`load_${v}_p99`, r.latency[v].p99, 'ms', 'lower');
  }
  out('load_mutating_p99', r.mutatingP99, 'ms', 'lower');
  out('load_watchers_fed', r.watchersWithEvents, 'watchers', 'higher');
  out('load_watch_events', r.watchEvents, 'events', 'higher');
  out('load_rss_start', r.rss[0] / MiB, 'MiB', 'lower');
  out('load_rss_end', r.rss[r.rss.length - 1] / MiB, 'MiB', 'lower');
  out('load_rss_second_quarter_max', r.memory.secondQuarterMax / MiB, 'MiB', 'lower');
  out('load_rss_last_quarter_max', r.memory.lastQuarterMax / MiB, 'MiB', 'lower');
  out('load_rss_second_half_slope', r.memory.secondHalfSlope / MiB, 'MiB/s', 'lower');
  out('load_memory_rule_held', r.memory.ok ? 1 : 0, 'bool', 'higher');
  const gcs = r.majorGcs ?? [];
  out('load_major_gcs', gcs.length, 'collections', 'lower');
  if (gcs.length > 0) {
    // the heap left after each full collection is the live heap then: its trend is the leak test RSS cannot be
    const half = (gcs[gcs.length - 1].atMs + gcs[0].atMs) / 2;
    const maxOf = (l: typeof gcs) => Math.max(...l.map((g) => g.afterMb));
    out('load_heap_after_major_gc_first', gcs[0].afterMb, 'MB', 'lower');
    out('load_heap_after_major_gc_last', gcs[gcs.length - 1].afterMb, 'MB', 'lower');
    out('load_heap_after_major_gc_first_half_max', maxOf(gcs.filter((g) => g.atMs <= half)), 'MB', 'lower');
    out('load_heap_after_major_gc_second_half_max', maxOf(gcs.filter((g) => g.atMs > half)), 'MB', 'lower');
    progress(`heap after each full GC in the window (MB): ${gcs.map((g) => g.afterMb).join(' ')}`);
  }
  out('load_fds_before', r.fdsBefore, 'fds', 'lower');
  out('load_fds_peak', r.fdsPeak, 'fds', 'lower');
  out('load_fds_after', r.fdsAfter, 'fds', 'lower');
  out('load_violations', r.violations.length, 'violations', 'lower');
  for (const v of r.violations) progress(`load violation: ${v}`);

  progress('reliability bad clients');
  const b = await runBadClients({
    baselineMs: n(20_000),
    attackMs: n(40_000),
    stalledWatchers: n(100),
    floodBytes: 64 * MiB,
    heldPerKind: n(20),
    cutInFlight: n(8),
    progress,
  });
  out('clients_probe_baseline_p50', b.baseline.p50, 'ms', 'lower');
  out('clients_probe_baseline_p99', b.baseline.p99, 'ms', 'lower');
  out('clients_probe_attack_p50', b.attack.p50, 'ms', 'lower');
  out('clients_probe_attack_p99', b.attack.p99, 'ms', 'lower');
  out('clients_probe_errors', b.probeErrors, 'errors', 'lower');
  out('clients_cut_requests', b.cutRequests, 'requests', 'higher');
  out('clients_stalled_watchers_cut', b.stalledCut, 'watchers', 'higher');
  for (const [kind, h] of Object.entries(b.held)) out(`clients_${kind.replace(/-/g, '_')}_closed_by_server`, h.closedByServer, `of ${h.count}`, 'higher');
  out('clients_rss_baseline_peak', b.rssBaselinePeak / MiB, 'MiB', 'lower');
  out('clients_rss_attack_peak', b.rssAttackPeak / MiB, 'MiB', 'lower');
  out('clients_live_memory_attack_end', b.liveAttack / MiB, 'MiB', 'lower');
  out('clients_live_memory_bad_clients_gone', b.liveGone / MiB, 'MiB', 'lower');
  out('clients_fds_before', b.fdsBefore, 'fds', 'lower');
  out('clients_fds_attack_peak', b.fdsAttackPeak, 'fds', 'lower');
  out('clients_fds_after', b.fdsAfter, 'fds', 'lower');
  out('clients_violations', b.violations.length, 'violations', 'lower');
  for (const v of b.violations) progress(`bad-clients violation: ${v}`);
}
