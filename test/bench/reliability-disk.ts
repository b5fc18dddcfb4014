/**
 * Issue 11, Faults → "Disk trouble" at full size for `npm run bench -- reliability`: test/helpers/reliability/
 * disk-trouble.ts with 8 writers, each fault (full, read-only) twice, each lasting 25 s (longer than the leader
 * election's lease, so the controllers lose their leases and must win them back). KUBELAB_BENCH_SCALE scales the
 * rounds and the fault duration (at least one round of each, 3 s). One JSON line per figure (per fault kind: sums
 * of counts, the worst times); violations on stderr and counted in `disk_violations`.
 */
import { diskTrouble } from '../helpers/reliability/disk-trouble';
import type { DiskFaultKind } from '../helpers/reliability/disk-faults';
import { benchScale } from '../helpers/reliability/load-kit';
import { emit, line, progress, type Better } from './util';

export async function benchDisk(): Promise<void> {
  const scale = benchScale();
  const rounds = Math.max(1, Math.round(2 * scale));
  const faultMs = Math.max(3000, Math.round(25_000 * scale));
  const faults: DiskFaultKind[] = Array.from({ length: rounds }, () => ['full', 'read-only'] as DiskFaultKind[]).flat();
  progress(`disk trouble: ${faults.length} faults of ${faultMs} ms, 8 writers`);
  const r = await diskTrouble({ faults, writers: 8, warmupMs: 5000, faultMs, resumeBoundMs: 20_000, convergeBoundMs: 60_000, log: (m) => progress(`disk trouble: ${m}`) });
  for (const v of r.violations) progress(`disk trouble: VIOLATION ${v}`);
  const out = (metric: string, value: number, unit: string, better: Better) => emit(line('reliability', `disk_${metric}`, value, unit, better));
  const ran = r.rounds.filter((f) => !f.skipped);
  for (const f of r.rounds.filter((x) => x.skipped)) progress(`disk trouble: ${f.fault} skipped: ${f.skipped}`);
  out('faults_injected', ran.length, 'faults', 'higher');
  for (const kind of ['full', 'read-only'] as const) {
    const of = ran.filter((f) => f.fault === kind);
    if (!of.length) continue;
    const k = kind.replace('-', '_');
    const sum = (pick: (f: (typeof of)[number]) => number) => of.reduce((s, f) => s + pick(f), 0);
    const max = (pick: (f: (typeof of)[number]) => number) => Math.max(...of.map(pick));
    out(`${k}_faults`, of.length, 'faults', 'higher');
    out(`${k}_writes_refused_5xx`, sum((f) => f.writesRefusedDuringFault), 'writes', 'higher');
    out(`${k}_reads_served`, sum((f) => f.readsDuringFault), 'reads', 'higher');
    out(`${k}_read_errors`, sum((f) => f.readErrorsDuringFault), 'reads', 'lower');
    out(`${k}_acked_writes`, sum((f) => f.writesAcked), 'writes', 'higher');
    out(`${k}_acked_lost_after_restart`, sum((f) => f.ackedLostAfterRestart), 'writes', 'lower');
    out(`${k}_unknown_outcome_writes_applied`, sum((f) => f.unknownOutcomeApplied), 'writes', 'lower');
    out(`${k}_resume_max`, max((f) => f.resumeMs), of[0].restartNeeded ? 'ms (with a restart)' : 'ms', 'lower');
    out(`${k}_converge_max`, max((f) => f.convergeMs), 'ms', 'lower');
  }
  out('violations', r.violations.length, 'violations', 'lower');
}
