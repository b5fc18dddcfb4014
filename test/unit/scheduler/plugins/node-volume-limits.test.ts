/**
 * NodeVolumeLimits (CSI): upstream TestCSILimits in spirit — per-driver limits from the node's CSINode, volumes
 * already attached by pods on the node (the same volume counts once), unbound claims counted through their class's
 * provisioner, other drivers and nodes without limits unaffected, a missing claim unresolvable, PreFilter Skip.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { NodeVolumeLimits } from '../../../../src/scheduler/plugins/node-volume-limits';
import { fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { podWithClaims, pv, pvc, sc } from './volumebinding/volume-fixtures';

const MAX = 'node(s) exceed max volume count';
const EBS = 'ebs.csi.aws.com';
const GCE = 'pd.csi.storage.gke.io';

const csiNode = (name: string, limits: Record<string, number | undefined>): CachedObject => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name },
  spec: { drivers: Object.entries(limits).map(([d, n]) => ({ name: d, nodeID: name, ...(n !== undefined ? { allocatable: { count: n } } : {}) })) },
});

const volumes: CachedObject[] = [];
const claims: CachedObject[] = [];
for (let i = 0; i < 4; i++) {
  volumes.push(pv(`ebs-${i}`, 'ebs-sc', { csi: { driver: EBS, volumeHandle: `vol-ebs-${i}` } }));
  claims.push(pvc(`ebs-${i}`, 'ebs-sc', { bound: `ebs-${i}` }));
  volumes.push(pv(`gce-${i}`, 'gce-sc', { csi: { driver: GCE, volumeHandle: `vol-gce-${i}` } }));
  claims.push(pvc(`gce-${i}`, 'gce-sc', { bound: `gce-${i}` }));
}
claims.push(pvc('ebs-unbound', 'ebs-sc'), pvc('nfs', 'nfs-sc', { bound: 'nfs' }));
volumes.push(pv('nfs', 'nfs-sc'));
const classes = [sc('ebs-sc', 'WaitForFirstConsumer', { provisioner: EBS })];

function run(pod: CachedObject, existing: CachedObject[], limits: Record<string, number | undefined> | undefined): [string, ...string[]] {
  const h = fakeHandle({ listers: { persistentvolumes: volumes, persistentvolumeclaims: claims, storageclasses: classes, csinodes: limits ? [csiNode('n', limits)] : [] } });
  const p = new NodeVolumeLimits(h, true);
  const state = newState();
  const pre = p.preFilter(state, pod, []).status;
  if (pre.code === 'Skip') return ['Skip'];
  const s = p.filter(state, pod, nodeInfo(makeNode('n'), ...existing));
  return [s.code, ...s.reasons];
}

const onNode = (name: string, c: string[]) => makePod(name, { node: 'n', spec: { volumes: c.map((x, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: x } })) } });

describe('NodeVolumeLimits (CSI limits)', () => {
  const table: [string, CachedObject, CachedObject[], Record<string, number | undefined> | undefined, [string, ...string[]]][] = [
    ['pod without claims: Skip', makePod('p', { spec: { volumes: [{ name: 'e', emptyDir: {} }] } }), [], { [EBS]: 1 }, ['Skip']],
    ['fits under the limit', podWithClaims('p', ['ebs-0']), [onNode('e', ['ebs-1'])], { [EBS]: 2 }, ['Success']],
    ['exceeds the limit', podWithClaims('p', ['ebs-0', 'ebs-2']), [onNode('e', ['ebs-1'])], { [EBS]: 2 }, ['Unschedulable', MAX]],
    ['a volume already attached on the node counts once', podWithClaims('p', ['ebs-0', 'ebs-1']), [onNode('e', ['ebs-1'])], { [EBS]: 2 }, ['Success']],
    ['another driver does not count', podWithClaims('p', ['ebs-0']), [onNode('e', ['gce-0', 'gce-1'])], { [EBS]: 1, [GCE]: 2 }, ['Success']],
    ['an unbound claim counts through its class provisioner', podWithClaims('p', ['ebs-unbound']), [onNode('e', ['ebs-1'])], { [EBS]: 1 }, ['Unschedulable', MAX]],
    ['a driver without allocatable has no limit', podWithClaims('p', ['ebs-0', 'ebs-1', 'ebs-2']), [], { [EBS]: undefined }, ['Success']],
    ['no CSINode: no limits', podWithClaims('p', ['ebs-0', 'ebs-1', 'ebs-2']), [], undefined, ['Success']],
    ['non-CSI volumes are not counted', podWithClaims('p', ['nfs']), [onNode('e', ['ebs-1'])], { [EBS]: 1 }, ['Success']],
    ['missing claim', podWithClaims('p', ['nope']), [], { [EBS]: 1 }, ['UnschedulableAndUnresolvable', 'looking up PVC default/nope: persistentvolumeclaim "nope" not found']],
    ['a missing claim of an existing pod is ignored', podWithClaims('p', ['ebs-0']), [onNode('e', ['nope'])], { [EBS]: 1 }, ['Success']],
  ];
  for (const [name, pod, existing, limits, want] of table) it(name, () => assert.deepEqual(run(pod, existing, limits), want));
});
