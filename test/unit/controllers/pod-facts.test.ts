import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { labelSelectorFromSet } from '../../../src/api/selectors/label-selector';
import type { CachedObject } from '../../../src/client/informers';
import { availableAt, fullyLabeled, podFacts, selectedBy, templateEntries } from '../../../src/controllers/framework/pod-facts';

function pod(o: { phase?: string; deleting?: boolean; owner?: string; ready?: string; since?: string; labels?: Record<string, string> }): CachedObject {
  return Object.freeze({
    metadata: {
      name: 'p',
      namespace: 'default',
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2026-11-27T00:00:00Z' } : {}),
      ...(o.owner
        ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Foo', name: 'x', uid: 'other' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.owner, controller: true }] }
        : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ready ? { conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: o.ready, ...(o.since ? { lastTransitionTime: o.since } : {}) }] } : {}),
    },
  }) as CachedObject;
}

describe('pod facts', () => {
  it('reads active, controller uid and readiness as pod-util does', () => {
    assert.deepEqual(
      [pod({}), pod({ phase: 'Succeeded' }), pod({ phase: 'Failed' }), pod({ deleting: true })].map((p) => podFacts(p).active),
      [true, false, false, false],
    );
    assert.equal(podFacts(pod({ owner: 'u1' })).controllerUid, 'u1');
    assert.equal(podFacts(pod({})).controllerUid, undefined);
    const r = podFacts(pod({ ready: 'True', since: '2026-11-27T10:00:00Z' }));
    assert.equal(r.ready, true);
    assert.equal(r.readySinceMs, Date.parse('2026-11-27T10:00:00Z'));
    assert.equal(podFacts(pod({ ready: 'False' })).ready, false);
    assert.ok(Number.isNaN(podFacts(pod({ ready: 'True' })).readySinceMs));
  });

  it('is computed once per pod object', () => {
    const p = pod({});
    assert.equal(podFacts(p), podFacts(p));
    assert.notEqual(podFacts(pod({})), podFacts(p));
  });

  it('answers selector and template questions again when asked with another selector or template', () => {
    const f = podFacts(pod({ labels: { app: 'web', tier: 'fe' } }));
    assert.equal(selectedBy(f, labelSelectorFromSet({ app: 'web' })), true);
    assert.equal(selectedBy(f, labelSelectorFromSet({ app: 'db' })), false);
    assert.equal(selectedBy(f, labelSelectorFromSet({ tier: 'fe' })), true);
    assert.equal(fullyLabeled(f, templateEntries({ app: 'web', tier: 'fe' })), true);
    assert.equal(fullyLabeled(f, templateEntries({ app: 'web', tier: 'be' })), false);
    assert.equal(fullyLabeled(f, templateEntries({})), true);
    assert.equal(templateEntries({ a: '1' }), templateEntries({ a: '1' }), 'one shared list per label set');
  });

  it('availableAt: ready, and ready for minReadySeconds by the given clock', () => {
    const since = Date.parse('2026-11-27T10:00:00Z');
    const f = podFacts(pod({ ready: 'True', since: '2026-11-27T10:00:00Z' }));
    assert.equal(availableAt(f, 0, since), true);
    assert.equal(availableAt(f, 10, since + 9_999), false);
    assert.equal(availableAt(f, 10, since + 10_000), true);
    assert.equal(availableAt(podFacts(pod({ ready: 'True' })), 10, since), false, 'no transition time: never available with minReadySeconds');
    assert.equal(availableAt(podFacts(pod({ ready: 'False', since: '2026-11-27T10:00:00Z' })), 0, since + 1e9), false);
  });
});
