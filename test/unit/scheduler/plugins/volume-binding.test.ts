/**
 * VolumeBinding: upstream TestVolumeBinding's PreFilter/Filter table (no PVCs, all bound, missing and lost claims,
 * unbound immediate claims, no matching PV, node affinity conflicts, PV not found, static matches per node,
 * provisioning and allowedTopologies, selected-node pinning), then Reserve/Unreserve on the assume caches and
 * PreBind's API writes, waiting, failure and timeout on a fake clock.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import type { Obj } from '../../../../src/controllers/framework/api-client';
import { newVolumeBinding, type VolumeBinding } from '../../../../src/scheduler/plugins/volume-binding';
import { scorePair, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { liveHandle, podWithClaims, pv, pvc, sc } from './volumebinding/volume-fixtures';

const immediateSC = sc('immediate-sc', 'Immediate');
const waitSC = sc('wait-sc', 'WaitForFirstConsumer');
const provSC = sc('prov-sc', 'WaitForFirstConsumer', { provisioner: 'kubelab.dev/local-path-simulated' });
const topoSC = sc('topo-sc', 'WaitForFirstConsumer', {
  provisioner: 'x.csi', allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['z1'] }] }],
});
const CLASSES = [immediateSC, waitSC, provSC, topoSC];

interface Case {
  name: string;
  pod: CachedObject;
  nodes: CachedObject[];
  pvcs?: CachedObject[];
  pvs?: CachedObject[];
  preFilter?: [string, string?];
  filter?: ([string, ...string[]] | null)[];
}

const nodeA = makeNode('node-a');
const cases: Case[] = [
  { name: 'pod has no pvcs', pod: makePod('pod-a'), nodes: [nodeA], preFilter: ['Skip'] },
  {
    name: 'all bound', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA],
    pvcs: [pvc('pvc-a', 'wait-sc', { bound: 'pv-a' })], pvs: [pv('pv-a', 'wait-sc', { phase: 'Available' })], filter: [null],
  },
  { name: 'PVC does not exist', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA], preFilter: ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "pvc-a" not found'] },
  {
    name: 'Part of PVCs do not exist', pod: podWithClaims('pod-a', ['pvc-a', 'pvc-b']), nodes: [nodeA], pvcs: [pvc('pvc-a', 'wait-sc', { bound: 'pv-a' })],
    preFilter: ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "pvc-b" not found'],
  },
  {
    name: 'immediate claims not bound', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA], pvcs: [pvc('pvc-a', 'immediate-sc')],
    preFilter: ['UnschedulableAndUnresolvable', 'pod has unbound immediate PersistentVolumeClaims'],
  },
  {
    name: 'unbound claims no matches', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA], pvcs: [pvc('pvc-a', 'wait-sc')],
    filter: [['UnschedulableAndUnresolvable', "node(s) didn't find available persistent volumes to bind"]],
  },
  {
    name: 'bound and unbound unsatisfied', pod: podWithClaims('pod-a', ['pvc-a', 'pvc-b']), nodes: [makeNode('node-a', { labels: { foo: 'barbar' } })],
    pvcs: [pvc('pvc-a', 'wait-sc', { bound: 'pv-a' }), pvc('pvc-b', 'wait-sc')],
    pvs: [pv('pv-a', 'wait-sc', { phase: 'Available', affinity: { foo: ['bar'] } })],
    filter: [['UnschedulableAndUnresolvable', 'node(s) had volume node affinity conflict', "node(s) didn't find available persistent volumes to bind"]],
  },
  {
    name: 'pv not found', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA], pvcs: [pvc('pvc-a', 'wait-sc', { bound: 'pv-a' })],
    filter: [['UnschedulableAndUnresolvable', 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)']],
  },
  {
    name: 'pv not found claim lost', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA], pvcs: [pvc('pvc-a', 'wait-sc', { bound: 'pv-a', phase: 'Lost' })],
    preFilter: ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "pv-a"'],
  },
  {
    name: 'claim being deleted', pod: podWithClaims('pod-a', ['pvc-a']), nodes: [nodeA], pvcs: [pvc('pvc-a', 'wait-sc', { deleting: true })],
    preFilter: ['UnschedulableAndUnresolvable', 'persistentvolumeclaim "pvc-a" is being deleted'],
  },
  {
    name: 'ephemeral claim not created yet', pod: makePod('pod-e', { spec: { volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: {} } }] } }), nodes: [nodeA],
    preFilter: ['UnschedulableAndUnresolvable', 'waiting for ephemeral volume controller to create the persistentvolumeclaim "pod-e-scratch"'],
  },
  {
    name: 'local volumes: static match only where a PV is', pod: podWithClaims('pod-a', ['pvc-a']),
    nodes: [makeNode('node-a'), makeNode('node-b'), makeNode('node-c')],
    pvcs: [pvc('pvc-a', 'wait-sc', { request: '50Gi' })],
    pvs: [
      pv('pv-a-0', 'wait-sc', { phase: 'Available', capacity: '200Gi', affinity: { 'kubernetes.io/hostname': ['node-a'] } }),
      pv('pv-b-0', 'wait-sc', { phase: 'Available', capacity: '100Gi', affinity: { 'kubernetes.io/hostname': ['node-b'] } }),
      pv('pv-small', 'wait-sc', { phase: 'Available', capacity: '10Gi', affinity: { 'kubernetes.io/hostname': ['node-c'] } }),
    ],
    filter: [null, null, ['UnschedulableAndUnresolvable', "node(s) didn't find available persistent volumes to bind"]],
  },
  {
    name: 'dynamic provisioning honours allowedTopologies', pod: podWithClaims('pod-a', ['pvc-a']),
    nodes: [makeNode('node-a', { labels: { zone: 'z1' } }), makeNode('node-b', { labels: { zone: 'z2' } })],
    pvcs: [pvc('pvc-a', 'topo-sc')],
    filter: [null, ['UnschedulableAndUnresolvable', "node(s) didn't find available persistent volumes to bind"]],
  },
  {
    name: 'a claim with a selected node pins the pod there', pod: podWithClaims('pod-a', ['pvc-a']),
    nodes: [makeNode('node-a'), makeNode('node-b')],
    pvcs: [pvc('pvc-a', 'prov-sc', { annotations: { 'volume.kubernetes.io/selected-node': 'node-b' } })],
    filter: [['UnschedulableAndUnresolvable', "node(s) didn't find available persistent volumes to bind"], null],
  },
];

function setup(pvcs: CachedObject[], pvs: CachedObject[], nodes: CachedObject[], pods: CachedObject[] = [], client?: Record<string, unknown>) {
  const h = liveHandle({ nodes: nodes.map((n) => nodeInfo(n)), objects: { persistentvolumeclaims: pvcs, persistentvolumes: pvs, storageclasses: CLASSES, nodes, pods }, client });
  const plugin = newVolumeBinding(undefined, h.handle) as VolumeBinding;
  return { ...h, plugin };
}

describe('VolumeBinding PreFilter and Filter (upstream TestVolumeBinding)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { plugin } = setup(c.pvcs ?? [], c.pvs ?? [], c.nodes);
      const state = newState();
      const pre = plugin.preFilter(state, c.pod, []).status;
      const [code, reason] = c.preFilter ?? ['Success'];
      assert.equal(pre.code, code);
      if (reason) assert.deepEqual(pre.reasons, [reason]);
      if (!pre.isSuccess()) return;
      (c.filter ?? []).forEach((want, i) => {
        const got = plugin.filter(state, c.pod, nodeInfo(c.nodes[i]));
        if (want === null) assert.equal(got.code, 'Success', got.message());
        else assert.deepEqual([got.code, ...got.reasons], want);
      });
    });
  }

  it('PreScore skips (capacity scoring is alpha, off) and Score is 0', () => {
    const { plugin } = setup([], [], [nodeA]);
    assert.equal(plugin.preScore().code, 'Skip');
    assert.equal(scorePair(plugin.score()).score, 0);
  });
});

describe('VolumeBinding Reserve / Unreserve / PreBind', () => {
  const node = makeNode('node-a');

  it('Reserve assumes the static binding; later cycles see the PV taken; Unreserve reverts', () => {
    const pod = podWithClaims('pod-a', ['pvc-a']);
    const other = podWithClaims('pod-b', ['pvc-b']);
    const { plugin } = setup(
      [pvc('pvc-a', 'wait-sc'), pvc('pvc-b', 'wait-sc')],
      [pv('pv-1', 'wait-sc', { phase: 'Available', affinity: { 'kubernetes.io/hostname': ['node-a'] } })],
      [node],
    );
    const s1 = newState();
    plugin.preFilter(s1, pod, []);
    assert.ok(plugin.filter(s1, pod, nodeInfo(node)).isSuccess());
    assert.ok(plugin.reserve(s1, pod, 'node-a').isSuccess());
    const assumed = plugin.binder.pvCache.get('pv-1');
    assert.equal(assumed?.spec?.claimRef?.name, 'pvc-a');
    assert.equal(assumed?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');

    const s2 = newState();
    plugin.preFilter(s2, other, []);
    assert.deepEqual(plugin.filter(s2, other, nodeInfo(node)).reasons, ["node(s) didn't find available persistent volumes to bind"]);

    plugin.unreserve(s1, pod, 'node-a');
    assert.equal(plugin.binder.pvCache.get('pv-1')?.spec?.claimRef, undefined);
    const s3 = newState();
    plugin.preFilter(s3, other, []);
    assert.ok(plugin.filter(s3, other, nodeInfo(node)).isSuccess());
  });

  it('PreBind with everything bound does nothing', async () => {
    const pod = podWithClaims('pod-a', ['pvc-a']);
    const { plugin } = setup([pvc('pvc-a', 'wait-sc', { bound: 'pv-a' })], [pv('pv-a', 'wait-sc', { phase: 'Bound' })], [node], [pod]);
    const s = newState();
    plugin.preFilter(s, pod, []);
    assert.ok(plugin.filter(s, pod, nodeInfo(node)).isSuccess());
    assert.ok(plugin.reserve(s, pod, 'node-a').isSuccess());
    assert.ok((await plugin.preBind(s, pod, 'node-a')).isSuccess());
  });

  function provisioningSetup(pods: CachedObject[]) {
    const writes: Obj[] = [];
    const client = {
      update: async (_r: unknown, _ns: string, body: Obj) => {
        writes.push(body);
        return { ...body, metadata: { ...body.metadata, resourceVersion: '2' } };
      },
    };
    const t = setup([pvc('pvc-a', 'prov-sc')], [], [node], pods, client);
    return { ...t, writes };
  }

  async function reserveAndPreBind(t: ReturnType<typeof provisioningSetup>, pod: CachedObject) {
    const s = newState();
    assert.ok(t.plugin.preFilter(s, pod, []).status.isSuccess());
    assert.ok(t.plugin.filter(s, pod, nodeInfo(node)).isSuccess());
    assert.ok(t.plugin.reserve(s, pod, 'node-a').isSuccess());
    const pending = t.plugin.preBind(s, pod, 'node-a');
    await new Promise((r) => setImmediate(r));
    return { pending };
  }

  it('PreBind writes selected-node on the claim and waits until it is bound', async () => {
    const pod = podWithClaims('pod-a', ['pvc-a']);
    const t = provisioningSetup([pod]);
    const { pending } = await reserveAndPreBind(t, pod);
    assert.equal(t.writes.length, 1);
    assert.equal((t.writes[0].metadata?.annotations as Record<string, string>)['volume.kubernetes.io/selected-node'], 'node-a');
    let done = false;
    void pending.then(() => (done = true));
    t.clock.advance(5_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'still waiting for the PV controller');
    t.upsert('persistentvolumes', pv('pvc-vol', 'prov-sc', { phase: 'Bound', affinity: { 'kubernetes.io/hostname': ['node-a'] } }));
    t.upsert('persistentvolumeclaims', {
      ...pvc('pvc-a', 'prov-sc', { bound: 'pvc-vol', annotations: { 'volume.kubernetes.io/selected-node': 'node-a' } }),
      metadata: { ...(pvc('pvc-a', 'prov-sc', { bound: 'pvc-vol', annotations: { 'volume.kubernetes.io/selected-node': 'node-a' } }).metadata as object), resourceVersion: '3' },
    });
    t.clock.advance(1_000);
    const st = await pending;
    assert.equal(st.code, 'Success', st.message());
  });

  it('PreBind fails when the provisioner drops selected-node, when the pod is gone, and after the timeout', async () => {
    const pod = podWithClaims('pod-a', ['pvc-a']);
    let t = provisioningSetup([pod]);
    let { pending } = await reserveAndPreBind(t, pod);
    t.upsert('persistentvolumeclaims', { ...pvc('pvc-a', 'prov-sc', { annotations: { other: 'x' } }), metadata: { ...(pvc('pvc-a', 'prov-sc', { annotations: { other: 'x' } }).metadata as object), resourceVersion: '5' } });
    t.clock.advance(1_000);
    let st = await pending;
    assert.deepEqual([st.code, st.message()], ['Error', 'binding volumes: provisioning failed for PVC "pvc-a"']);

    t = provisioningSetup([]);
    ({ pending } = await reserveAndPreBind(t, pod));
    t.clock.advance(1_000);
    st = await pending;
    assert.deepEqual([st.code, st.message()], ['Error', 'binding volumes: pod does not exist any more: pod "pod-a" not found']);

    t = provisioningSetup([pod]);
    ({ pending } = await reserveAndPreBind(t, pod));
    t.clock.advance(599_000);
    await new Promise((r) => setImmediate(r));
    t.clock.advance(1_000);
    st = await pending;
    assert.deepEqual([st.code, st.message()], ['Error', 'binding volumes: context deadline exceeded']);
    assert.equal(t.clock.pendingTimers(), 0);
  });
});
