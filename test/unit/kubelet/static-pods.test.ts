/**
 * Static pods and their mirror pods against upstream pkg/kubelet/config/common.go applyDefaults (name
 * "<name>-<node>", a uid hashed from the manifest and the node, config.hash / config.source / config.seen, nodeName,
 * the NoExecute toleration) and pkg/kubelet/pod/mirror_client.go (config.mirror = the hash, owned by the Node as
 * controller), and IsMirrorPodOf for mirrorIsCurrent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepCopy } from '../../../src/api/object';
import { CONFIG_HASH, CONFIG_MIRROR, CONFIG_SEEN, CONFIG_SOURCE, isMirrorPod, mirrorIsCurrent, mirrorPod, staticPod } from '../../../src/kubelet/static-pods';

type Obj = Record<string, unknown>;
const SEEN = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
const manifest = (): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'etcd', namespace: 'kube-system', labels: { component: 'etcd', tier: 'control-plane' }, annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': 'https://10.0.0.1:2379' } },
  spec: { priorityClassName: 'system-node-critical', hostNetwork: true, containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.5.16-0', command: ['etcd'] }] },
});
const md = (p: Obj) => p.metadata as { name: string; namespace: string; uid?: string; annotations: Record<string, string>; labels?: Record<string, string>; ownerReferences?: Obj[]; deletionTimestamp?: string };

describe('staticPod (applyDefaults)', () => {
  it('name "<name>-<node>", namespace kept, spec.nodeName, kind and apiVersion', () => {
    const p = staticPod(manifest(), 'master', SEEN);
    assert.equal(md(p).name, 'etcd-master');
    assert.equal(md(p).namespace, 'kube-system');
    assert.equal((p.spec as Obj).nodeName, 'master');
    assert.equal(p.kind, 'Pod');
    assert.equal(p.apiVersion, 'v1');
    assert.deepEqual(md(p).labels, { component: 'etcd', tier: 'control-plane' });
    assert.equal((p.spec as Obj).hostNetwork, true);
  });

  it('a manifest without a namespace lands in "default"', () => {
    const m = manifest();
    delete (m.metadata as Obj).namespace;
    assert.equal(md(staticPod(m, 'master', SEEN)).namespace, 'default');
  });

  it('uid: an md5 hex of the manifest and the node — stable across restarts, different per node and per manifest', () => {
    const a = md(staticPod(manifest(), 'master', SEEN)).uid!;
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.equal(md(staticPod(manifest(), 'master', SEEN + 60_000)).uid, a, 'the time seen does not change it');
    assert.notEqual(md(staticPod(manifest(), 'worker-1', SEEN)).uid, a);
    const changed = manifest();
    ((changed.spec as Obj).containers as Obj[])[0].image = 'registry.k8s.io/etcd:3.5.17-0';
    assert.notEqual(md(staticPod(changed, 'master', SEEN)).uid, a);
  });

  it('annotations: config.hash = the uid, config.source "file", config.seen; the manifest\'s own annotations kept', () => {
    const p = staticPod(manifest(), 'master', SEEN);
    const a = md(p).annotations;
    assert.equal(a[CONFIG_HASH], md(p).uid);
    assert.equal(a[CONFIG_SOURCE], 'file');
    assert.ok(a[CONFIG_SEEN]?.startsWith('2026-01-01T12:00:00.123'));
    assert.equal(a['kubeadm.kubernetes.io/etcd.advertise-client-urls'], 'https://10.0.0.1:2379');
    assert.deepEqual([CONFIG_HASH, CONFIG_MIRROR, CONFIG_SOURCE, CONFIG_SEEN], ['kubernetes.io/config.hash', 'kubernetes.io/config.mirror', 'kubernetes.io/config.source', 'kubernetes.io/config.seen']);
    assert.equal(isMirrorPod(p), false, 'the static pod itself is not a mirror');
  });

  it('config.seen is Go\'s RFC3339Nano (trailing zeros of the fraction dropped)', () => {
    assert.equal(md(staticPod(manifest(), 'master', SEEN)).annotations[CONFIG_SEEN], '2026-01-01T12:00:00.123Z');
    assert.equal(md(staticPod(manifest(), 'master', Date.UTC(2026, 0, 1))).annotations[CONFIG_SEEN], '2026-01-01T00:00:00Z');
  });

  it('a uid written in the manifest is kept (applyDefaults hashes only when it is empty)', () => {
    const m = manifest();
    (m.metadata as Obj).uid = 'fixed-uid';
    const p = staticPod(m, 'master', SEEN);
    assert.equal(md(p).uid, 'fixed-uid');
    assert.equal(md(p).annotations[CONFIG_HASH], 'fixed-uid');
  });

  it('static pods from files tolerate every NoExecute taint (operator Exists)', () => {
    const p = staticPod(manifest(), 'master', SEEN);
    assert.deepEqual((p.spec as Obj).tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
  });

  it('the manifest is not changed', () => {
    const m = manifest();
    const before = deepCopy(m);
    staticPod(m, 'master', SEEN);
    assert.deepEqual(m, before);
  });
});

describe('mirrorPod (CreateMirrorPod)', () => {
  const NODE = { name: 'master', uid: 'node-uid-1' };

  it('the static pod with config.mirror = its hash, owned by the Node (controller), without uid or status', () => {
    const sp = staticPod(manifest(), 'master', SEEN);
    const m = mirrorPod({ ...sp, status: { phase: 'Pending' } }, NODE);
    assert.equal(md(m).name, 'etcd-master');
    assert.equal(md(m).namespace, 'kube-system');
    assert.equal(md(m).uid, undefined);
    assert.equal(m.status, undefined);
    assert.equal(md(m).annotations[CONFIG_MIRROR], md(sp).uid);
    assert.equal(md(m).annotations[CONFIG_HASH], md(sp).uid);
    assert.equal(md(m).annotations[CONFIG_SOURCE], 'file');
    assert.deepEqual(md(m).ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'master', uid: 'node-uid-1', controller: true }]);
    assert.deepEqual(m.spec, sp.spec);
    assert.equal(isMirrorPod(m), true);
  });

  it('the static pod is not changed', () => {
    const sp = staticPod(manifest(), 'master', SEEN);
    const before = deepCopy(sp);
    mirrorPod(sp, NODE);
    assert.deepEqual(sp, before);
  });

  it('isMirrorPod: the annotation\'s presence decides, whatever its value', () => {
    assert.equal(isMirrorPod({ metadata: { annotations: { [CONFIG_MIRROR]: '' } } }), true);
    assert.equal(isMirrorPod({ metadata: { annotations: {} } }), false);
    assert.equal(isMirrorPod({ metadata: {} }), false);
    assert.equal(isMirrorPod({}), false);
  });
});

describe('mirrorIsCurrent (IsMirrorPodOf, and not being deleted)', () => {
  const sp = staticPod(manifest(), 'master', SEEN);
  const mirror = () => mirrorPod(sp, { name: 'master', uid: 'n1' });

  it('a fresh mirror is current', () => assert.equal(mirrorIsCurrent(mirror(), sp), true));

  it('a mirror being deleted is not', () => {
    const m = mirror();
    md(m).deletionTimestamp = '2026-01-01T12:01:00Z';
    assert.equal(mirrorIsCurrent(m, sp), false);
  });

  it('a mirror of an older manifest (another hash) is not', () => {
    const changed = manifest();
    ((changed.spec as Obj).containers as Obj[])[0].image = 'registry.k8s.io/etcd:3.5.17-0';
    assert.equal(mirrorIsCurrent(mirror(), staticPod(changed, 'master', SEEN)), false);
  });

  it('a pod without the mirror annotation is not', () => {
    const m = mirror();
    delete md(m).annotations[CONFIG_MIRROR];
    assert.equal(mirrorIsCurrent(m, sp), false);
  });
});
