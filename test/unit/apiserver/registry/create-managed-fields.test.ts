/**
 * managedFields of a created object are recorded as upstream's create handler records them: after defaulting and
 * before mutating admission, so what admission plugins add (ServiceAccount's token volume and mounts, the service
 * account name, DefaultTolerationSeconds' tolerations) is in the object but owned by nobody, and the entry is
 * upstream's key for key. Through the real API server in process, with its default admission chain.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

interface Pod {
  metadata: { name: string; managedFields?: { manager?: string; operation?: string; time?: string; fieldsV1?: Record<string, Record<string, unknown>> }[] };
  spec: { volumes?: { name: string }[]; tolerations?: unknown[]; serviceAccountName?: string; containers: { volumeMounts?: unknown[] }[] };
}

describe('managedFields on create', () => {
  let c: TestCluster;
  let t: Transport;
  before(async () => {
    c = await startTestCluster();
    t = c.inProcess();
  });
  after(() => c.stop());

  const create = async (name: string, dryRun?: 'All'): Promise<Pod> => {
    const res = await t.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      query: { fieldManager: 'creator', dryRun },
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as Pod;
  };

  it('admission’s additions are in the pod but not in the creator’s fields', async () => {
    const pod = await create('a');
    assert.ok(pod.spec.volumes?.some((v) => v.name.startsWith('kube-api-access-')), 'ServiceAccount admission ran');
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.ok(pod.spec.tolerations?.length, 'DefaultTolerationSeconds ran');
    assert.ok(pod.spec.containers[0]!.volumeMounts?.length);
    const [entry, ...rest] = pod.metadata.managedFields ?? [];
    assert.equal(rest.length, 0);
    assert.equal(entry?.manager, 'creator');
    assert.equal(entry?.operation, 'Update');
    const spec = entry!.fieldsV1!['f:spec']!;
    // Exactly upstream's entry for such a pod (kubectl run): no "." for spec (a struct, present in the zero object)
    // or containers (a required list, null in it); the defaulted fields are the creator's, admission's are not.
    assert.deepEqual(Object.keys(spec), [
      'f:containers',
      'f:dnsPolicy',
      'f:enableServiceLinks',
      'f:restartPolicy',
      'f:schedulerName',
      'f:securityContext',
      'f:terminationGracePeriodSeconds',
    ]);
    assert.deepEqual(Object.keys(spec['f:containers'] as object), ['k:{"name":"web"}']);
    assert.deepEqual(entry!.fieldsV1!['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
    assert.deepEqual(Object.keys((spec['f:containers'] as Record<string, Record<string, unknown>>)['k:{"name":"web"}']!).sort(), [
      '.',
      'f:image',
      'f:imagePullPolicy',
      'f:name',
      'f:resources',
      'f:terminationMessagePath',
      'f:terminationMessagePolicy',
    ]);
  });

  it('pods of the same shape get the same fields, each with its own time; dry runs too', async () => {
    const b = await create('b');
    const d = await create('d', 'All');
    const fields = (p: Pod) => JSON.stringify(p.metadata.managedFields?.[0]?.fieldsV1).replaceAll('"f:b"', '"f:x"').replaceAll('"f:d"', '"f:x"');
    assert.equal(fields(b), fields(d));
    assert.equal(typeof b.metadata.managedFields?.[0]?.time, 'string');
    const stored = (await t.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/b' })).body as Pod;
    assert.deepEqual(stored.metadata.managedFields, b.metadata.managedFields);
  });
});
