/**
 * The controllers every cluster runs from the first start (ServiceAccounts, root CA publisher, ClusterRole
 * aggregation), through the cluster's own controller manager: a new namespace gets its `default` ServiceAccount and
 * `kube-root-ca.crt`; both come back when deleted; an edited CA ConfigMap is corrected; a ClusterRole labelled to
 * aggregate into `view` adds its rules to view, edit and admin, and they go when it goes.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, R } from '../../../src/controllers/framework';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { waitFor } from '../../helpers/wait';

describe('essential controllers', () => {
  let tc: TestCluster;
  let admin: ApiClient;
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
  });
  after(async () => tc.stop());

  const exists = async (r: typeof R.serviceaccounts, ns: string, name: string) => {
    try {
      return await admin.get(r, ns, name);
    } catch {
      return undefined;
    }
  };

  it('gives a new namespace its default ServiceAccount and kube-root-ca.crt, and brings them back', async () => {
    await admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await waitFor(() => exists(R.serviceaccounts, 'team', 'default'), 'default ServiceAccount', { timeoutMs: 5000 });
    const cm = (await waitFor(() => exists(R.configmaps, 'team', 'kube-root-ca.crt'), 'kube-root-ca.crt', { timeoutMs: 5000 }))!;
    assert.equal((cm.data as Record<string, string>)['ca.crt'], tc.cluster.caCert);
    assert.match(String((cm.metadata?.annotations as Record<string, string>)['kubernetes.io/description']), /^Contains a CA bundle/);

    const uid = (await admin.get(R.serviceaccounts, 'team', 'default')).metadata?.uid;
    await admin.delete(R.serviceaccounts, 'team', 'default');
    await waitFor(async () => (await exists(R.serviceaccounts, 'team', 'default'))?.metadata?.uid !== uid && (await exists(R.serviceaccounts, 'team', 'default')), 'recreated ServiceAccount', { timeoutMs: 5000 });

    await admin.patch(R.configmaps, 'team', 'kube-root-ca.crt', { data: { 'ca.crt': 'tampered', extra: 'x' } });
    await waitFor(async () => {
      const d = (await admin.get(R.configmaps, 'team', 'kube-root-ca.crt')).data as Record<string, string>;
      return d['ca.crt'] === tc.cluster.caCert && d.extra === undefined;
    }, 'corrected CA ConfigMap', { timeoutMs: 5000 });
    await admin.delete(R.configmaps, 'team', 'kube-root-ca.crt');
    await waitFor(() => exists(R.configmaps, 'team', 'kube-root-ca.crt'), 'recreated CA ConfigMap', { timeoutMs: 5000 });
  });

  it('aggregates a labelled ClusterRole into view, edit and admin, and removes it again', async () => {
    const rule = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] };
    await admin.create(R.clusterroles, '', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [rule],
    });
    const has = async (role: string) =>
      ((await admin.get(R.clusterroles, '', role)).rules as { apiGroups?: string[]; resources?: string[] }[]).some((r) => r.apiGroups?.includes('example.com') && r.resources?.includes('widgets'));
    for (const role of ['view', 'edit', 'admin']) await waitFor(() => has(role), `${role} has the widget rule`, { timeoutMs: 5000 });
    await admin.delete(R.clusterroles, '', 'widget-viewer');
    for (const role of ['view', 'edit', 'admin']) await waitFor(async () => !(await has(role)), `${role} lost the widget rule`, { timeoutMs: 5000 });
  });
});
