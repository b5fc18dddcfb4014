/**
 * Pod conditions come back with their zero times as null, as upstream's typed encoding writes a zero metav1.Time
 * (`lastProbeTime: null` on a condition the kubelet writes without one), through a strategic merge status patch (whose
 * result drops nulls first, as decoding does) and a status update; set times are kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, STRATEGIC, type Obj } from '../../../helpers/api-assert';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

const byType = (p: Obj): Record<string, Obj> => Object.fromEntries((p.status.conditions as Obj[]).map((x) => [x.type, x]));

describe('pod conditions’ zero times', () => {
  let c: TestCluster;
  let api: Api;
  before(async () => {
    c = await startTestCluster();
    api = new Api(c.inProcess());
  });
  after(() => c.stop());

  it('are null after a status patch and a status update; set times are kept', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    await api.ok(api.post(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }), 201);
    const t0 = '2026-11-29T10:00:00Z';
    const patch = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True', lastTransitionTime: t0 }] } };
    const patched = await api.ok(api.patch(`${pods}/p/status`, STRATEGIC, patch));
    assert.deepEqual(byType(patched).Ready, { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: null });
    assert.deepEqual(byType(patched).Initialized, { type: 'Initialized', status: 'True', lastTransitionTime: t0, lastProbeTime: null });
    const got = await api.ok(api.get(`${pods}/p`));
    assert.deepEqual(byType(got), byType(patched), 'as stored');

    const updated = await api.ok(api.put(`${pods}/p/status`, { ...got, status: { ...got.status, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t0 }] } }));
    assert.deepEqual(updated.status.conditions, [{ type: 'Ready', status: 'True', lastTransitionTime: t0, lastProbeTime: null }]);
  });
});
