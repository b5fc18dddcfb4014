/**
 * VolumeRestrictions: upstream TestGCEDiskConflicts / TestAWSDiskConflicts / TestRBDDiskConflicts /
 * TestISCSIDiskConflicts (same disk on the node conflicts unless both read-only) and TestAccessModeConflicts
 * (ReadWriteOncePod claims in use anywhere, missing claims, AddPod/RemovePod for preemption), PreFilter Skip, hints.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { podInfo, snapshotOf, type Handle, type Pod } from '../../../../src/scheduler/framework';
import { newVolumeRestrictions, type VolumeRestrictions } from '../../../../src/scheduler/plugins/volume-restrictions';
import { fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { podWithClaims, pvc } from './volumebinding/volume-fixtures';

const DISK = 'node(s) had no available disk';
const RWOP = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

function plugin(pvcs: CachedObject[] = [], rwopInUse: string[] = [], nodes = [nodeInfo(makeNode('n'))]): VolumeRestrictions {
  const h: Handle = { ...fakeHandle({ nodes, listers: { persistentvolumeclaims: pvcs } }) };
  const snap = snapshotOf(nodes, new Set(rwopInUse));
  return newVolumeRestrictions(undefined, { ...h, snapshot: () => snap }) as VolumeRestrictions;
}

const withVolumes = (name: string, volumes: unknown[], node?: string): Pod => makePod(name, { node, spec: { volumes } });

function run(pod: Pod, existing: Pod[]): [string, ...string[]] {
  const p = plugin();
  const state = newState();
  const pre = p.preFilter(state, pod, []).status;
  if (pre.code === 'Skip') return ['Skip'];
  const s = p.filter(state, pod, nodeInfo(makeNode('n'), ...existing));
  return [s.code, ...s.reasons];
}

const diskCases: { kind: string; a: unknown; b: unknown; ro?: [unknown, unknown] }[] = [
  { kind: 'GCE PD', a: { gcePersistentDisk: { pdName: 'foo' } }, b: { gcePersistentDisk: { pdName: 'bar' } }, ro: [{ gcePersistentDisk: { pdName: 'foo', readOnly: true } }, { gcePersistentDisk: { pdName: 'foo', readOnly: true } }] },
  { kind: 'AWS EBS', a: { awsElasticBlockStore: { volumeID: 'foo' } }, b: { awsElasticBlockStore: { volumeID: 'bar' } } },
  {
    kind: 'RBD', a: { rbd: { monitors: ['a', 'b'], pool: 'foo', image: 'bar' } }, b: { rbd: { monitors: ['c', 'd'], pool: 'foo', image: 'bar' } },
    ro: [{ rbd: { monitors: ['a'], pool: 'foo', image: 'bar', readOnly: true } }, { rbd: { monitors: ['a', 'x'], pool: 'foo', image: 'bar', readOnly: true } }],
  },
  { kind: 'iSCSI', a: { iscsi: { targetPortal: '127.0.0.1:3260', iqn: 'iqn.2016-12.server:storage.target01', lun: 0 } }, b: { iscsi: { targetPortal: '127.0.0.1:3260', iqn: 'iqn.2017-12.server:storage.target01', lun: 0 } } },
];

describe('VolumeRestrictions disk conflicts', () => {
  for (const c of diskCases) {
    it(c.kind, () => {
      const vol = (v: unknown) => ({ name: 'v', ...(v as object) });
      assert.deepEqual(run(makePod('p'), []), ['Skip']);
      assert.deepEqual(run(withVolumes('p', [vol(c.a)]), []), ['Success']);
      assert.deepEqual(run(withVolumes('p', [vol(c.a)]), [withVolumes('e', [vol(c.a)], 'n')]), ['Unschedulable', DISK]);
      assert.deepEqual(run(withVolumes('p', [vol(c.b)]), [withVolumes('e', [vol(c.a)], 'n')]), ['Success']);
      if (c.ro) assert.deepEqual(run(withVolumes('p', [vol(c.ro[0])]), [withVolumes('e', [vol(c.ro[1])], 'n')]), ['Success']);
    });
  }
});

describe('VolumeRestrictions ReadWriteOncePod (upstream TestAccessModeConflicts)', () => {
  const rwop1 = pvc('claim-with-rwop-1', 'sc', { modes: ['ReadWriteOncePod'] });
  const rwop2 = pvc('claim-with-rwop-2', 'sc', { modes: ['ReadWriteOncePod'] });
  const rwo = pvc('claim-rwo', 'sc');

  it('no claims, or no RWOP claim in use: Skip', () => {
    assert.equal(plugin([rwop1, rwo]).preFilter(newState(), podWithClaims('p', ['claim-with-rwop-1', 'claim-rwo']), []).status.code, 'Skip');
    assert.equal(plugin([rwo], ['default/claim-rwo']).preFilter(newState(), podWithClaims('p', ['claim-rwo']), []).status.code, 'Skip');
  });

  it('a missing claim is UnschedulableAndUnresolvable', () => {
    const s = plugin([]).preFilter(newState(), podWithClaims('p', ['claim-with-rwop-1']), []).status;
    assert.deepEqual([s.code, ...s.reasons], ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "claim-with-rwop-1" not found']);
  });

  it('a RWOP claim used by another pod rejects every node; RemovePod of that pod lifts it, AddPod restores it', () => {
    const p = plugin([rwop1, rwop2], ['default/claim-with-rwop-1']);
    const pod = podWithClaims('p', ['claim-with-rwop-1', 'claim-with-rwop-2']);
    const state = newState();
    assert.equal(p.preFilter(state, pod, []).status.code, 'Success');
    const ni = nodeInfo(makeNode('other'));
    assert.deepEqual(p.filter(state, pod, ni).reasons, [RWOP]);
    assert.equal(p.filter(state, pod, ni).code, 'Unschedulable');
    const holder = podInfo(podWithClaims('holder', ['claim-with-rwop-1']));
    const copy = state.clone();
    assert.ok(p.removePod(copy, pod, holder, ni).isSuccess());
    assert.ok(p.filter(copy, pod, ni).isSuccess());
    assert.deepEqual(p.filter(state, pod, ni).reasons, [RWOP], 'the clone is independent');
    p.addPod(copy, pod, holder, ni);
    assert.deepEqual(p.filter(copy, pod, ni).reasons, [RWOP]);
  });

  it('hints: deleted pods of the namespace sharing a claim or disk queue; claims the pod uses queue', () => {
    const p = plugin();
    const [podDel, node, claimAdd] = p.eventsToRegister();
    assert.deepEqual(node.event, { resource: 'Node', actions: ['Add', 'UpdateNodeTaint', 'UpdateNodeLabel'] });
    const pod = podWithClaims('p', ['c1']);
    assert.equal(podDel.hint!(pod, podWithClaims('x', ['c1']), undefined), 'Queue');
    assert.equal(podDel.hint!(pod, podWithClaims('x', ['c2']), undefined), 'QueueSkip');
    assert.equal(podDel.hint!(pod, makePod('x', { namespace: 'other', spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c1' } }] } }), undefined), 'QueueSkip');
    assert.equal(claimAdd.hint!(pod, undefined, pvc('c1', 'sc')), 'Queue');
    assert.equal(claimAdd.hint!(pod, undefined, pvc('c2', 'sc')), 'QueueSkip');
  });
});
