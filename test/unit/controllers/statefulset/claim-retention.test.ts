/** persistentVolumeClaimRetentionPolicy as claim ownerReferences, after upstream TestIsClaimOwnerUpToDate. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { claimOwnerRefsFor, hasUnexpectedController, isClaimOwnerUpToDate } from '../../../../src/controllers/statefulset/claim-retention';
import type { Claim, Pod, StatefulSet } from '../../../../src/controllers/statefulset/types';

const POLICIES = ['Retain', 'Delete'] as const;

function set(whenScaled: string, whenDeleted: string, replicas = 2): StatefulSet {
  return { metadata: { name: 'web', namespace: 'ns', uid: 'set-uid' }, spec: { replicas, persistentVolumeClaimRetentionPolicy: { whenScaled, whenDeleted } } };
}
const pod = (ordinal: number, uid = `pod-uid-${ordinal}`): Pod => ({ metadata: { name: `web-${ordinal}`, namespace: 'ns', uid } });
const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
const podRef = (ordinal: number, uid = `pod-uid-${ordinal}`) => ({ apiVersion: 'v1', kind: 'Pod', name: `web-${ordinal}`, uid, controller: true, blockOwnerDeletion: true });
const claim = (refs: object[]): Claim => ({ metadata: { name: 'www-web-0', ownerReferences: refs as never } });

describe('statefulset claim retention', () => {
  it('wants the references of the policy table (in range / scaled down)', () => {
    // [whenScaled, whenDeleted, ordinal (replicas 2), expected refs]
    const cases: [string, string, number, object[]][] = [
      ['Retain', 'Retain', 0, []],
      ['Retain', 'Retain', 5, []],
      ['Retain', 'Delete', 0, [setRef]],
      ['Retain', 'Delete', 5, [setRef]],
      ['Delete', 'Retain', 0, []],
      ['Delete', 'Retain', 5, [podRef(5)]],
      ['Delete', 'Delete', 0, [setRef]],
      ['Delete', 'Delete', 5, [podRef(5)]],
    ];
    for (const [scaled, deleted, ordinal, want] of cases) {
      const s = set(scaled, deleted);
      const p = pod(ordinal);
      const refs = claimOwnerRefsFor(claim([]), s, p);
      assert.deepEqual(refs, want, `${scaled}/${deleted} web-${ordinal}`);
      assert.equal(isClaimOwnerUpToDate(claim(refs), s, p), true);
      assert.equal(isClaimOwnerUpToDate(claim([]), s, p), want.length === 0);
    }
  });

  it('leaves claims with stale references alone, and scrubs ours when another controller owns the claim', () => {
    const s = set('Delete', 'Delete');
    assert.equal(isClaimOwnerUpToDate(claim([podRef(5, 'old-uid')]), s, pod(5)), true, 'stale pod ref: not touched');
    const other = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'x', controller: true };
    assert.equal(hasUnexpectedController(claim([other]), s, pod(0)), true);
    assert.equal(hasUnexpectedController(claim([other]), set('Retain', 'Retain'), pod(0)), false, 'Retain/Retain does not care');
    assert.equal(isClaimOwnerUpToDate(claim([other]), s, pod(0)), true);
    assert.equal(isClaimOwnerUpToDate(claim([other, setRef]), s, pod(0)), false);
    assert.deepEqual(claimOwnerRefsFor(claim([other, setRef]), s, pod(0)), [other]);
    const nonController = { ...setRef, controller: false };
    assert.equal(isClaimOwnerUpToDate(claim([nonController]), s, pod(0)), false, 'a non-controller ref is fixed');
    assert.deepEqual(claimOwnerRefsFor(claim([nonController]), s, pod(0)), [setRef]);
  });

  it('property: after claimOwnerRefsFor the claim is up to date, and a second pass changes nothing', () => {
    const ref = fc.constantFrom<object>(setRef, podRef(0), podRef(3), { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'cm' });
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), fc.constantFrom(...POLICIES), fc.constantFrom(0, 1, 3), fc.uniqueArray(ref), (scaled, deleted, ordinal, refs) => {
        const s = set(scaled, deleted);
        const p = pod(ordinal);
        const fixed = claimOwnerRefsFor(claim(refs), s, p);
        if (!refs.some((r) => (r as { name: string }).name === `web-${ordinal === 0 ? 3 : 0}`)) assert.ok(isClaimOwnerUpToDate(claim(fixed), s, p));
        assert.deepEqual(claimOwnerRefsFor(claim(fixed), s, p), fixed);
      }),
    );
  });
});
