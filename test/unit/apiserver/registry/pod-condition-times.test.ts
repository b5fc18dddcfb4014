/**
 * Pod conditions come back with their zero times as null, as upstream's typed encoding writes a zero metav1.Time
 * (`lastProbeTime: null` on a condition the kubelet writes without one), through a strategic merge status patch (whose
 * result drops nulls first, as decoding does) and a status update; set times are kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RestRequest, Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

type Condition = Record<string, unknown> & { type: string };
type Pod = { metadata: Record<string, unknown>; status: { conditions: Condition[] } };

describe('pod conditions’ zero times', () => {
  let c: TestCluster;
  let t: Transport;
  before(async () => {
    c = await startTestCluster();
    t = c.inProcess();
  });
  after(() => c.stop());

  const req = async (method: RestRequest['method'], path: string, body?: unknown, contentType?: string): Promise<Pod> => {
    const res = await t.request({ method, path, body, ...(contentType ? { contentType } : {}) });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Pod;
  };
  const byType = (p: Pod) => Object.fromEntries(p.status.conditions.map((x) => [x.type, x]));

  it('are null after a status patch and a status update; set times are kept', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    await req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const t0 = '2026-11-29T10:00:00Z';
    const patched = await req(
      'PATCH',
      `${pods}/p/status`,
      { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True', lastTransitionTime: t0 }] } },
      'application/strategic-merge-patch+json',
    );
    assert.deepEqual(byType(patched).Ready, { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: null });
    assert.deepEqual(byType(patched).Initialized, { type: 'Initialized', status: 'True', lastTransitionTime: t0, lastProbeTime: null });
    const got = await req('GET', `${pods}/p`);
    assert.deepEqual(byType(got), byType(patched), 'as stored');

    const updated = await req('PUT', `${pods}/p/status`, { ...got, status: { ...got.status, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t0 }] } });
    assert.deepEqual(updated.status.conditions, [{ type: 'Ready', status: 'True', lastTransitionTime: t0, lastProbeTime: null }]);
  });
});
