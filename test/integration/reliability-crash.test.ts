/**
 * Issue 11, Faults → "Crash under load": the cluster (`npm start`, a child process) is SIGKILLed at a random moment
 * of each of 20 rounds while 16 HTTPS clients create, update, patch and delete ConfigMaps and Secrets and one
 * Deployment is scaled; after each restart on the same data directory nothing acknowledged is lost, nothing is
 * half-done or duplicated, and the controllers converge within the stated bound (30 s, generous for a busy CI box;
 * idle runs converge in well under a second). The checker itself is tested first on fabricated histories (negative
 * controls: it must report a lost write, a half-done one, a duplicate and a revision going backwards).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkObjects, type Data, type Observed, type ObjectHistory, type Served, type Write } from '../helpers/reliability/crash-history';
import { crashUnderLoad } from '../helpers/reliability/crash-under-load';

const CONVERGENCE_BOUND_MS = 30_000;

const w = (wid: string, verb: Write['verb'], outcome: Write['outcome'], rv?: string, extra: Data = {}): Write => ({
  wid,
  verb,
  outcome,
  rv,
  intended: verb === 'delete' ? null : { wid, ...extra },
});
const at = (rv: string, wid: string, extra: Data = {}): Observed => ({ rv, data: { wid, ...extra } });
const KEY = 'configmaps/x';

/** What the restarted cluster serves when only KEY exists (or not), LIST and GET agreeing. */
function served(o: Observed, listRv = '100', listed: string[] = o ? [KEY] : []): Served {
  return { listed, fromList: new Map([[KEY, o]]), fromGet: new Map([[KEY, o]]), listRv };
}

function check(base: Observed, writes: Write[], now: Served) {
  const h: ObjectHistory = { key: KEY, base, writes };
  return checkObjects([h], now);
}

describe('crash checker (fabricated histories)', () => {
  const allowed: [string, Observed, Write[], Observed][] = [
    ['the last acked write, with its rv', null, [w('a', 'create', 'acked', '5'), w('b', 'update', 'acked', '7')], at('7', 'b')],
    ['an unacked update applied (rv above the last ack)', at('3', 'z'), [w('a', 'update', 'acked', '5'), w('b', 'update', 'unknown')], at('9', 'b')],
    ['an unacked update not applied', at('3', 'z'), [w('a', 'update', 'acked', '5'), w('b', 'update', 'unknown')], at('5', 'a')],
    ['an unacked delete applied', at('3', 'z'), [w('a', 'delete', 'unknown')], null],
    ['an acked delete', at('3', 'z'), [w('a', 'delete', 'acked')], null],
    ['a rejected write ignored', at('3', 'z'), [w('a', 'update', 'rejected')], at('3', 'z')],
  ];
  for (const [name, base, writes, now] of allowed) {
    it(`allows ${name}`, () => {
      const v = check(base, writes, served(now));
      assert.deepEqual([...v.lost, ...v.halfDone, ...v.duplicates, ...v.inconsistent], []);
    });
  }

  const lost: [string, Observed, Write[], Observed][] = [
    ['an acked create gone', null, [w('a', 'create', 'acked', '5')], null],
    ['an acked update rolled back', at('3', 'z'), [w('a', 'update', 'acked', '5')], at('3', 'z')],
    ['an acked update at another rv', at('3', 'z'), [w('a', 'update', 'acked', '5')], at('6', 'a')],
    ['an acked delete undone', at('3', 'z'), [w('a', 'delete', 'acked')], at('3', 'z')],
    ['an earlier ack shown after a later ack', null, [w('a', 'create', 'acked', '5'), w('b', 'update', 'acked', '6')], at('5', 'a')],
    ['an unacked write applied below the last acked rv', at('3', 'z'), [w('a', 'update', 'acked', '5'), w('b', 'update', 'unknown')], at('4', 'b')],
  ];
  for (const [name, base, writes, now] of lost) {
    it(`reports a lost write: ${name}`, () => {
      const v = check(base, writes, served(now));
      assert.equal(v.lost.length, 1, JSON.stringify(v));
      assert.match(v.lost[0], /^configmaps\/x: shows /);
    });
  }

  it('reports half-done data (no write sent it)', () => {
    const v = check(null, [w('a', 'create', 'acked', '5', { p: '1' }), w('b', 'update', 'unknown', undefined, { p: '2' })], served(at('9', 'b', { p: '1' })));
    assert.equal(v.halfDone.length, 1, JSON.stringify(v));
    assert.equal(v.lost.length, 0);
  });

  it('reports a duplicate in the LIST, LIST ≠ GET and a revision below an acked one', () => {
    const o = at('5', 'a');
    const dup = check(null, [w('a', 'create', 'acked', '5')], served(o, '100', [KEY, KEY]));
    assert.deepEqual(dup.duplicates, ['configmaps/x: listed 2 times']);
    const split: Served = { ...served(o), fromList: new Map([[KEY, at('4', 'z')]]) };
    assert.equal(check(null, [w('a', 'create', 'acked', '5')], split).inconsistent.length, 1);
    const back = check(null, [w('a', 'create', 'acked', '5')], served(o, '4'));
    assert.ok(back.inconsistent.some((s) => /below the highest acknowledged resourceVersion 5/.test(s)), JSON.stringify(back));
  });
});

describe('crash under load (npm start, SIGKILL, restart)', () => {
  it('20 rounds: nothing acknowledged lost, nothing half-done or duplicated, controllers converge', { timeout: 480_000 }, async (t) => {
    const r = await crashUnderLoad({ rounds: 20, clients: 16, convergenceBoundMs: CONVERGENCE_BOUND_MS, log: (m) => t.diagnostic(m) });
    const { violations, restartMs, convergenceMs, ...figures } = r;
    t.diagnostic(JSON.stringify({ ...figures, restartMaxMs: Math.max(...restartMs), convergenceMaxMs: Math.max(...convergenceMs) }));
    assert.deepEqual(violations, []);
    assert.equal(r.rounds, 20, 'every round restarted the cluster');
    assert.deepEqual([r.lost, r.halfDone, r.duplicates, r.inconsistent, r.rejected], [0, 0, 0, 0, 0]);
    assert.ok(r.acked >= 20 * 16, `acknowledged writes: ${r.acked}`);
    assert.ok(r.unacked >= 20, `every kill caught writes in flight: ${r.unacked}`);
    assert.ok(Math.max(...convergenceMs) <= CONVERGENCE_BOUND_MS, `convergence times ${convergenceMs.join(', ')}`);
  });
});
