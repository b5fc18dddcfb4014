/**
 * The ResourceQuota controller against the real API server: a new quota gets status.hard and status.used computed
 * from what already exists (pods with their requests, object counts of any resource); deleting objects and pods
 * turning terminal release usage; a quota change is reflected; the 5-minute resync repairs a tampered status.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../../src/controllers/framework';
import { resourceQuotaControllerFactory } from '../../../src/controllers/resourcequota/resource-quota-controller';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'quota-test';

describe('ResourceQuota controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([resourceQuotaControllerFactory]);
    await t.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await t.until(async () => (await t.list(R.serviceaccounts, NS)).length > 0, 'default ServiceAccount');
  });
  after(async () => t.stop());

  const used = async () => ((await t.admin.get(R.resourcequotas, NS, 'q')).status as { used?: Record<string, string> } | undefined)?.used;
  const pod = (name: string, cpu: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } } }] },
  });

  it('computes the first status from what exists', async () => {
    await t.admin.create(R.pods, NS, pod('a', '100m'));
    await t.admin.create(R.pods, NS, pod('b', '250m'));
    await t.admin.create(R.configmaps, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
    await t.admin.create(R.resourcequotas, NS, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'count/configmaps': '5', 'count/deployments.apps': '3' } },
    });
    const u = await t.until(async () => {
      const x = await used();
      return x?.pods === '2' ? x : undefined;
    }, 'usage');
    // kube-root-ca.crt is a ConfigMap too.
    assert.deepEqual(u, { pods: '2', 'requests.cpu': '350m', 'requests.memory': '128Mi', 'count/configmaps': '2', 'count/deployments.apps': '0' });
    const q = await t.admin.get(R.resourcequotas, NS, 'q');
    assert.deepEqual((q.status as { hard: unknown }).hard, (q.spec as { hard: unknown }).hard);
  });

  it('releases usage when objects are deleted or pods finish', async () => {
    await t.admin.delete(R.pods, NS, 'a', { gracePeriodSeconds: 0 });
    await t.until(async () => (await used())?.pods === '1', 'pod a released');
    await t.admin.patch(R.pods, NS, 'b', { status: { phase: 'Succeeded' } }, 'merge', 'status');
    await t.until(async () => (await used())?.pods === '0', 'finished pod b released');
    assert.equal((await used())?.['requests.cpu'], '0');
    await t.admin.delete(R.configmaps, NS, 'c1');
    await t.until(async () => (await used())?.['count/configmaps'] === '1', 'configmap released');
  });

  it('follows spec changes and repairs a tampered status on the resync', async () => {
    await t.admin.patch(R.resourcequotas, NS, 'q', { spec: { hard: { pods: '4', services: '2', 'requests.cpu': null, 'requests.memory': null, 'count/configmaps': null, 'count/deployments.apps': null } } });
    await t.until(async () => {
      const q = await t.admin.get(R.resourcequotas, NS, 'q');
      const s = q.status as { hard: Record<string, string>; used: Record<string, string> };
      return s.hard.services === '2' && s.used.services === '0' && s.used['count/configmaps'] === undefined;
    }, 'status follows the new spec');
    const q = await t.admin.get(R.resourcequotas, NS, 'q');
    await t.admin.updateStatus(R.resourcequotas, NS, { ...q, status: { hard: { pods: '4', services: '2' }, used: { pods: '3', services: '0' } } });
    await t.settle();
    assert.equal((await used())?.pods, '3', 'no sync without a reason');
    await t.advance(5 * 60_000 + 1);
    await t.until(async () => (await used())?.pods === '0', 'resync repaired the status');
  });
});
