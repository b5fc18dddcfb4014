/**
 * The namespace deletion conditions, as upstream status_condition_utils.go words them: the five success variants on
 * a clean pass, failure variants (discovery, content failure with sorted messages, remaining resources and
 * finalizers with sorted parts), `lastTransitionTime` moving only when the status flips, and no change reported
 * when nothing changed.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONDITION_TYPES, NamespaceConditionUpdater, type NamespaceCondition } from '../../../../src/controllers/namespace/conditions';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const byType = (cs: NamespaceCondition[]) => new Map(cs.map((c) => [c.type, c]));

describe('NamespaceConditionUpdater', () => {
  it('a clean pass sets the five success conditions', () => {
    const cs: NamespaceCondition[] = [];
    const u = new NamespaceConditionUpdater(T0);
    u.contentTotals({ remainingByResource: new Map(), remainingByFinalizer: new Map() });
    assert.equal(u.update(cs), true);
    assert.deepEqual(cs.map((c) => c.type), [...CONDITION_TYPES]);
    assert.deepEqual(cs, [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: T0, reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', lastTransitionTime: T0, reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: T0, reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      { type: 'NamespaceContentRemaining', status: 'False', lastTransitionTime: T0, reason: 'ContentRemoved', message: 'All content successfully removed' },
      { type: 'NamespaceFinalizersRemaining', status: 'False', lastTransitionTime: T0, reason: 'ContentRemoved', message: 'All content successfully removed' },
    ]);
    assert.equal(new NamespaceConditionUpdater(T1).update(cs), false, 'the same state again changes nothing');
    assert.equal(cs[0].lastTransitionTime, T0);
  });

  it('failures: discovery, content deletion, remaining resources and finalizers', () => {
    const cs: NamespaceCondition[] = [];
    new NamespaceConditionUpdater(T0).update(cs);
    const u = new NamespaceConditionUpdater(T1);
    u.discoveryFailed('unable to retrieve the complete list of server APIs: x.io/v1: boom', 1);
    u.deleteContentFailed('zzz failed');
    u.deleteContentFailed('aaa failed');
    u.contentTotals({
      remainingByResource: new Map([['widgets.x.io', 2], ['pods.', 1]]),
      remainingByFinalizer: new Map([['b.io/f', 1], ['a.io/f', 3]]),
    });
    assert.equal(u.update(cs), true);
    const c = byType(cs);
    assert.deepEqual(c.get('NamespaceDeletionDiscoveryFailure'), {
      type: 'NamespaceDeletionDiscoveryFailure',
      status: 'True',
      lastTransitionTime: T1,
      reason: 'DiscoveryFailed',
      message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: x.io/v1: boom',
    });
    assert.equal(c.get('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 2 remaining: aaa failed, zzz failed');
    assert.equal(c.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeletionFailed');
    assert.equal(c.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: pods. has 1 resource instances, widgets.x.io has 2 resource instances');
    assert.equal(c.get('NamespaceFinalizersRemaining')?.message, 'Some finalizers are remaining: a.io/f in 3 resource instances, b.io/f in 1 resource instances');
    assert.equal(c.get('NamespaceFinalizersRemaining')?.reason, 'SomeFinalizerRemain');
    assert.equal(c.get('NamespaceDeletionGroupVersionParsingFailure')?.lastTransitionTime, T0, 'unchanged condition keeps its time');
  });

  it('a message change without a status flip keeps lastTransitionTime', () => {
    const cs: NamespaceCondition[] = [];
    const u1 = new NamespaceConditionUpdater(T0);
    u1.contentTotals({ remainingByResource: new Map([['pods.', 2]]), remainingByFinalizer: new Map() });
    u1.update(cs);
    const u2 = new NamespaceConditionUpdater(T1);
    u2.contentTotals({ remainingByResource: new Map([['pods.', 1]]), remainingByFinalizer: new Map() });
    assert.equal(u2.update(cs), true);
    const c = byType(cs).get('NamespaceContentRemaining');
    assert.equal(c?.message, 'Some resources are remaining: pods. has 1 resource instances');
    assert.equal(c?.lastTransitionTime, T0);
    const u3 = new NamespaceConditionUpdater(T1);
    u3.contentTotals({ remainingByResource: new Map(), remainingByFinalizer: new Map() });
    u3.update(cs);
    assert.equal(byType(cs).get('NamespaceContentRemaining')?.lastTransitionTime, T1, 'status flip moves the time');
  });
});
