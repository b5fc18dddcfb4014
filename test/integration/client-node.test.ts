/**
 * @kubernetes/client-node 1.4.0 (the JavaScript client most extensions use) against a KubeLab API server over
 * HTTPS, configured only by the cluster's kubeconfig: typed CoreV1Api / AppsV1Api calls (list, create with bodies
 * that carry no kind/apiVersion, read, replace, delete), the three patch types and server-side apply through
 * KubernetesObjectApi, ApiException codes with their Status bodies, and Watch. The informer tests are in
 * client-node-informer.test.ts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { startTestCluster } from '../helpers/apiserver';
import { apiError, loadKubeConfig, recordWatch } from '../helpers/client-node';
import { waitFor } from '../helpers/wait';

const NS = 'default';
const CONFLICT = 'the object has been modified; please apply your changes to the latest version and try again';

const podBody = (name: string, app = 'cn'): V1Pod => ({ metadata: { name, labels: { app } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } });
const deploymentBody = (name: string): V1Deployment => ({
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
  },
});

test('@kubernetes/client-node 1.4.0 against the API server', { timeout: 60_000 }, async (t) => {
  const tc = await startTestCluster();
  try {
    const kc = loadKubeConfig(tc.cluster.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const objects = KubernetesObjectApi.makeApiClient(kc);

    await t.test('list: namespaces and an empty pod list with a resourceVersion', async () => {
      const nss = await core.listNamespace();
      const names = nss.items.map((n) => n.metadata?.name);
      for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(n), names.join(','));
      const pods = await core.listNamespacedPod({ namespace: NS });
      assert.deepEqual(pods.items, []);
      assert.match(pods.metadata?.resourceVersion ?? '', /^\d+$/);
    });

    await t.test('create (body without kind/apiVersion), read, list', async () => {
      const created = await core.createNamespacedPod({ namespace: NS, body: podBody('cn-1') });
      assert.equal(created.kind, 'Pod');
      assert.equal(created.apiVersion, 'v1');
      assert.equal(created.metadata?.namespace, NS);
      assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(created.metadata?.creationTimestamp instanceof Date);
      assert.equal(created.status?.phase, 'Pending');
      const read = await core.readNamespacedPod({ name: 'cn-1', namespace: NS });
      assert.equal(read.metadata?.uid, created.metadata?.uid);
      assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);
      const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=cn' });
      assert.deepEqual(list.items.map((p) => p.metadata?.name), ['cn-1']);
      const d = await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('cn-web') });
      assert.deepEqual([d.kind, d.apiVersion, d.metadata?.generation, d.spec?.strategy?.type], ['Deployment', 'apps/v1', 1, 'RollingUpdate']);
    });

    await t.test('ApiException 409 AlreadyExists and 404 NotFound carry the Status', async () => {
      const dup = await apiError(core.createNamespacedPod({ namespace: NS, body: podBody('cn-1') }));
      assert.equal(dup.code, 409);
      assert.deepEqual(
        { kind: dup.status.kind, apiVersion: dup.status.apiVersion, status: dup.status.status, reason: dup.status.reason, code: dup.status.code, message: dup.status.message, details: dup.status.details },
        { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'pods "cn-1" already exists', details: { name: 'cn-1', kind: 'pods' } },
      );
      const missing = await apiError(core.readNamespacedPod({ name: 'nope', namespace: NS }));
      assert.equal(missing.code, 404);
      assert.deepEqual([missing.status.reason, missing.status.message, missing.status.details], ['NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }]);
      const noDeploy = await apiError(apps.readNamespacedDeployment({ name: 'nope', namespace: NS }));
      assert.deepEqual([noDeploy.code, noDeploy.status.message, noDeploy.status.details], [404, 'deployments.apps "nope" not found', { name: 'nope', group: 'apps', kind: 'deployments' }]);
    });

    await t.test('replace: the current resourceVersion wins, a stale one is 409 Conflict', async () => {
      const before = await core.readNamespacedPod({ name: 'cn-1', namespace: NS });
      const replaced = await core.replaceNamespacedPod({ name: 'cn-1', namespace: NS, body: { ...before, metadata: { ...before.metadata, labels: { app: 'cn', step: 'one' } } } });
      assert.equal(replaced.metadata?.labels?.step, 'one');
      assert.notEqual(replaced.metadata?.resourceVersion, before.metadata?.resourceVersion);
      const stale = await apiError(core.replaceNamespacedPod({ name: 'cn-1', namespace: NS, body: { ...before, metadata: { ...before.metadata, labels: { app: 'cn', step: 'two' } } } }));
      assert.equal(stale.code, 409);
      assert.deepEqual([stale.status.reason, stale.status.message], ['Conflict', `Operation cannot be fulfilled on pods "cn-1": ${CONFLICT}`]);
    });

    await t.test('patch: JSON patch (the default content type), merge patch, strategic merge patch', async () => {
      const json = await core.patchNamespacedPod({ name: 'cn-1', namespace: NS, body: [{ op: 'add', path: '/metadata/labels/patched', value: 'json' }] });
      assert.equal(json.metadata?.labels?.patched, 'json');

      const merge = await apps.patchNamespacedDeployment(
        { name: 'cn-web', namespace: NS, body: { spec: { replicas: 4, template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      assert.equal(merge.spec?.replicas, 4);
      assert.deepEqual(merge.spec?.template.spec?.containers.map((c) => c.name), ['sidecar'], 'a merge patch replaces lists');

      const smp = await apps.patchNamespacedDeployment(
        { name: 'cn-web', namespace: NS, body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      // Merged by name; upstream's normalizeElementOrder puts the patch's items before the live-only ones.
      assert.deepEqual(smp.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`), ['nginx=nginx:1.28', 'sidecar=busybox:1.36'], 'a strategic merge patch merges containers by name');
      assert.equal(smp.metadata?.generation, 3);

      const bad = await apiError(core.patchNamespacedPod({ name: 'cn-1', namespace: NS, body: [{ op: 'test', path: '/metadata/name', value: 'other' }] }));
      assert.equal(bad.code, 422);
    });

    await t.test('KubernetesObjectApi: server-side apply creates, is owned by its field manager, conflicts for another', async () => {
      const spec = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'cn-ssa', namespace: NS },
        spec: { replicas: 2, selector: { matchLabels: { app: 'cn-ssa' } }, template: { metadata: { labels: { app: 'cn-ssa' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
      };
      const applied = await objects.patch(spec, undefined, undefined, 'my-mgr', true, PatchStrategy.ServerSideApply);
      assert.equal(applied.metadata?.name, 'cn-ssa');
      const managers = (applied.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? [];
      assert.deepEqual(managers.map((m) => `${m.manager}/${m.operation}`), ['my-mgr/Apply']);
      const conflict = await apiError(objects.patch({ ...spec, spec: { ...spec.spec, replicas: 3 } }, undefined, undefined, 'other-mgr', false, PatchStrategy.ServerSideApply));
      assert.equal(conflict.code, 409);
      assert.deepEqual([conflict.status.reason, conflict.status.message], ['Conflict', 'Apply failed with 1 conflict: conflict with "my-mgr": .spec.replicas']);
      assert.deepEqual(conflict.status.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "my-mgr"', field: '.spec.replicas' }]);
      const forced = await objects.patch({ ...spec, spec: { ...spec.spec, replicas: 3 } }, undefined, undefined, 'other-mgr', true, PatchStrategy.ServerSideApply);
      assert.equal((forced as V1Deployment).spec?.replicas, 3);
      const read = await objects.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-ssa', namespace: NS } });
      assert.equal((read as V1Deployment).spec?.replicas, 3);
      const listed = await objects.list('apps/v1', 'Deployment', NS);
      assert.deepEqual(listed.items.map((d) => d.metadata?.name), ['cn-ssa', 'cn-web']);
      await objects.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-ssa', namespace: NS } });
      assert.equal((await apiError(objects.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-ssa', namespace: NS } }))).code, 404);
    });

    await t.test('delete: the pod (on no node) is gone at once', async () => {
      const deleted = await core.deleteNamespacedPod({ name: 'cn-1', namespace: NS });
      assert.equal(deleted.metadata?.name, 'cn-1');
      assert.equal((await apiError(core.readNamespacedPod({ name: 'cn-1', namespace: NS }))).code, 404);
      const again = await apiError(core.deleteNamespacedPod({ name: 'cn-1', namespace: NS }));
      assert.deepEqual([again.code, again.status.message], [404, 'pods "cn-1" not found']);
    });

    await t.test('Watch on pods receives ADDED, MODIFIED, DELETED in order', async () => {
      const w = await recordWatch(kc, `/api/v1/namespaces/${NS}/pods`, { labelSelector: 'app=watched' });
      try {
        await core.createNamespacedPod({ namespace: NS, body: podBody('cn-watch', 'watched') });
        await core.patchNamespacedPod({ name: 'cn-watch', namespace: NS, body: [{ op: 'add', path: '/metadata/labels/seen', value: 'yes' }] });
        await core.deleteNamespacedPod({ name: 'cn-watch', namespace: NS });
        await waitFor(() => w.events.some((e) => e.type === 'DELETED'), 'the DELETED event', { timeoutMs: 5000, describe: () => w.events.map((e) => e.type) });
        const seen = w.events.filter((e) => e.type !== 'BOOKMARK');
        assert.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED cn-watch', 'MODIFIED cn-watch', 'DELETED cn-watch']);
        assert.equal(seen[0].object.kind, 'Pod');
        assert.equal((seen[1].object.metadata?.labels as Record<string, string>).seen, 'yes');
        const rvs = seen.map((e) => Number(e.object.metadata?.resourceVersion));
        assert.ok(rvs[0] < rvs[1] && rvs[1] < rvs[2], `increasing resourceVersions: ${rvs.join(',')}`);
      } finally {
        w.stop();
      }
    });
  } finally {
    await tc.stop();
  }
});
