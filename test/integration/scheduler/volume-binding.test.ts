/**
 * VolumeBinding against the real in-process cluster with the PersistentVolume binder and the simulated local
 * provisioner (fake clock): a pod using a claim of the default WaitForFirstConsumer `standard` class goes through
 * PreFilter → Filter → Reserve → PreBind under the scheduler's identity; PreBind writes the claim's selected-node,
 * the provisioner makes a PV pinned to that node, the binder binds it, and PreBind returns once the claim is Bound.
 * A second pod with a static PV (claimRef written by PreBind) is bound by the PV controller the same way.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/base/logger';
import { InProcessTransport } from '../../../src/client/in-process';
import { SharedInformerFactory } from '../../../src/client/informers';
import { ApiClient, R, type Obj } from '../../../src/controllers/framework';
import { newLocalProvisionerControllerFactory } from '../../../src/controllers/localprovisioner';
import { persistentVolumeBinderControllerFactory } from '../../../src/controllers/persistentvolume';
import { NodeInfo, type Handle, type Pod } from '../../../src/scheduler/framework';
import { newVolumeBinding, type VolumeBinding } from '../../../src/scheduler/plugins/volume-binding';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { fakeHandle, newState } from '../../helpers/scheduler-fixtures';

const NS = 'default';

describe('VolumeBinding with the PV controller and the local provisioner', () => {
  let t: ControllerTest;
  let informers: SharedInformerFactory;
  let plugin: VolumeBinding;
  let nodeInfos: NodeInfo[];

  before(async () => {
    t = await startControllerTest([persistentVolumeBinderControllerFactory, newLocalProvisionerControllerFactory({ basePath: '/kubelab-data/lp' })]);
    await t.admin.create(R.storageclasses, '', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'kubelab.dev/local-path-simulated', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    }).catch(() => undefined); // the provisioner may have made it already
    await t.admin.create(R.storageclasses, '', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' },
      provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer',
    });
    for (const n of ['node-a', 'node-b']) {
      await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
    }
    const transport = new InProcessTransport({ handle: (r) => t.tc.cluster.handle(r), user: { name: 'system:kube-scheduler', groups: ['system:authenticated'] } });
    informers = new SharedInformerFactory({ transport, logger: silentLogger, clock: t.clock });
    const base = fakeHandle();
    const handle: Handle = { ...base, informers, client: new ApiClient(transport), clock: t.clock, snapshot: () => ({ ...base.snapshot(), get: (n) => nodeInfos.find((x) => x.name === n) }) };
    plugin = newVolumeBinding(undefined, handle) as VolumeBinding;
    informers.start();
    await informers.waitForCacheSync();
    const nodes = await t.list(R.nodes);
    nodeInfos = nodes.map((n) => new NodeInfo(n as never));
  });
  after(async () => {
    informers?.stop();
    await t?.stop();
  });

  const createPod = async (name: string, claim: string) =>
    (await t.admin.create(R.pods, NS, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] },
    })) as Pod;
  const createClaim = (name: string, cls: string) =>
    t.admin.create(R.persistentvolumeclaims, NS, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
      spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
  const synced = (check: () => boolean, what: string) => t.until(() => check() || undefined, what);
  /** The object from the API once its status.phase is `phase`. */
  const phaseOf = (r: typeof R.persistentvolumes, ns: string, name: string, phase: string) =>
    t.until(async () => {
      const o = await t.admin.get(r, ns, name);
      return (o.status as Obj | undefined)?.phase === phase ? o : undefined;
    }, `${name} ${phase}`);

  /** One scheduling cycle for `pod` onto `node`, as the framework runs it; resolves with PreBind's status. */
  async function schedule(pod: Pod, node: string) {
    await synced(() => !!informers.listerFor(R.pods).get(NS, String(pod.metadata?.name)), 'pod in the informer');
    const state = newState();
    const pre = plugin.preFilter(state, pod, nodeInfos);
    assert.equal(pre.status.code, 'Success', pre.status.message());
    const verdicts = nodeInfos.map((n) => plugin.filter(state, pod, n));
    const ni = nodeInfos.findIndex((n) => n.name === node);
    assert.ok(verdicts[ni].isSuccess(), verdicts[ni].message());
    assert.ok(plugin.reserve(state, pod, node).isSuccess());
    const pending = plugin.preBind(state, pod, node);
    let status: Awaited<typeof pending> | undefined;
    void pending.then((s) => (status = s));
    // Let the controllers work; PreBind also re-checks every (fake) second.
    for (let i = 0; i < 40 && !status; i++) await t.advance(1_000);
    return { status: status ?? (await pending), verdicts };
  }

  it('WaitForFirstConsumer claim: selected-node written, volume provisioned on the node, PreBind returns once Bound', async () => {
    await createClaim('data', 'standard');
    const pod = await createPod('web', 'data');
    await synced(() => !!informers.listerFor(R.persistentvolumeclaims).get(NS, 'data'), 'claim in the informer');
    const { status, verdicts } = await schedule(pod, 'node-b');
    assert.ok(verdicts.every((v) => v.isSuccess()), 'provisioning is possible on every node');
    assert.equal(status.code, 'Success', status.message());
    // PreBind returns once the claim is fully bound (volumeName and bind-completed, as upstream's checkBindings); the
    // PV controller writes phase Bound in its next status update.
    const claim = await phaseOf(R.persistentvolumeclaims, NS, 'data', 'Bound');
    assert.equal((claim.metadata?.annotations as Record<string, string>)['volume.kubernetes.io/selected-node'], 'node-b');
    const pv = await t.admin.get(R.persistentvolumes, '', String((claim.spec as Obj).volumeName));
    assert.deepEqual(((pv.spec as Obj).nodeAffinity as Obj).required, {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-b'] }] }],
    });

    // A second pod of the same claim is now limited to node-b by the PV's node affinity.
    const again = await createPod('web-2', 'data');
    await synced(() => (informers.listerFor(R.persistentvolumeclaims).get(NS, 'data')?.status as Obj | undefined)?.phase === 'Bound', 'bound claim in the informer');
    await synced(() => !!informers.listerFor(R.pods).get(NS, 'web-2'), 'pod in the informer');
    const state = newState();
    assert.equal(plugin.preFilter(state, again, nodeInfos).status.code, 'Success');
    assert.deepEqual(nodeInfos.map((n) => plugin.filter(state, again, n).reasons), [['node(s) had volume node affinity conflict'], []]);
  });

  it('static local PV: PreBind writes claimRef, the PV controller binds', async () => {
    await t.admin.create(R.persistentvolumes, '', {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'local-a' },
      spec: {
        storageClassName: 'local', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/local-a' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }] } },
      },
    });
    await createClaim('static', 'local');
    await t.settle();
    await synced(() => (informers.listerFor(R.persistentvolumes).get('', 'local-a')?.status as Obj | undefined)?.phase === 'Available', 'available PV in the informer');
    await synced(() => !!informers.listerFor(R.persistentvolumeclaims).get(NS, 'static'), 'claim in the informer');
    const pod = await createPod('db', 'static');
    const { status, verdicts } = await schedule(pod, 'node-a');
    assert.deepEqual(verdicts.map((v) => v.reasons), [[], ["node(s) didn't find available persistent volumes to bind"]]);
    assert.equal(status.code, 'Success', status.message());
    const pv = await phaseOf(R.persistentvolumes, '', 'local-a', 'Bound');
    assert.equal(((pv.spec as Obj).claimRef as Obj).name, 'static');
    await phaseOf(R.persistentvolumeclaims, NS, 'static', 'Bound');
  });
});
