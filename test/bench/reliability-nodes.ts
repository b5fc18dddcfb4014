/**
 * Issue 11, Faults → "Node failures" at full size for `npm run bench -- reliability`: 20 rounds of kubelets stopped
 * and started at random under the node-failure workload (test/helpers/reliability/node-failures.ts), every 4th a
 * long outage past the node-monitor grace period, the short ones 1–20 s. KUBELAB_BENCH_SCALE scales the rounds (at
 * least 2, so a smoke run still has one long outage). One JSON line per figure; progress on stderr.
 */
import { runNodeFailures } from '../helpers/reliability/node-failures';
import { emit, line, percentile, progress, type Better } from './util';

const SCALE = Number(process.env.KUBELAB_BENCH_SCALE ?? '1') || 1;

export async function benchNodes(): Promise<void> {
  const rounds = Math.max(2, Math.round(20 * SCALE));
  progress(`node failures: ${rounds} rounds`);
  const r = await runNodeFailures({ rounds, longEvery: 4, shortDownMs: [1000, 20_000], log: (m) => progress(`node failures: ${m}`) });
  for (const v of [...r.identityViolations, ...r.violations]) progress(`node failures: VIOLATION ${v}`);
  // Short outages (below the grace period) are invisible in the API and recover at once; the long ones apart:
  const long = r.detail.filter((d) => d.kind === 'long' && d.recoveryMs !== undefined).map((d) => d.recoveryMs ?? NaN);
  const figures: [string, number, string, Better][] = [
    ['rounds', r.rounds, 'rounds', 'higher'],
    ['faults_injected', r.faults, 'kubelet stops', 'higher'],
    ['long_outages', r.longRounds, 'rounds', 'higher'],
    ['recovery_p50', r.recoveryP50Ms, 'ms', 'lower'],
    ['recovery_max', r.recoveryMaxMs, 'ms', 'lower'],
    ['recovery_after_long_outage_p50', percentile(long, 50), 'ms', 'lower'],
    ['recovery_after_long_outage_max', long.length ? Math.max(...long) : NaN, 'ms', 'lower'],
    ['deployments_below_desired_while_down_p50', percentile(r.deploymentsBelowWhileDownMs, 50), 'ms', 'lower'],
    ['eviction_after_stop_p50', percentile(r.evictionAfterStopMs, 50), 'ms', 'lower'],
    ['statefulset_pods_stuck_terminating', r.stuckTerminating, 'pods', 'higher'],
    ['identity_violations', r.identityViolations.length, 'violations', 'lower'],
    ['unrecovered_rounds', r.unrecoveredRounds, 'rounds', 'lower'],
    ['other_violations', r.violations.length - r.unrecoveredRounds, 'violations', 'lower'],
  ];
  for (const [metric, value, unit, better] of figures) emit(line('reliability', `nodes_${metric}`, value, unit, better));
}
