/**
 * The eviction subresource's budget decision (upstream eviction.go checkAndDecrement): refusals and their exact
 * Status, the decrement, the DisruptionAllowed condition at 0, disruptedPods (not in dry runs), and which pods skip
 * the budget. The full flow runs in test/integration/controllers/disruption.test.ts.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredObject } from '../../../../src/api/object';
import { StatusError } from '../../../../src/api/status';
import { canIgnorePDB, decrementBudget } from '../../../../src/apiserver/registry/eviction';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const pdb = (status: Record<string, unknown>, generation?: number): StoredObject => ({ metadata: { name: 'web', namespace: 'ns', generation }, spec: {}, status }) as StoredObject;

function refusal(f: () => unknown): StatusError['status'] {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    return e.status;
  }
  assert.fail('expected a refusal');
}

describe('decrementBudget', () => {
  it('refuses with 429 and the needs/has cause when no disruption is allowed', () => {
    const st = refusal(() => decrementBudget(pdb({ disruptionsAllowed: 0, desiredHealthy: 2, currentHealthy: 2 }), 'p', T0, false));
    assert.deepEqual(st, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      code: 429,
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] },
    });
  });

  it('refuses with 429 (retry after 10 s) while the budget is not processed', () => {
    const st = refusal(() => decrementBudget(pdb({ disruptionsAllowed: 3, observedGeneration: 1 }, 2), 'p', T0, false));
    assert.equal(st.code, 429);
    assert.deepEqual(st.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }], retryAfterSeconds: 10 });
  });

  it('forbids negative budgets and too many unconfirmed evictions', () => {
    assert.equal(refusal(() => decrementBudget(pdb({ disruptionsAllowed: -1 }), 'p', T0, false)).message, 'poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative');
    const many = Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`p${i}`, '2026-01-01T00:00:00Z']));
    assert.equal(
      refusal(() => decrementBudget(pdb({ disruptionsAllowed: 5, disruptedPods: many }), 'p', T0, false)).message,
      'poddisruptionbudget.policy "web" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller',
    );
  });

  it('decrements and records the pod; at 0 the condition turns InsufficientPods', () => {
    const cond = [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', lastTransitionTime: '2025-12-31T00:00:00Z' }];
    const two = decrementBudget(pdb({ disruptionsAllowed: 2, conditions: cond }), 'p', T0, false);
    assert.deepEqual([two.disruptionsAllowed, two.disruptedPods, two.conditions?.[0].status], [1, { p: '2026-01-01T00:00:00Z' }, 'True']);
    const one = decrementBudget(pdb({ disruptionsAllowed: 1, conditions: cond, disruptedPods: { q: '2025-12-31T23:59:00Z' } }), 'p', T0, false);
    assert.deepEqual(one.disruptedPods, { q: '2025-12-31T23:59:00Z', p: '2026-01-01T00:00:00Z' });
    assert.deepEqual(one.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
    assert.equal(decrementBudget(pdb({ disruptionsAllowed: 1 }), 'p', T0, true).disruptedPods, undefined, 'dry run records nothing');
  });
});

describe('canIgnorePDB', () => {
  const pod = (phase: string, deleting = false) => ({ metadata: { name: 'p', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) }, status: { phase } }) as StoredObject;
  for (const [phase, deleting, want] of [
    ['Pending', false, true],
    ['Succeeded', false, true],
    ['Failed', false, true],
    ['Running', true, true],
    ['Running', false, false],
    ['Unknown', false, false],
  ] as const) {
    it(`${phase}${deleting ? ' being deleted' : ''}: ${want}`, () => assert.equal(canIgnorePDB(pod(phase, deleting)), want));
  }
});
