/**
 * VolumeZone: upstream TestSingleZone / TestMultiZone / TestWithBinding (beta and GA zone/region labels, `__`
 * multi-zone values, nodes without topology labels, missing claims/PVs, WaitForFirstConsumer claims skipped,
 * Immediate unbound claims rejected) and the PV-topology hint.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { newVolumeZone, type VolumeZone } from '../../../../src/scheduler/plugins/volume-zone';
import { fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { podWithClaims, pv, pvc, sc } from './volumebinding/volume-fixtures';

const BZ = 'failure-domain.beta.kubernetes.io/zone';
const BR = 'failure-domain.beta.kubernetes.io/region';
const Z = 'topology.kubernetes.io/zone';
const R_ = 'topology.kubernetes.io/region';
const CONFLICT = 'node(s) had no available volume zone';

const pvs = [
  pv('Vol_1', 'sc', { labels: { [BZ]: 'us-west1-a' } }),
  pv('Vol_2', 'sc', { labels: { [BR]: 'us-west1-b', uselessLabel: 'none' } }),
  pv('Vol_3', 'sc', { labels: { [BR]: 'us-west1-c' } }),
  pv('Vol_Multi', 'sc', { labels: { [BZ]: 'us-west1-a__us-west1-b' } }),
  pv('Vol_GA', 'sc', { labels: { [Z]: 'us-west1-a', [R_]: 'us-west1' } }),
];
const pvcs = [
  pvc('PVC_1', 'sc', { bound: 'Vol_1' }),
  pvc('PVC_2', 'sc', { bound: 'Vol_2' }),
  pvc('PVC_3', 'sc', { bound: 'Vol_3' }),
  pvc('PVC_4', 'sc', { bound: 'Vol_not_exist' }),
  pvc('PVC_Multi', 'sc', { bound: 'Vol_Multi' }),
  pvc('PVC_GA', 'sc', { bound: 'Vol_GA' }),
  pvc('PVC_NoSC', undefined),
  pvc('PVC_EmptySC', ''),
  pvc('PVC_WaitSC', 'wait'),
  pvc('PVC_ImmediateSC', 'immediate'),
];
const classes = [sc('wait', 'WaitForFirstConsumer'), sc('immediate', 'Immediate')];

function plugin(extraPVCs: CachedObject[] = []): VolumeZone {
  return newVolumeZone(undefined, fakeHandle({ listers: { persistentvolumes: pvs, persistentvolumeclaims: [...pvcs, ...extraPVCs], storageclasses: classes } })) as VolumeZone;
}

function run(claims: string[], labels: Record<string, string>): [string, ...string[]] {
  const p = plugin();
  const pod = podWithClaims('pod', claims);
  const state = newState();
  const pre = p.preFilter(state, pod, []).status;
  if (!pre.isSuccess()) return [pre.code, ...pre.reasons];
  const s = p.filter(state, pod, nodeInfo(makeNode('host1', { labels })));
  return [s.code, ...s.reasons];
}

describe('VolumeZone (upstream TestSingleZone / TestMultiZone / TestWithBinding)', () => {
  const table: [string, string[], Record<string, string>, [string, ...string[]]][] = [
    ['pod without volume', [], { [BZ]: 'us-west1-a' }, ['Skip']],
    ['node without labels', ['PVC_1'], {}, ['Success']],
    ['beta zone label matched', ['PVC_1'], { [BZ]: 'us-west1-a', uselessLabel: 'none' }, ['Success']],
    ['beta region label matched', ['PVC_2'], { [BR]: 'us-west1-b', uselessLabel: 'none' }, ['Success']],
    ['beta region label mismatch', ['PVC_2'], { [BR]: 'no_us-west1-b' }, ['UnschedulableAndUnresolvable', CONFLICT]],
    ['beta zone label mismatch', ['PVC_1'], { [BZ]: 'no_us-west1-a' }, ['UnschedulableAndUnresolvable', CONFLICT]],
    ['PV beta label matches node GA label', ['PVC_1'], { [Z]: 'us-west1-a' }, ['Success']],
    ['GA labels matched', ['PVC_GA'], { [Z]: 'us-west1-a', [R_]: 'us-west1' }, ['Success']],
    ['GA region mismatch', ['PVC_GA'], { [Z]: 'us-west1-a', [R_]: 'us-east1' }, ['UnschedulableAndUnresolvable', CONFLICT]],
    ['multi-zone PV matches either zone', ['PVC_Multi'], { [BZ]: 'us-west1-b' }, ['Success']],
    ['multi-zone PV rejects others', ['PVC_Multi'], { [BZ]: 'us-west1-c' }, ['UnschedulableAndUnresolvable', CONFLICT]],
    ['one of several claims mismatching', ['PVC_1', 'PVC_3'], { [BZ]: 'us-west1-a', [BR]: 'us-west1-b' }, ['UnschedulableAndUnresolvable', CONFLICT]],
    ['PVC not found', ['PVC_X'], { [BZ]: 'us-west1-a' }, ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "PVC_X" not found']],
    ['PV not found', ['PVC_4'], { [BZ]: 'us-west1-a' }, ['UnschedulableAndUnresolvable', 'persistentvolume "Vol_not_exist" not found']],
    ['unbound claim without class', ['PVC_NoSC'], { [BZ]: 'us-west1-a' }, ['UnschedulableAndUnresolvable', 'PersistentVolumeClaim had no pv name and storageClass name']],
    ['unbound claim with empty class', ['PVC_EmptySC'], { [BZ]: 'us-west1-a' }, ['UnschedulableAndUnresolvable', 'PersistentVolumeClaim had no pv name and storageClass name']],
    ['unbound claim of a missing class', ['PVC_4b'], {}, ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "PVC_4b" not found']],
    ['unbound WaitForFirstConsumer claim is skipped', ['PVC_WaitSC'], { [BZ]: 'us-west1-a' }, ['Skip']],
    ['unbound Immediate claim', ['PVC_ImmediateSC'], { [BZ]: 'us-west1-a' }, ['UnschedulableAndUnresolvable', 'PersistentVolume had no name']],
  ];
  for (const [name, claims, labels, want] of table) it(name, () => assert.deepEqual(run(claims, labels), want));

  it('a claim whose class does not exist', () => {
    const p = plugin([pvc('PVC_Gone', 'gone')]);
    const s = p.preFilter(newState(), podWithClaims('pod', ['PVC_Gone']), []).status;
    assert.deepEqual([s.code, ...s.reasons], ['UnschedulableAndUnresolvable', 'storageclass.storage.k8s.io "gone" not found']);
  });

  it('Filter without PreFilter state computes it', () => {
    const s = plugin().filter(newState(), podWithClaims('pod', ['PVC_1']), nodeInfo(makeNode('h', { labels: { [BZ]: 'x' } })));
    assert.deepEqual(s.reasons, [CONFLICT]);
    assert.ok(plugin().filter(newState(), makePod('p'), nodeInfo(makeNode('h', { labels: { [BZ]: 'x' } }))).isSuccess());
  });

  it('hints', () => {
    const [cls, node, claim, vol] = plugin().eventsToRegister();
    const pod = podWithClaims('pod', ['PVC_1']);
    assert.equal(cls.hint!(pod, undefined, sc('x', 'WaitForFirstConsumer')), 'Queue');
    assert.equal(cls.hint!(pod, undefined, sc('x', 'Immediate')), 'QueueSkip');
    assert.deepEqual(node.event.actions, ['Add', 'UpdateNodeLabel', 'UpdateNodeTaint']);
    assert.equal(claim.hint!(pod, undefined, pvcs[0]), 'Queue');
    assert.equal(claim.hint!(pod, undefined, pvcs[1]), 'QueueSkip');
    assert.equal(vol.hint!(pod, undefined, pvs[0]), 'Queue');
    assert.equal(vol.hint!(pod, pvs[0], pv('Vol_1', 'sc', { labels: { [BZ]: 'us-west1-a' }, capacity: '5Gi' })), 'QueueSkip');
    assert.equal(vol.hint!(pod, pvs[0], pv('Vol_1', 'sc', { labels: { [BZ]: 'us-west1-b' } })), 'Queue');
  });
});
