import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredObject } from '../../../../src/api/object';
import type { StatusError } from '../../../../src/api/status';
import { createServiceAccountPlugin, TOKEN_MOUNT_PATH } from '../../../../src/apiserver/admission/service-account';
import { attrs, context, FakeReader, pod, thrown } from './fixtures';

const sa = (name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): StoredObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'default', ...meta },
  ...extra,
});

function setup(...accounts: StoredObject[]) {
  const reader = new FakeReader();
  for (const a of accounts) reader.add('', 'serviceaccounts', a);
  let sleeps = 0;
  const plugin = createServiceAccountPlugin({ generateName: (base) => `${base}abcde`, sleep: async () => void sleeps++ });
  return { reader, plugin, ctx: context(reader), sleeps: () => sleeps };
}

const KUBE_API_ACCESS = {
  name: 'kube-api-access-abcde',
  projected: {
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: 420,
  },
};
const MOUNT = { name: 'kube-api-access-abcde', readOnly: true, mountPath: TOKEN_MOUNT_PATH };

describe('ServiceAccount admission', () => {
  it('defaults the service account and mounts the projected token volume into every container', async () => {
    const { plugin, ctx } = setup(sa('default'));
    const p = pod('x', {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [
        { name: 'web', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        { name: 'own', image: 'nginx', volumeMounts: [{ name: 'mine', mountPath: TOKEN_MOUNT_PATH }] },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    });
    const a = attrs({ resource: 'pods', object: p });
    assert.ok(plugin.handles(a));
    await plugin.admit(a, ctx);
    const spec = p.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(spec.serviceAccountName, 'default');
    assert.deepEqual(spec.volumes, [{ name: 'data', emptyDir: {} }, KUBE_API_ACCESS]);
    assert.deepEqual(spec.initContainers[0].volumeMounts, [MOUNT]);
    assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'data', mountPath: '/data' }, MOUNT]);
    assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'mine', mountPath: TOKEN_MOUNT_PATH }]);
    assert.equal(spec.imagePullSecrets, undefined);
    await plugin.validate(a, ctx);
  });

  it('names the volume kube-api-access- plus 5 characters of the name generator alphabet by default', async () => {
    const reader = new FakeReader().add('', 'serviceaccounts', sa('default'));
    const p = pod('x', { containers: [{ name: 'web', image: 'nginx' }] });
    await createServiceAccountPlugin().admit(attrs({ resource: 'pods', object: p }), context(reader));
    const volumes = (p.spec as { volumes: { name: string }[] }).volumes;
    assert.match(volumes[0].name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('reuses an existing kube-api-access volume', async () => {
    const { plugin, ctx } = setup(sa('default'));
    const p = pod('x', { containers: [{ name: 'web', image: 'nginx' }], volumes: [{ name: 'kube-api-access-zzzzz', projected: { sources: [] } }] });
    await plugin.admit(attrs({ resource: 'pods', object: p }), ctx);
    const spec = p.spec as { volumes: unknown[]; containers: { volumeMounts: unknown[] }[] };
    assert.equal(spec.volumes.length, 1);
    assert.deepEqual(spec.containers[0].volumeMounts, [{ ...MOUNT, name: 'kube-api-access-zzzzz' }]);
  });

  it('automountServiceAccountToken: the pod wins over the service account', async () => {
    const { plugin, ctx } = setup(sa('default', { automountServiceAccountToken: false }), sa('builder'));
    const off = pod('a', { containers: [{ name: 'web', image: 'nginx' }] });
    await plugin.admit(attrs({ resource: 'pods', object: off }), ctx);
    assert.equal((off.spec as Record<string, unknown>).volumes, undefined);
    const on = pod('b', { automountServiceAccountToken: true, containers: [{ name: 'web', image: 'nginx' }] });
    await plugin.admit(attrs({ resource: 'pods', object: on }), ctx);
    assert.deepEqual((on.spec as Record<string, unknown>).volumes, [KUBE_API_ACCESS]);
    const podOff = pod('c', { serviceAccountName: 'builder', automountServiceAccountToken: false, containers: [{ name: 'web', image: 'nginx' }] });
    await plugin.admit(attrs({ resource: 'pods', object: podOff }), ctx);
    assert.equal((podOff.spec as Record<string, unknown>).volumes, undefined);
  });

  it('copies the service account imagePullSecrets when the pod has none', async () => {
    const { plugin, ctx } = setup(sa('default', { imagePullSecrets: [{ name: 'regcred' }] }));
    const p = pod('x', { automountServiceAccountToken: false, containers: [{ name: 'web', image: 'nginx' }] });
    await plugin.admit(attrs({ resource: 'pods', object: p }), ctx);
    assert.deepEqual((p.spec as Record<string, unknown>).imagePullSecrets, [{ name: 'regcred' }]);
  });

  it('rejects pods whose service account does not exist (the default one after retries)', async () => {
    const s = setup();
    const err = (await thrown(() => s.plugin.admit(attrs({ resource: 'pods', object: pod('x', { containers: [{ name: 'web', image: 'nginx' }] }) }), s.ctx))) as StatusError;
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "x" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
    assert.equal(s.sleeps(), 9);
    const named = setup();
    const err2 = (await thrown(() =>
      named.plugin.admit(attrs({ resource: 'pods', object: pod('x', { serviceAccountName: 'robot', containers: [{ name: 'web', image: 'nginx' }] }) }), named.ctx),
    )) as StatusError;
    assert.equal(err2.message, 'pods "x" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found');
    assert.equal(named.sleeps(), 0);
  });

  it('finds a default service account that appears while retrying', async () => {
    const reader = new FakeReader();
    const plugin = createServiceAccountPlugin({ generateName: (b) => `${b}abcde`, sleep: async () => void reader.add('', 'serviceaccounts', sa('default')) });
    const p = pod('x', { containers: [{ name: 'web', image: 'nginx' }] });
    await plugin.admit(attrs({ resource: 'pods', object: p }), context(reader));
    assert.equal((p.spec as Record<string, unknown>).serviceAccountName, 'default');
  });

  it('validate requires a service account name', async () => {
    const { plugin, ctx } = setup(sa('default'));
    const err = (await thrown(() => plugin.validate(attrs({ resource: 'pods', object: pod('x', { containers: [] }) }), ctx))) as StatusError;
    assert.equal(err.message, 'pods "x" is forbidden: no service account specified for pod default/x');
  });

  it('mirror pods are left alone but may not reference service accounts or secrets', async () => {
    const { plugin, ctx } = setup(sa('default'));
    const mirror = { annotations: { 'kubernetes.io/config.mirror': 'abc' } };
    const plain = pod('static-web', { containers: [{ name: 'web', image: 'nginx' }] }, mirror);
    await plugin.admit(attrs({ resource: 'pods', object: plain }), ctx);
    assert.deepEqual(plain.spec, { containers: [{ name: 'web', image: 'nginx' }] });
    const cases: [Record<string, unknown>, string][] = [
      [{ serviceAccountName: 'default', containers: [] }, 'a mirror pod may not reference service accounts'],
      [{ containers: [{ name: 'c', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }, 'a mirror pod may not reference secrets'],
      [{ containers: [], volumes: [{ name: 'v', secret: { secretName: 's' } }] }, 'a mirror pod may not reference secrets'],
      [{ containers: [], imagePullSecrets: [{ name: 'reg' }] }, 'a mirror pod may not reference secrets'],
      [{ containers: [], volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }] }, 'a mirror pod may not use ServiceAccountToken volume projections'],
    ];
    for (const [spec, message] of cases) {
      const err = (await thrown(() => plugin.admit(attrs({ resource: 'pods', object: pod('static-web', spec, mirror) }), ctx))) as StatusError;
      assert.equal(err.message, `pods "static-web" is forbidden: ${message}`);
    }
  });

  it('enforces mountable secrets when the service account asks for it', async () => {
    const enforcing = sa('default', { secrets: [{ name: 'allowed' }], imagePullSecrets: [{ name: 'reg' }] }, { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } });
    const { plugin, ctx } = setup(enforcing);
    const cases: [Record<string, unknown>, string][] = [
      [{ volumes: [{ name: 'v', secret: { secretName: 'other' } }], containers: [] }, 'volume with secret.secretName="other" is not allowed because service account default does not reference that secret'],
      [
        { initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'other' } }] }], containers: [] },
        'init container i with envFrom referencing secret.secretName="other" is not allowed because service account default does not reference that secret',
      ],
      [
        { containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }] }] },
        'container c with envVar E referencing secret.secretName="other" is not allowed because service account default does not reference that secret',
      ],
      [{ containers: [], imagePullSecrets: [{ name: 'reg' }, { name: 'x' }] }, 'imagePullSecrets[1].name="x" is not allowed because service account default does not reference that imagePullSecret'],
    ];
    for (const [spec, message] of cases) {
      const err = (await thrown(() => plugin.admit(attrs({ resource: 'pods', object: pod('x', { automountServiceAccountToken: false, ...spec }) }), ctx))) as StatusError;
      assert.equal(err.message, `pods "x" is forbidden: ${message}`);
    }
    await plugin.admit(attrs({ resource: 'pods', object: pod('ok', { volumes: [{ name: 'v', secret: { secretName: 'allowed' } }], containers: [] }) }), ctx);
  });

  it('checks secrets of ephemeral containers added to a pod', async () => {
    const enforcing = sa('default', { secrets: [{ name: 'allowed' }] }, { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } });
    const { plugin, ctx } = setup(enforcing);
    const old = pod('x', { serviceAccountName: 'default', containers: [{ name: 'web', image: 'nginx' }] });
    const next = pod('x', { ...(old.spec as object), ephemeralContainers: [{ name: 'dbg', image: 'busybox', envFrom: [{ secretRef: { name: 'other' } }] }] });
    const a = attrs({ operation: 'UPDATE', resource: 'pods', subresource: 'ephemeralcontainers', object: next, oldObject: old });
    assert.ok(plugin.handles(a));
    await plugin.admit(a, ctx); // admit never acts on updates
    const err = (await thrown(() => plugin.validate(a, ctx))) as StatusError;
    assert.equal(err.message, 'pods "x" is forbidden: ephemeral container dbg with envFrom referencing secret.secretName="other" is not allowed because service account default does not reference that secret');
  });

  it('only handles pods and their ephemeralcontainers subresource', () => {
    const { plugin } = setup();
    assert.equal(plugin.handles(attrs({ resource: 'pods', subresource: 'status', operation: 'UPDATE', object: pod('x', {}) })), false);
    assert.equal(plugin.handles(attrs({ resource: 'configmaps', object: { metadata: { name: 'c', namespace: 'default' } } })), false);
    assert.equal(plugin.handles(attrs({ resource: 'pods', operation: 'DELETE', name: 'x', namespace: 'default' })), false);
  });
});
