/**
 * PodDisruptionBudget status arithmetic (upstream disruption_test cases, adapted): desired healthy pods for
 * minAvailable / maxUnavailable as ints and percentages, healthy pods, the disruptedPods map and its expiry,
 * disruptionsAllowed, the DisruptionAllowed condition, the fail-safe status, and Go's text of a label selector.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { labelSelectorString } from '../../../../src/controllers/disruption/expected-scale';
import {
  buildDisruptedPodMap,
  countHealthyPods,
  expectedPodCount,
  failSafeStatus,
  nextStatus,
  scaledValue,
  setStatusCondition,
  type Condition,
} from '../../../../src/controllers/disruption/pdb-status';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const pod = (name: string, ready = true, deleting = false): CachedObject => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: iso(T0) } : {}) },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('scaledValue (GetScaledValueFromIntOrPercent)', () => {
  const cases: [number | string, number, boolean, number | string][] = [
    [3, 10, true, 3],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['0%', 5, true, 0],
    ['100%', 7, true, 7],
    ['abc', 5, true, 'invalid value for IntOrString: invalid type: string is not a percentage'],
    ['x%', 5, true, 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax'],
  ];
  for (const [v, total, up, want] of cases) {
    it(`${JSON.stringify(v)} of ${total} (${up ? 'up' : 'down'})`, () => {
      if (typeof want === 'number') assert.equal(scaledValue(v, total, up), want);
      else assert.throws(() => scaledValue(v, total, up), { message: want });
    });
  }
});

describe('expectedPodCount', () => {
  const pods = [pod('a'), pod('b'), pod('c')];
  const scale = (expected: number) => () => ({ expected, unmanaged: [] as string[] });
  const cases: [string, Record<string, unknown>, number, [number, number]][] = [
    ['minAvailable int: expected = matching pods', { minAvailable: 2 }, 10, [3, 2]],
    ['minAvailable percent: of the controllers\' scale, rounded up', { minAvailable: '34%' }, 10, [10, 4]],
    ['maxUnavailable int', { maxUnavailable: 1 }, 5, [5, 4]],
    ['maxUnavailable percent, rounded up', { maxUnavailable: '30%' }, 5, [5, 3]],
    ['maxUnavailable above the scale: 0 desired', { maxUnavailable: 9 }, 5, [5, 0]],
    ['neither', {}, 5, [0, 0]],
  ];
  for (const [name, spec, expected, want] of cases) {
    it(name, () => {
      const r = expectedPodCount(spec, pods, scale(expected));
      assert.deepEqual([r.expectedCount, r.desiredHealthy], want);
    });
  }
});

describe('healthy pods and disruptedPods', () => {
  it('counts ready pods that are neither being deleted nor recently evicted', () => {
    const pods = [pod('a'), pod('b', false), pod('c', true, true), pod('d'), pod('e')];
    assert.equal(countHealthyPods(pods, { d: iso(T0), e: iso(T0 - 3 * 60_000) }, T0 + 1000), 2);
  });

  it('keeps recent entries of pods not yet being deleted, drops the rest, and says when to look again', () => {
    const pods = [pod('a'), pod('b'), pod('c', true, true)];
    const status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: { a: iso(T0), b: iso(T0 - 5 * 60_000), c: iso(T0), gone: iso(T0) } };
    const r = buildDisruptedPodMap(pods, status, T0 + 10_000);
    assert.deepEqual(r.disrupted, { a: iso(T0) });
    assert.deepEqual(r.expired.map((p) => p.metadata?.name), ['b']);
    assert.equal(r.recheckAt, T0 + 120_000);
  });
});

describe('nextStatus and conditions', () => {
  const v = { currentHealthy: 3, desiredHealthy: 2, expectedCount: 3, disrupted: {} };

  it('allows currentHealthy - desiredHealthy disruptions with SufficientPods', () => {
    const st = nextStatus(undefined, 0, v, T0)!;
    assert.deepEqual(st, {
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', lastTransitionTime: iso(T0), reason: 'SufficientPods', message: '' }],
    });
    assert.equal(nextStatus(st, 0, v, T0 + 5000), undefined, 'nothing to write when up to date');
    const gen = nextStatus(st, 2, v, T0 + 5000)!;
    assert.equal(gen.observedGeneration, 2);
    assert.equal(gen.conditions?.[0].observedGeneration, 2);
    assert.equal(gen.conditions?.[0].lastTransitionTime, iso(T0), 'same status: transition time kept');
  });

  it('allows nothing without expected pods or healthy margin, with InsufficientPods', () => {
    assert.equal(nextStatus(undefined, 0, { ...v, expectedCount: 0 }, T0)?.disruptionsAllowed, 0);
    const st = nextStatus(undefined, 0, { ...v, currentHealthy: 1 }, T0)!;
    assert.deepEqual([st.disruptionsAllowed, st.conditions?.[0].status, st.conditions?.[0].reason], [0, 'False', 'InsufficientPods']);
  });

  it('fails safe: no disruptions, SyncFailed with the error', () => {
    const st = failSafeStatus(nextStatus(undefined, 0, v, T0), 'found no controllers for pod "x"', T0 + 1000);
    assert.equal(st.disruptionsAllowed, 0);
    assert.deepEqual(st.conditions, [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: iso(T0 + 1000), reason: 'SyncFailed', message: 'found no controllers for pod "x"' }]);
  });

  it('SetStatusCondition moves the transition time only when the status changes', () => {
    const conds: Condition[] = [];
    assert.equal(setStatusCondition(conds, { type: 'X', status: 'True', reason: 'A', message: '' }, T0), true);
    assert.equal(setStatusCondition(conds, { type: 'X', status: 'True', reason: 'A', message: '' }, T0 + 1000), false);
    assert.equal(setStatusCondition(conds, { type: 'X', status: 'True', reason: 'B', message: 'm' }, T0 + 2000), true);
    assert.equal(conds[0].lastTransitionTime, iso(T0));
    setStatusCondition(conds, { type: 'X', status: 'False', reason: 'B', message: 'm' }, T0 + 3000);
    assert.equal(conds[0].lastTransitionTime, iso(T0 + 3000));
  });
});

describe('labelSelectorString (metav1.LabelSelector String())', () => {
  it('prints labels sorted and expressions', () => {
    assert.equal(labelSelectorString(undefined), 'nil');
    assert.equal(
      labelSelectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] }),
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}',
    );
  });
});
