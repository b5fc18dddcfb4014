/**
 * The namespace controller against the real in-process API server on a fake clock: deleting a namespace holding
 * objects of many kinds (core, apps, RBAC, batch, coordination, a custom resource of a CRD, a pod whose finalizer
 * is removed later) keeps it Terminating with upstream's conditions while content remains, then ends with the
 * namespace gone; the 5 s grace before the first pass; a namespace with another spec finalizer stays.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { NAMESPACE_DELETION_GRACE_MS, namespaceControllerFactory } from '../../../src/controllers/namespace';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const GROUP = 'nstest.kubelab.test';
const widgets = { group: GROUP, version: 'v1', resource: 'widgets' };
const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const core = (resource: string) => ({ group: '', version: 'v1', resource });

const crd: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };

/** One object of many kinds in `ns`: [resource, body]. */
function content(ns: string): [{ group: string; version: string; resource: string }, Obj][] {
  const labels = { app: 'x' };
  return [
    [R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }],
    [core('secrets'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: '1' } }],
    [R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }], selector: labels } }],
    [R.serviceaccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } }],
    [R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', labels }, spec: podSpec }],
    [R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: podSpec }],
    [R.persistentvolumeclaims, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pvc' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    [R.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } }],
    [R.jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { suspend: true, template: { spec: { ...podSpec, restartPolicy: 'Never' } } } }],
    [R.leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: {} }],
    [{ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles' }, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [] }],
    [
      { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: ns }] },
    ],
    [widgets, { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } }],
  ];
}

describe('namespace controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([namespaceControllerFactory]);
    await t.admin.create(CRDS, '', crd);
    await t.until(async () => {
      try {
        await t.admin.list(widgets, 'default');
        return true;
      } catch {
        return false;
      }
    }, 'widgets served');
  });
  after(async () => t.stop());

  const getNs = async (name: string): Promise<Obj | undefined> => {
    try {
      return await t.admin.get(R.namespaces, '', name);
    } catch {
      return undefined;
    }
  };
  /** Waits until the controller's informer saw the deletion (its handler then started the 5 s grace). */
  const queued = (name: string) => t.until(() => !!t.manager.context.informers.listerFor(R.namespaces).get('', name)?.metadata?.deletionTimestamp, `${name} deletion seen`);
  const conditionsOf = (ns: Obj | undefined) => new Map(((ns?.status as { conditions?: Obj[] } | undefined)?.conditions ?? []).map((c) => [String(c.type), c]));

  it('deletes every namespaced object, waits for finalizers, then the namespace goes', async () => {
    await t.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    for (const [r, body] of content('doomed')) await t.admin.create(r, 'doomed', body);
    await t.admin.delete(R.namespaces, '', 'doomed');
    let ns = await getNs('doomed');
    assert.equal((ns?.status as { phase?: string }).phase, 'Terminating');
    await queued('doomed');
    assert.ok((await t.list(R.configmaps, 'doomed')).some((o) => o.metadata?.name === 'cm'), 'nothing happens before the 5 s grace period');

    await t.advance(NAMESPACE_DELETION_GRACE_MS);
    await t.until(async () => conditionsOf(await getNs('doomed')).get('NamespaceContentRemaining')?.status === 'True', 'content remaining condition');
    for (const [r] of content('doomed')) {
      const left = (await t.list(r, 'doomed')).map((o) => o.metadata?.name);
      assert.deepEqual(left, r === R.pods ? ['held'] : [], `${r.resource} left`);
    }
    ns = await getNs('doomed');
    const c = conditionsOf(ns);
    assert.equal(c.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: pods. has 1 resource instances');
    assert.equal(c.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.equal(c.get('NamespaceFinalizersRemaining')?.message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
    assert.equal(c.get('NamespaceFinalizersRemaining')?.reason, 'SomeFinalizerRemain');
    assert.deepEqual(
      { status: c.get('NamespaceDeletionDiscoveryFailure')?.status, reason: c.get('NamespaceDeletionDiscoveryFailure')?.reason, message: c.get('NamespaceDeletionDiscoveryFailure')?.message },
      { status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    );
    assert.equal(c.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeleted');
    assert.deepEqual((ns?.spec as { finalizers?: string[] }).finalizers, ['kubernetes']);

    // Past the pods' 30 s grace estimate the held pod still blocks the namespace (15 s finalizer estimate).
    await t.advance(20_000);
    await t.advance(20_000);
    assert.ok(await getNs('doomed'), 'namespace kept while a pod with a finalizer remains');
    assert.deepEqual((await t.list(R.pods, 'doomed')).map((p) => p.metadata?.name), ['held']);
    // The held pod goes once its finalizer is removed; the next pass (clock-driven requeue) finalizes the namespace.
    await t.admin.patch(R.pods, 'doomed', 'held', { metadata: { finalizers: null } });
    await t.advance(60_000);
    await t.until(async () => !(await getNs('doomed')), 'namespace gone');
  });

  it('leaves a namespace whose other spec finalizer remains, after removing its own', async () => {
    await t.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' }, spec: { finalizers: ['kubernetes', 'example.com/other'] } });
    await t.admin.create(R.configmaps, 'kept', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    await t.admin.delete(R.namespaces, '', 'kept');
    await queued('kept');
    await t.advance(NAMESPACE_DELETION_GRACE_MS);
    await t.until(async () => JSON.stringify((await getNs('kept'))?.spec) === JSON.stringify({ finalizers: ['example.com/other'] }), 'kubernetes finalizer removed');
    assert.equal((await t.list(R.configmaps, 'kept')).length, 0);
    const c = conditionsOf(await getNs('kept'));
    assert.equal(c.get('NamespaceContentRemaining')?.status, 'False');
    assert.equal(c.get('NamespaceContentRemaining')?.message, 'All content successfully removed');
  });
});
