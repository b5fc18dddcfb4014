/**
 * The PersistentVolume binder and the simulated local provisioner against the real in-process API server on a fake
 * clock: static binding (capacity, access-mode groups, class, selector), pre-binding by claimRef and by volumeName,
 * the `standard` default class created at start, WaitForFirstConsumer (waiting events, then provisioning on the
 * selected node), Immediate provisioning, and reclaim on claim deletion (Retain → Released, Delete → gone, hostPath
 * outside /tmp → Failed, Recycle → Failed), and a claim losing its volume.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { localProvisionerControllerFactory, newLocalProvisionerControllerFactory } from '../../../src/controllers/localprovisioner';
import { persistentVolumeBinderControllerFactory } from '../../../src/controllers/persistentvolume';
import { silentLogger } from '../../../src/base/logger';
import { startControllerManager } from '../../../src/controllers/manager';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
const BASE = '/kubelab-data/local-path-provisioner';

function pv(name: string, size: string, modes: string[], extra: { cls?: string; labels?: Record<string, string>; claimRef?: Obj; policy?: string; path?: string } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: extra.labels },
    spec: {
      capacity: { storage: size },
      accessModes: modes,
      hostPath: { path: extra.path ?? `/tmp/${name}` },
      storageClassName: extra.cls ?? 'manual',
      persistentVolumeReclaimPolicy: extra.policy ?? 'Retain',
      ...(extra.claimRef ? { claimRef: extra.claimRef } : {}),
    },
  };
}

function pvc(name: string, size: string, modes: string[], extra: { cls?: string | null; selector?: Obj; volumeName?: string } = {}): Obj {
  const spec: Obj = { accessModes: modes, resources: { requests: { storage: size } } };
  if (extra.cls !== null) spec.storageClassName = extra.cls ?? 'manual';
  if (extra.selector) spec.selector = extra.selector;
  if (extra.volumeName) spec.volumeName = extra.volumeName;
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec };
}

describe('persistentvolume binder and local provisioner', () => {
  let t: ControllerTest;
  const getPV = (n: string) => t.admin.get(R.persistentvolumes, '', n);
  const getPVC = (n: string) => t.admin.get(R.persistentvolumeclaims, NS, n);
  const phase = (o: Obj) => (o.status as { phase?: string } | undefined)?.phase;
  const ann = (o: Obj) => (o.metadata?.annotations ?? {}) as Record<string, string>;
  const gone = async (n: string) => getPV(n).then(() => false, () => true);
  const events = async (kind: string, name: string) =>
    (await t.list(R.events, NS))
      .filter((e) => (e.involvedObject as Obj).kind === kind && (e.involvedObject as Obj).name === name)
      .map((e) => `${String(e.type)} ${String(e.reason)} ${String(e.message)}`);
  const boundTo = async (claim: string) => {
    const c = await getPVC(claim);
    return phase(c) === 'Bound' ? String((c.spec as Obj).volumeName) : undefined;
  };

  before(async () => {
    t = await startControllerTest([persistentVolumeBinderControllerFactory, newLocalProvisionerControllerFactory({ basePath: BASE })]);
    // No bootstrap role lets a controller create StorageClasses (see the report): grant it here.
    await t.admin.create(R.clusterroles, '', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'test:storageclass-creator' },
      rules: [{ apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['create'] }],
    });
    await t.admin.create({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' }, '', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'test:storageclass-creator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'test:storageclass-creator' },
      subjects: [{ kind: 'ServiceAccount', name: 'persistent-volume-binder', namespace: 'kube-system' }],
    });
  });
  after(async () => t.stop());

  it('creates the default `standard` StorageClass at start (retrying until allowed)', async () => {
    const sc = await t.until(async () => {
      await t.advance(2_000);
      return t.admin.get(R.storageclasses, '', 'standard').catch(() => undefined);
    }, 'standard StorageClass');
    assert.equal(ann(sc)['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(sc.provisioner, 'kubelab.dev/local-path-simulated');
    assert.equal(sc.reclaimPolicy, 'Delete');
    assert.equal(sc.volumeBindingMode, 'WaitForFirstConsumer');
    assert.ok(localProvisionerControllerFactory.name === 'local-provisioner' && localProvisionerControllerFactory.workers === 1);
  });

  it('binds claims statically: access-mode group, smallest fitting capacity, class and selector', async () => {
    await t.admin.create(R.persistentvolumes, '', pv('s-a', '1Gi', ['ReadWriteOnce']));
    await t.admin.create(R.persistentvolumes, '', pv('s-b', '5Gi', ['ReadWriteOnce']));
    await t.admin.create(R.persistentvolumes, '', pv('s-c', '2Gi', ['ReadWriteOnce', 'ReadWriteMany']));
    await t.admin.create(R.persistentvolumes, '', pv('s-d', '3Gi', ['ReadWriteOnce'], { cls: 'other' }));
    await t.admin.create(R.persistentvolumes, '', pv('s-e', '10Gi', ['ReadWriteOnce'], { labels: { tier: 'gold' } }));
    await t.admin.create(R.persistentvolumes, '', pv('s-f', '1Gi', ['ReadWriteOnce'], { cls: '' }));
    await t.settle();
    assert.equal(phase(await getPV('s-a')), 'Available');

    // RWO volumes are tried before RWO+RWX ones, even though s-c (2Gi) is smaller than s-b (5Gi).
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('c-rwo', '1500Mi', ['ReadWriteOnce']));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('c-rwx', '1Gi', ['ReadWriteMany']));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('c-gold', '1Gi', ['ReadWriteOnce'], { selector: { matchLabels: { tier: 'gold' } } }));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('c-none', '1Gi', ['ReadWriteOnce'], { cls: '' }));
    await t.settle();
    assert.equal(await boundTo('c-rwo'), 's-b');
    assert.equal(await boundTo('c-rwx'), 's-c');
    assert.equal(await boundTo('c-gold'), 's-e');
    assert.equal(await boundTo('c-none'), 's-f');

    const v = await getPV('s-b');
    const c = await getPVC('c-rwo');
    assert.equal(phase(v), 'Bound');
    assert.deepEqual((v.spec as Obj).claimRef && { ...((v.spec as Obj).claimRef as Obj), resourceVersion: undefined }, {
      kind: 'PersistentVolumeClaim', namespace: NS, name: 'c-rwo', uid: c.metadata?.uid, apiVersion: 'v1', resourceVersion: undefined,
    });
    assert.equal(ann(v)['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(ann(c)['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(ann(c)['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(c.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
    assert.equal(phase(await getPV('s-a')), 'Available');
    assert.equal(phase(await getPV('s-d')), 'Available');

    // Nothing fits: a class without a StorageClass cannot be provisioned; no class at all is FailedBinding.
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('c-huge', '20Gi', ['ReadWriteOnce']));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('c-none2', '1Gi', ['ReadWriteOnce'], { cls: '' }));
    await t.settle();
    assert.equal(phase(await getPVC('c-huge')), 'Pending');
    assert.deepEqual(await events('PersistentVolumeClaim', 'c-huge'), ['Warning ProvisioningFailed storageclass.storage.k8s.io "manual" not found']);
    assert.deepEqual(await events('PersistentVolumeClaim', 'c-none2'), ['Normal FailedBinding no persistent volumes available for this claim and no storage class is set']);

    // A volume created after the claim is found at the next periodic sync (15 s).
    await t.admin.create(R.persistentvolumes, '', pv('s-late', '1Gi', ['ReadWriteOnce'], { cls: '' }));
    await t.settle();
    assert.equal(await boundTo('c-none2'), undefined);
    await t.advance(15_000);
    await t.advance(15_000);
    assert.equal(await boundTo('c-none2'), 's-late');
  });

  it('honours pre-binding by claimRef and by volumeName, and reports a mismatching volumeName', async () => {
    await t.admin.create(R.persistentvolumes, '', pv('p-ref', '1Gi', ['ReadWriteOnce'], { claimRef: { namespace: NS, name: 'wants-ref' } }));
    await t.admin.create(R.persistentvolumes, '', pv('p-named', '2Gi', ['ReadWriteOnce']));
    await t.admin.create(R.persistentvolumes, '', pv('p-tiny', '100Mi', ['ReadWriteOnce']));
    await t.settle();
    assert.equal(phase(await getPV('p-ref')), 'Available');
    // A claim that fits p-ref but is not the one it names does not get it.
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('intruder', '1Gi', ['ReadWriteOnce'], { selector: { matchLabels: { none: 'x' } } }));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('wants-ref', '1Gi', ['ReadWriteOnce']));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('wants-named', '1Gi', ['ReadWriteOnce'], { volumeName: 'p-named' }));
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('wants-tiny', '1Gi', ['ReadWriteOnce'], { volumeName: 'p-tiny' }));
    await t.settle();
    assert.equal(await boundTo('wants-ref'), 'p-ref');
    assert.equal(await boundTo('intruder'), undefined);
    const ref = await getPV('p-ref');
    assert.equal(((ref.spec as Obj).claimRef as Obj).uid, (await getPVC('wants-ref')).metadata?.uid);
    assert.equal(ann(ref)['pv.kubernetes.io/bound-by-controller'], undefined, 'pre-bound by the user');
    assert.equal(ann(await getPVC('wants-ref'))['pv.kubernetes.io/bound-by-controller'], 'yes');

    assert.equal(await boundTo('wants-named'), 'p-named');
    assert.equal(ann(await getPV('p-named'))['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(ann(await getPVC('wants-named'))['pv.kubernetes.io/bound-by-controller'], undefined, 'volumeName set by the user');
    assert.equal(ann(await getPVC('wants-named'))['pv.kubernetes.io/bind-completed'], 'yes');

    assert.equal(phase(await getPVC('wants-tiny')), 'Pending');
    assert.deepEqual(await events('PersistentVolumeClaim', 'wants-tiny'), ['Warning VolumeMismatch Cannot bind to requested volume "p-tiny": requested PV is too small']);
    assert.equal(phase(await getPV('p-tiny')), 'Available');
  });

  it('WaitForFirstConsumer: waits, then provisions on the selected node and binds; Delete removes the volume', async () => {
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } } });
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('data', '3Gi', ['ReadWriteOnce'], { cls: null }));
    await t.settle();
    let c = await getPVC('data');
    assert.equal((c.spec as Obj).storageClassName, 'standard', 'DefaultStorageClass admission');
    assert.equal(phase(c), 'Pending');
    assert.deepEqual(await events('PersistentVolumeClaim', 'data'), ['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);

    await t.admin.create(R.pods, NS, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' },
      spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
    });
    await t.until(() => t.manager.context.informers.listerFor(R.pods).get(NS, 'web'), 'pod web in the informer');
    await t.advance(15_000);
    const waiting = await events('PersistentVolumeClaim', 'data');
    assert.ok(waiting.includes('Normal WaitForPodScheduled waiting for pod web to be scheduled'), JSON.stringify(waiting));
    assert.equal((await t.list(R.persistentvolumes)).filter((v) => String(v.metadata?.name).startsWith('pvc-')).length, 0);

    // The scheduler (played here) picks n1.
    await t.admin.patch(R.persistentvolumeclaims, NS, 'data', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } } }, 'merge');
    await t.until(async () => (await boundTo('data')) !== undefined, 'data bound');
    c = await getPVC('data');
    const uid = String(c.metadata?.uid);
    const name = `pvc-${uid}`;
    assert.equal((c.spec as Obj).volumeName, name);
    assert.equal(ann(c)['volume.kubernetes.io/storage-provisioner'], 'kubelab.dev/local-path-simulated');
    assert.equal(ann(c)['volume.beta.kubernetes.io/storage-provisioner'], 'kubelab.dev/local-path-simulated');
    assert.deepEqual(c.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '3Gi' } });
    const v = await getPV(name);
    assert.equal(ann(v)['pv.kubernetes.io/provisioned-by'], 'kubelab.dev/local-path-simulated');
    assert.equal(phase(v), 'Bound');
    const spec = v.spec as Obj;
    assert.deepEqual(spec.capacity, { storage: '3Gi' });
    assert.equal(spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(spec.storageClassName, 'standard');
    assert.deepEqual(spec.hostPath, { path: `${BASE}/${name}_${NS}_data`, type: 'DirectoryOrCreate' });
    assert.deepEqual(spec.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } });
    await t.settle();
    const evs = await events('PersistentVolumeClaim', 'data');
    for (const e of [
      "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'kubelab.dev/local-path-simulated' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Normal Provisioning External provisioner is provisioning volume for claim "default/data"',
      `Normal ProvisioningSucceeded Successfully provisioned volume ${name}`,
    ])
      assert.ok(evs.includes(e), `${e} in ${JSON.stringify(evs)}`);
    const src = (await t.list(R.events, NS)).find((e) => e.reason === 'ProvisioningSucceeded')?.source;
    assert.deepEqual(src, { component: 'kubelab.dev/local-path-simulated_kubelab' });

    // Deleting the claim releases the volume; the provisioner deletes it (reclaimPolicy Delete).
    await t.admin.delete(R.pods, NS, 'web', { gracePeriodSeconds: 0 });
    await t.admin.delete(R.persistentvolumeclaims, NS, 'data');
    await t.until(() => gone(name), 'provisioned volume deleted');
  });

  it('a selected node that does not exist is given back to the scheduler', async () => {
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('ghostly', '1Gi', ['ReadWriteOnce'], { cls: 'standard' }));
    await t.settle();
    await t.admin.patch(R.persistentvolumeclaims, NS, 'ghostly', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'ghost' } } }, 'merge');
    await t.until(async () => ann(await getPVC('ghostly'))['volume.kubernetes.io/selected-node'] === undefined && ann(await getPVC('ghostly'))['volume.kubernetes.io/storage-provisioner'], 'selected-node removed');
    await t.settle();
    assert.ok((await events('PersistentVolumeClaim', 'ghostly')).includes('Warning ProvisioningFailed node "ghost" not found'));
    assert.equal(phase(await getPVC('ghostly')), 'Pending');
  });

  it('Immediate classes provision at once, without node affinity', async () => {
    await t.admin.create(R.storageclasses, '', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' },
      provisioner: 'kubelab.dev/local-path-simulated', volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain',
    });
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('quick', '1Gi', ['ReadWriteOnce'], { cls: 'fast' }));
    await t.until(async () => (await boundTo('quick')) !== undefined, 'quick bound');
    const v = await getPV(String(((await getPVC('quick')).spec as Obj).volumeName));
    assert.equal((v.spec as Obj).nodeAffinity, undefined);
    assert.equal((v.spec as Obj).persistentVolumeReclaimPolicy, 'Retain');
  });

  it('reclaims on claim deletion: Retain → Released, Delete of /tmp hostPath → gone, elsewhere → Failed, Recycle → Failed', async () => {
    const cases: [string, string, string][] = [
      ['r-retain', 'Retain', '/tmp/r-retain'],
      ['r-delete', 'Delete', '/tmp/r-delete'],
      ['r-outside', 'Delete', '/data/r-outside'],
      ['r-recycle', 'Recycle', '/tmp/r-recycle'],
    ];
    for (const [name, policy, path] of cases) {
      await t.admin.create(R.persistentvolumes, '', pv(name, '1Gi', ['ReadWriteOnce'], { cls: 'reclaim', policy, path, claimRef: { namespace: NS, name: `${name}-claim` } }));
      await t.admin.create(R.persistentvolumeclaims, NS, pvc(`${name}-claim`, '1Gi', ['ReadWriteOnce'], { cls: 'reclaim' }));
    }
    await t.settle();
    for (const [name] of cases) assert.equal(await boundTo(`${name}-claim`), name);
    for (const [name] of cases) await t.admin.delete(R.persistentvolumeclaims, NS, `${name}-claim`);
    await t.settle();

    const retained = await getPV('r-retain');
    assert.equal(phase(retained), 'Released');
    assert.equal(((retained.spec as Obj).claimRef as Obj).name, 'r-retain-claim');
    assert.equal(await gone('r-delete'), true);
    const outside = await getPV('r-outside');
    assert.equal(phase(outside), 'Failed');
    assert.equal((outside.status as Obj).message, 'host_path deleter only supports /tmp/.+ but received provided /data/r-outside');
    assert.deepEqual(await events('PersistentVolume', 'r-outside'), ['Warning VolumeFailedDelete host_path deleter only supports /tmp/.+ but received provided /data/r-outside']);
    assert.equal(phase(await getPV('r-recycle')), 'Failed');
    assert.deepEqual(await events('PersistentVolume', 'r-recycle'), ['Warning VolumeFailedRecycle No recycler plugin found for the volume!']);

    // A Released volume stays released at later syncs; making it Available again is the administrator's job.
    await t.advance(15_000);
    assert.equal(phase(await getPV('r-retain')), 'Released');
    await t.admin.patch(R.persistentvolumes, '', 'r-retain', { spec: { claimRef: null } }, 'merge');
    await t.settle();
    assert.equal(phase(await getPV('r-retain')), 'Available');
  });

  it('a bound claim whose volume is deleted is Lost', async () => {
    await t.admin.create(R.persistentvolumes, '', pv('l-vol', '1Gi', ['ReadWriteOnce'], { cls: 'lost' }));
    await t.settle();
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('l-claim', '1Gi', ['ReadWriteOnce'], { cls: 'lost' }));
    await t.settle();
    assert.equal(await boundTo('l-claim'), 'l-vol');
    await t.admin.delete(R.persistentvolumes, '', 'l-vol');
    await t.settle();
    assert.equal(phase(await getPVC('l-claim')), 'Lost');
    assert.deepEqual(await events('PersistentVolumeClaim', 'l-claim'), ['Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!']);
  });

  it('never overwrites a changed `standard` class at a later start, and recreates a missing one', async () => {
    await t.admin.patch(R.storageclasses, '', 'standard', { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } } }, 'merge');
    const restart = async () => {
      const m = await startControllerManager({ handle: (r) => t.tc.cluster.handle(r), controllers: [localProvisionerControllerFactory], logger: silentLogger, clock: t.clock });
      await m.idle();
      await m.close();
    };
    await restart();
    const sc = await t.admin.get(R.storageclasses, '', 'standard');
    assert.equal(ann(sc)['storageclass.kubernetes.io/is-default-class'], 'false');
    await t.admin.delete(R.storageclasses, '', 'standard');
    await t.until(() => !t.manager.context.informers.listerFor(R.storageclasses).get('', 'standard'), 'standard gone from the informer');
    // A claim made while there is no default class asks for no class…
    await t.admin.create(R.persistentvolumeclaims, NS, pvc('classless', '1Gi', ['ReadWriteOnce'], { cls: null }));
    await t.settle();
    assert.equal(((await getPVC('classless')).spec as Obj).storageClassName, undefined);
    await restart();
    const again = await t.admin.get(R.storageclasses, '', 'standard');
    assert.equal(ann(again)['storageclass.kubernetes.io/is-default-class'], 'true');
    // …and gets the default class retroactively at the binder's next sync.
    await t.until(() => t.manager.context.informers.listerFor(R.storageclasses).get('', 'standard'), 'standard back in the informer');
    await t.advance(15_000);
    assert.equal(((await getPVC('classless')).spec as Obj).storageClassName, 'standard');
  });
});
