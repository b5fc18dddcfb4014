import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nodeShouldRunDaemonPod } from '../../../../src/controllers/daemonset/node-should-run';
import { planRollingUpdate } from '../../../../src/controllers/daemonset/rolling-update';
import type { Pod } from '../../../../src/controllers/daemonset/types';
import { ds, node, pod } from './fixtures';

const NOW = Date.parse('2026-01-01T01:00:00Z');
type State = 'none' | 'oldAvail' | 'oldUnavail' | 'newAvail' | 'newUnavail' | 'both';

function world(states: State[]): { nodes: ReturnType<typeof node>[]; byNode: Map<string, Pod[]>; avail: Set<string> } {
  const nodes = states.map((_, i) => node(`n${i}`));
  const byNode = new Map<string, Pod[]>();
  const avail = new Set<string>();
  states.forEach((s, i) => {
    const n = `n${i}`;
    const mk = (name: string, hash: string, ready: boolean) => {
      if (ready) avail.add(name);
      return pod(name, { node: n, hash, ready });
    };
    if (s === 'none') return;
    if (s === 'both') byNode.set(n, [mk(`old-${i}`, 'old', true), mk(`new-${i}`, 'new', false)]);
    else byNode.set(n, [mk(`${s.startsWith('old') ? 'old' : 'new'}-${i}`, s.startsWith('old') ? 'old' : 'new', s.endsWith('Avail'))]);
  });
  return { nodes, byNode, avail };
}

const rolling = (ru: Record<string, unknown>) => ds({}, { strategy: { type: 'RollingUpdate', rollingUpdate: ru } });

describe('rollingUpdate without surge', () => {
  it('deletes old available pods up to maxUnavailable, and every unavailable old pod', () => {
    const w = world(['oldAvail', 'oldAvail', 'oldAvail', 'oldUnavail']);
    const set = rolling({ maxUnavailable: 2, maxSurge: 0 });
    const plan = planRollingUpdate({ ds: set, nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: (n) => nodeShouldRunDaemonPod(n, set) });
    assert.deepEqual(plan.creates, []);
    assert.deepEqual(plan.deletes.sort(), ['old-0', 'old-3']);
  });
  it('waits while new pods are unavailable', () => {
    const w = world(['newUnavail', 'oldAvail', 'oldAvail']);
    const set = rolling({ maxUnavailable: 1, maxSurge: 0 });
    assert.deepEqual(planRollingUpdate({ ds: set, nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: () => ({ shouldRun: true, shouldContinueRunning: true }) }).deletes, []);
  });
  it('takes maxUnavailable 1 when both limits are 0, and percentages round up', () => {
    const w = world(['oldAvail', 'oldAvail', 'oldAvail']);
    const zero = rolling({ maxUnavailable: 0, maxSurge: 0 });
    const v = () => ({ shouldRun: true, shouldContinueRunning: true });
    const p0 = planRollingUpdate({ ds: zero, nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: v });
    assert.equal(p0.maxUnavailable, 1);
    assert.equal(p0.deletes.length, 1);
    const pct = planRollingUpdate({ ds: rolling({ maxUnavailable: '34%' }), nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: v });
    assert.equal(pct.maxUnavailable, 2);
    assert.equal(pct.deletes.length, 2);
  });
  it('reports a malformed maxUnavailable as upstream', () => {
    const w = world(['oldAvail']);
    assert.throws(() => planRollingUpdate({ ds: rolling({ maxUnavailable: 'x' }), nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: () => ({ shouldRun: true, shouldContinueRunning: true }) }), {
      message: 'invalid value for MaxUnavailable: invalid value for IntOrString: invalid type: string is not a percentage',
    });
  });

  it('never makes more than maxUnavailable nodes unavailable (property)', () => {
    const states = fc.array(fc.constantFrom<State>('none', 'oldAvail', 'oldUnavail', 'newAvail', 'newUnavail', 'both'), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(states, fc.integer({ min: 0, max: 5 }), (ss, maxU) => {
        const w = world(ss);
        const set = rolling({ maxUnavailable: maxU, maxSurge: 0 });
        const plan = planRollingUpdate({ ds: set, nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: () => ({ shouldRun: true, shouldContinueRunning: true }) });
        const effectiveMax = Math.max(maxU, 1);
        const unavailableBefore = ss.filter((s) => s !== 'oldAvail' && s !== 'newAvail').length;
        const availableDeleted = plan.deletes.filter((n) => w.avail.has(n)).length;
        assert.ok(unavailableBefore + availableDeleted <= Math.max(effectiveMax, unavailableBefore), `${unavailableBefore}+${availableDeleted} > ${effectiveMax}`);
        assert.ok(plan.deletes.every((n) => n.startsWith('old-')), 'only old pods are deleted');
        ss.forEach((s, i) => {
          if (s === 'oldUnavail') assert.ok(plan.deletes.includes(`old-${i}`), 'unavailable old pods are replaced at once');
        });
      }),
    );
  });
});

describe('rollingUpdate with surge', () => {
  const v = () => ({ shouldRun: true, shouldContinueRunning: true });
  it('creates up to maxSurge new pods next to available old ones, at once where the old pod is unavailable', () => {
    const w = world(['oldAvail', 'oldAvail', 'oldAvail', 'oldUnavail']);
    const plan = planRollingUpdate({ ds: rolling({ maxUnavailable: 0, maxSurge: 1 }), nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: v });
    assert.deepEqual(plan.deletes, []);
    assert.deepEqual(plan.creates, ['n3', 'n0']);
  });
  it('deletes the old pod once the new one is available, and counts pending new pods against maxSurge', () => {
    const w = world(['both', 'oldAvail']);
    const plan = planRollingUpdate({ ds: rolling({ maxUnavailable: 0, maxSurge: 1 }), nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: v });
    assert.deepEqual(plan, { maxSurge: 1, maxUnavailable: 0, deletes: [], creates: [] });
    const ready = pod('new-0', { node: 'n0', hash: 'new', ready: true });
    w.byNode.set('n0', [w.byNode.get('n0')![0], ready]);
    const next = planRollingUpdate({ ds: rolling({ maxUnavailable: 0, maxSurge: 1 }), nodes: w.nodes, byNode: w.byNode, hash: 'new', now: NOW, verdict: v });
    assert.deepEqual(next.deletes, ['old-0']);
    assert.deepEqual(next.creates, ['n1']);
  });
});
