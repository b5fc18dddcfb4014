/**
 * Issue 11, Faults → "Disk trouble" (test/helpers/reliability/disk-trouble.ts) at CI size: the data directory of a
 * running cluster fills up (tmpfs; RLIMIT_FSIZE where mounting is not permitted) and turns read-only (ext4 error →
 * remount-ro; skipped with the reason where loop devices cannot be mounted). Asserted: every write during the fault
 * refused with a 5xx Status naming the cause and the file, reads served without one error, the process alive, writes
 * back within the bound once the fault clears, controllers converging after it, and after a SIGKILL and restart
 * every acknowledged write there exactly. A negative control shows the ledger check catches a lost write.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diskTrouble } from '../helpers/reliability/disk-trouble';
import { DiskWriters, type Acked } from '../helpers/reliability/disk-ledger';
import type { HttpsTransport } from '../../src/client/https-transport';

describe('reliability: disk trouble', () => {
  it('full and read-only data directory: writes refused with 5xx, reads served, nothing lost, resumes', { timeout: 170_000 }, async (t) => {
    const r = await diskTrouble({
      faults: ['full', 'read-only'],
      writers: 4,
      warmupMs: 1500,
      faultMs: 12_000,
      resumeBoundMs: 15_000,
      convergeBoundMs: 45_000,
      log: (m) => t.diagnostic(m),
    });
    for (const f of r.rounds) t.diagnostic(JSON.stringify(f));
    assert.deepEqual(r.violations, []);
    const full = r.rounds.find((f) => f.fault === 'full')!;
    assert.equal(full.skipped, undefined);
    for (const f of r.rounds.filter((x) => !x.skipped)) {
      assert.ok(f.writesRefusedDuringFault > 0, `${f.fault}: writes were refused`);
      assert.equal(f.readErrorsDuringFault, 0);
      assert.ok(f.readsDuringFault > 0);
      assert.equal(f.ackedLostAfterRestart, 0);
      assert.ok(f.writesAcked > 0);
    }
  });

  it('negative control: the ledger check reports an acknowledged write that is not stored', () => {
    const w = new DiskWriters({} as HttpsTransport, 0);
    w.acked.set('dt-0-1', { rv: '10', data: { v: '1' } });
    w.acked.set('dt-0-2', null);
    w.refusedCreates.add('dt-0-3');
    const ok = w.checkAgainst(new Map<string, Acked>([['dt-0-1', { rv: '10', data: { v: '1' } }]]));
    assert.deepEqual(ok, { lost: 0, violations: [] });
    const bad = w.checkAgainst(new Map<string, Acked>([['dt-0-1', { rv: '9', data: { v: '1' } }], ['dt-0-2', { rv: '11', data: {} }], ['dt-0-3', { rv: '12', data: {} }]]));
    assert.equal(bad.lost, 1);
    assert.equal(bad.violations.length, 3);
  });

  it('a write refused with an unknown outcome may be found applied, whole; nothing else is excused', () => {
    const w = new DiskWriters({} as HttpsTransport, 0);
    w.acked.set('dt-0-1', { rv: '10', data: { v: '1' } });
    w.unknownOutcome.set('dt-0-1', [{ v: '2' }]);
    w.refusedCreates.add('dt-0-3');
    w.unknownOutcome.set('dt-0-3', [{ v: '3' }]);
    assert.deepEqual(w.checkAgainst(new Map<string, Acked>([['dt-0-1', { rv: '14', data: { v: '2' } }], ['dt-0-3', { rv: '15', data: { v: '3' } }]])), { lost: 0, violations: [] });
    assert.equal(w.unknownApplied, 2);
    const bad = w.checkAgainst(new Map<string, Acked>([['dt-0-1', { rv: '14', data: { v: '9' } }], ['dt-0-3', { rv: '15', data: { v: '9' } }]]));
    assert.equal(bad.lost, 1);
    assert.equal(bad.violations.length, 2);
  });
});
