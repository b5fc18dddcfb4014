/**
 * The objects the watch cache keeps (and every in-process informer shares) stay in V8's fast-properties mode through
 * updates and status writes: the registry never deletes a key from an object it stores (V8 turns an object it deleted
 * a key from into a dictionary, slower to read and larger; every Pod's metadata was one after its first status write).
 * Uses V8's %HasFastProperties, enabled at run time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import type { RestRequest } from '../../../../src/client/transport';
import { Api } from '../../../helpers/api-assert';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

setFlagsFromString('--allow-natives-syntax');
const hasFast = new Function('o', 'return %HasFastProperties(o)') as (o: unknown) => boolean;

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

describe('cached objects keep fast properties', () => {
  let c: TestCluster;
  let api: Api;
  before(async () => {
    c = await startTestCluster();
    api = new Api(c.inProcess());
  });
  after(() => c.stop());

  /** The body as the transport gives it: in process, the watch cache's own (frozen) object, not a copy. */
  const req = async (method: RestRequest['method'], path: string, body?: unknown, contentType?: string): Promise<Obj> => {
    const res = await api.t.request({ method, path, body, ...(contentType ? { contentType } : {}) });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Obj;
  };

  it('a Lease updated with its resourceVersion first in metadata, and a Pod after a status patch', async () => {
    const leases = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
    const lease = await req('POST', leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { holderIdentity: 'n1' } });
    const { resourceVersion, ...rest } = lease.metadata;
    // resourceVersion first: the stored encoding leaves it out, which must not mean deleting it from the object.
    await req('PUT', `${leases}/n1`, { ...lease, metadata: { resourceVersion, ...rest }, spec: { holderIdentity: 'n1', renewTime: '2026-11-29T00:00:00.000000Z' } });
    const cachedLease = await req('GET', `${leases}/n1`);
    assert.equal((cachedLease.spec as { renewTime: string }).renewTime, '2026-11-29T00:00:00.000000Z');
    assert.ok(Object.isFrozen(cachedLease), 'the watch cache’s own object');
    assert.ok(hasFast(cachedLease) && hasFast(cachedLease.metadata), 'Lease and its metadata');

    const pods = '/api/v1/namespaces/default/pods';
    await req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await req('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    // The binding stores a PodScheduled condition with lastProbeTime null; a status patch that leaves it alone keeps it
    // in the merged result, which then drops the null.
    await req('POST', `${pods}/p/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } });
    await req(
      'PATCH',
      `${pods}/p/status`,
      { metadata: { uid: (await req('GET', `${pods}/p`)).metadata.uid }, status: { '$setElementOrder/conditions': [{ type: 'PodScheduled' }, { type: 'Ready' }], phase: 'Running', podIP: '10.0.0.5', conditions: [{ type: 'Ready', status: 'True' }] } },
      'application/strategic-merge-patch+json',
    );
    const slowParts = (o: unknown): string[] => {
      const slow: string[] = [];
      const walk = (v: unknown, path: string): void => {
        if (typeof v !== 'object' || v === null) return;
        if (!Array.isArray(v) && !hasFast(v)) slow.push(path);
        for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
      };
      walk(o, 'pod');
      return slow;
    };
    const patched = await req('GET', `${pods}/p`);
    assert.ok(Object.isFrozen(patched));
    assert.deepEqual(slowParts(patched), [], 'every object of the Pod after the status patch');
    await req('PUT', `${pods}/p/status`, { ...patched, status: { ...(patched.status as object), podIP: '10.0.0.6' } });
    const pod = await req('GET', `${pods}/p`);
    assert.equal((pod.status as { podIP: string }).podIP, '10.0.0.6');
    assert.deepEqual(slowParts(pod), [], 'every object of the Pod after a status update');
    const conditions = (pod.status as { conditions: { type: string }[] }).conditions;
    assert.deepEqual(conditions.map((x) => x.type).sort(), ['PodScheduled', 'Ready']);
  });
});
