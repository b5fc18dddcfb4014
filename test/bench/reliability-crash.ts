/**
 * The crash-under-load figures of the reliability suite (issue 11, Faults): `benchCrash()` runs
 * test/helpers/reliability/crash-under-load.ts with full parameters — 30 rounds (never fewer than 20 at scale 1),
 * 16 clients, SIGKILL 100–1500 ms into each round — and prints one JSON line per figure. KUBELAB_BENCH_SCALE (default
 * 1) scales the rounds down for a smoke run. Violations are printed to stderr and counted in `crash_violations`.
 */
import { crashUnderLoad } from '../helpers/reliability/crash-under-load';
import { emit, line, percentile, progress, type Better } from './util';

const SCALE = Number(process.env.KUBELAB_BENCH_SCALE ?? '1') || 1;

export async function benchCrash(): Promise<void> {
  const rounds = Math.max(1, Math.round(30 * SCALE));
  const bound = 30_000;
  progress(`crash under load: ${rounds} rounds, 16 clients, convergence bound ${bound} ms`);
  const r = await crashUnderLoad({ rounds, clients: 16, convergenceBoundMs: bound, log: progress });
  for (const v of r.violations) progress(`VIOLATION ${v}`);
  const out: [string, number, string, Better][] = [
    ['crash_rounds', r.rounds, 'rounds', 'higher'],
    ['crash_acked_writes', r.acked, 'writes', 'higher'],
    ['crash_unacked_writes', r.unacked, 'writes', 'lower'],
    ['crash_unacked_writes_applied', r.unackedApplied, 'writes', 'lower'],
    ['crash_lost_acked_writes', r.lost, 'writes', 'lower'],
    ['crash_half_done', r.halfDone, 'objects', 'lower'],
    ['crash_duplicates', r.duplicates, 'objects', 'lower'],
    ['crash_violations', r.violations.length, 'violations', 'lower'],
    ['crash_restart_p50', percentile(r.restartMs, 50), 'ms', 'lower'],
    ['crash_restart_max', Math.max(...r.restartMs), 'ms', 'lower'],
    ['crash_convergence_p50', percentile(r.convergenceMs, 50), 'ms', 'lower'],
    ['crash_convergence_max', Math.max(...r.convergenceMs), 'ms', 'lower'],
    ['crash_convergence_bound', bound, 'ms', 'lower'],
  ];
  for (const [metric, value, unit, better] of out) emit(line('reliability', metric, value, unit, better));
}
