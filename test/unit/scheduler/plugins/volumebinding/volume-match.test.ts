/**
 * The scheduler-path volume matching (component-helpers FindMatchingVolume with a node, CheckNodeAffinity,
 * MatchTopologySelectorTerms, GetBindVolumeToClaim) and the AssumeCache (assume, newer informer version wins,
 * out-of-sync refusal, restore).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Indexer, Lister, type CachedObject } from '../../../../../src/client/informers';
import { AssumeCache } from '../../../../../src/scheduler/plugins/volumebinding/assume-cache';
import { bindVolumeToClaim, checkNodeAffinity, findMatchingVolume, matchTopologySelectorTerms } from '../../../../../src/scheduler/plugins/volumebinding/volume-match';
import { asPV, asPVC, type PersistentVolume } from '../../../../../src/scheduler/plugins/volumebinding/volume-types';
import { pv, pvc } from './volume-fixtures';

const HOST = 'kubernetes.io/hostname';
const names = (v: PersistentVolume | undefined) => v?.metadata?.name;

describe('findMatchingVolume (scheduler path)', () => {
  const claim = asPVC(pvc('c', 'sc', { request: '5Gi' }));
  const vols = [
    pv('small', 'sc', { phase: 'Available', capacity: '1Gi' }),
    pv('big', 'sc', { phase: 'Available', capacity: '20Gi' }),
    pv('fit', 'sc', { phase: 'Available', capacity: '10Gi', affinity: { [HOST]: ['a'] } }),
    pv('other-class', 'x', { phase: 'Available', capacity: '5Gi' }),
    pv('released', 'sc', { phase: 'Released', capacity: '5Gi' }),
    pv('rwx-only', 'sc', { phase: 'Available', capacity: '6Gi', modes: ['ReadWriteMany'] }),
  ].map(asPV);

  it('smallest fitting Available volume of the class whose affinity admits the node', () => {
    assert.equal(names(findMatchingVolume(claim, vols, { [HOST]: 'a' }, new Set())), 'fit');
    assert.equal(names(findMatchingVolume(claim, vols, { [HOST]: 'b' }, new Set())), 'big');
    assert.equal(names(findMatchingVolume(claim, vols, { [HOST]: 'a' }, new Set(['fit']))), 'big');
    assert.equal(findMatchingVolume(claim, vols, {}, new Set(['fit', 'big'])), undefined);
  });

  it('a pre-bound volume wins, or nothing when its affinity rejects the node', () => {
    const pre = asPV(pv('pre', 'sc', { phase: 'Available', capacity: '50Gi', claimRef: { namespace: 'default', name: 'c' }, affinity: { [HOST]: ['a'] } }));
    assert.equal(names(findMatchingVolume(claim, [...vols, pre], { [HOST]: 'a' }, new Set())), 'pre');
    assert.equal(findMatchingVolume(claim, [...vols, pre], { [HOST]: 'b' }, new Set()), undefined);
    const others = asPV(pv('others', 'sc', { phase: 'Available', capacity: '5Gi', claimRef: { namespace: 'default', name: 'z' } }));
    assert.equal(names(findMatchingVolume(claim, [others], {}, new Set())), undefined);
  });

  it('claim selector and volume mode', () => {
    const sel = asPVC({ ...pvc('c', 'sc'), spec: { ...(pvc('c', 'sc').spec as object), selector: { matchLabels: { tier: 'gold' } } } });
    const gold = asPV(pv('gold', 'sc', { phase: 'Available', labels: { tier: 'gold' }, capacity: '9Gi' }));
    assert.equal(names(findMatchingVolume(sel, [...vols, gold], {}, new Set())), 'gold');
    const block = asPV({ ...pv('block', 'sc', { phase: 'Available' }), spec: { ...(pv('block', 'sc').spec as object), volumeMode: 'Block' } });
    assert.equal(findMatchingVolume(asPVC(pvc('c', 'sc')), [block], {}, new Set()), undefined);
  });
});

describe('affinity, topology and binding helpers', () => {
  it('checkNodeAffinity', () => {
    assert.equal(checkNodeAffinity(asPV(pv('v', 'sc')), {}), undefined);
    assert.equal(checkNodeAffinity(asPV(pv('v', 'sc', { affinity: { foo: ['bar'] } })), { foo: 'bar' }), undefined);
    assert.equal(checkNodeAffinity(asPV(pv('v', 'sc', { affinity: { foo: ['bar'] } })), { foo: 'baz' }), 'no matching NodeSelectorTerms');
  });

  it('matchTopologySelectorTerms', () => {
    assert.ok(matchTopologySelectorTerms(undefined, {}));
    assert.ok(!matchTopologySelectorTerms([{}], { a: 'b' }));
    assert.ok(matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'z', values: ['1', '2'] }] }], { z: '2' }));
    assert.ok(!matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'z', values: ['1'] }] }], { z: '2' }));
  });

  it('bindVolumeToClaim sets claimRef and bound-by-controller; a volume already bound is not dirty', () => {
    const c = asPVC(pvc('c', 'sc'));
    const { pv: bound, dirty } = bindVolumeToClaim(asPV(pv('v', 'sc')), c);
    assert.ok(dirty);
    assert.deepEqual(bound.spec?.claimRef, { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'c', uid: 'uid-c', apiVersion: 'v1', resourceVersion: '1' });
    assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(bindVolumeToClaim(bound, c).dirty, false);
  });
});

describe('AssumeCache', () => {
  it('assumed versions stand until the informer has a newer one; restore drops them', () => {
    const idx = new Indexer();
    idx.upsert(pv('v', 'sc'));
    const cache = new AssumeCache<PersistentVolume>(new Lister(idx), 'v1.PersistentVolume');
    const assumed = { ...asPV(pv('v', 'sc')), spec: { claimRef: { name: 'c' } } };
    cache.assume(assumed);
    assert.equal(cache.get('v'), assumed);
    assert.equal(cache.list().length, 1);
    assert.notEqual(cache.getAPI('v'), assumed);
    idx.upsert({ ...pv('v', 'sc'), metadata: { name: 'v', resourceVersion: '1' } } as CachedObject);
    assert.equal(cache.get('v'), assumed, 'a resync of the same version keeps the assumption');
    idx.upsert({ ...pv('v', 'sc'), metadata: { name: 'v', resourceVersion: '2' } } as CachedObject);
    assert.equal(cache.get('v')?.metadata?.resourceVersion, '2');
    assert.throws(() => cache.assume(assumed), /v1.PersistentVolume "v" is out of sync \(stored: 2, assume: 1\)/);
    assert.throws(() => cache.assume(asPV(pv('nope', 'sc'))), /could not find v1.PersistentVolume "nope"/);
    cache.assume({ ...asPV(pv('v', 'sc')), metadata: { name: 'v', resourceVersion: '2' } });
    cache.restore('v');
    assert.equal(cache.get('v')?.spec?.claimRef, undefined);
  });
});
