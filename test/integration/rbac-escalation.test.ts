/**
 * RBAC escalation prevention end to end: a namespace admin (RoleBinding to `admin`) may create Roles and
 * RoleBindings within what they hold, is refused with upstream's exact 403 text beyond it, may go beyond with the
 * `escalate` / `bind` verbs, cannot set an aggregationRule, and the garbage collector's metadata-only updates pass.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InProcessTransport } from '../../src/client/in-process';
import { ApiClient, ApiError, R } from '../../src/controllers/framework';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { waitFor } from '../helpers/wait';

const RBAC = 'rbac.authorization.k8s.io';
const roles = { group: RBAC, version: 'v1', resource: 'roles' };
const rolebindings = { group: RBAC, version: 'v1', resource: 'rolebindings' };
const clusterroles = { group: RBAC, version: 'v1', resource: 'clusterroles' };
const clusterrolebindings = { group: RBAC, version: 'v1', resource: 'clusterrolebindings' };

describe('RBAC escalation prevention', () => {
  let tc: TestCluster;
  let admin: ApiClient;
  let dev: ApiClient;
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
    dev = new ApiClient(new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: { name: 'dev-user', groups: ['dev', 'system:authenticated'] } }));
    await admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await admin.create(rolebindings, 'team', {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'dev-admin' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'dev-user' }],
    });
  });
  after(async () => tc.stop());

  /** Waits until dev-user may (or may not) do this: RBAC reads bindings from the watch cache, which lags writes. */
  const can = (verb: string, resource: string, namespace: string, name = '', want = true) =>
    waitFor(async () => {
      const review = await dev.create({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews' }, '', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb, group: RBAC, resource, namespace, name } },
      });
      return (review.status as { allowed?: boolean }).allowed === want;
    }, `dev-user ${want ? 'may' : 'may not'} ${verb} ${resource}`, { timeoutMs: 5000 });

  const role = (name: string, rules: unknown[]) => ({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name }, rules });
  const binding = (name: string, kind: string, roleName: string) => ({
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind, name: roleName },
    subjects: [{ kind: 'User', apiGroup: RBAC, name: 'someone' }],
  });
  const refused = async (p: Promise<unknown>): Promise<ApiError> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
    assert.fail('the write was allowed');
  };

  it('allows a Role within what the user holds, and a RoleBinding to it', async () => {
    await can('create', 'roles', 'team');
    await dev.create(roles, 'team', role('pod-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }]));
    await dev.create(rolebindings, 'team', binding('read-pods', 'Role', 'pod-reader'));
    await dev.create(rolebindings, 'team', binding('viewers', 'ClusterRole', 'view'));
  });

  it('refuses a Role granting more, with the missing rules listed as upstream lists them', async () => {
    const e = await refused(
      dev.create(roles, 'team', role('too-much', [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: ['example.com'], resources: ['widgets'], resourceNames: ['w1'], verbs: ['delete'] },
      ])),
    );
    assert.equal(e.code, 403);
    assert.equal(
      e.message,
      'roles.rbac.authorization.k8s.io "too-much" is forbidden: user "dev-user" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}\n' +
        '{APIGroups:["example.com"], Resources:["widgets"], ResourceNames:["w1"], Verbs:["delete"]}',
    );
    await assert.rejects(admin.get(roles, 'team', 'too-much'), (x: ApiError) => x.code === 404);
  });

  it('refuses binding cluster-admin, and allows it with the bind verb on that role', async () => {
    const e = await refused(dev.create(rolebindings, 'team', binding('root', 'ClusterRole', 'cluster-admin')));
    assert.equal(
      e.message,
      'rolebindings.rbac.authorization.k8s.io "root" is forbidden: user "dev-user" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}',
    );
    const missing = await refused(dev.create(rolebindings, 'team', binding('ghost', 'Role', 'no-such-role')));
    assert.equal(missing.code, 404);
    assert.equal(missing.message, 'roles.rbac.authorization.k8s.io "no-such-role" not found');
    await admin.create(clusterroles, '', {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'may-bind-cluster-admin' },
      rules: [{ apiGroups: [RBAC], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }],
    });
    await admin.create(rolebindings, 'team', { ...binding('dev-binder', 'ClusterRole', 'may-bind-cluster-admin'), subjects: [{ kind: 'User', apiGroup: RBAC, name: 'dev-user' }] });
    await can('bind', 'clusterroles', 'team', 'cluster-admin');
    await dev.create(rolebindings, 'team', binding('root', 'ClusterRole', 'cluster-admin'));
    // Still no ClusterRoleBinding: dev-user may not even create those.
    const crb = await refused(dev.create(clusterrolebindings, '', { ...binding('root', 'ClusterRole', 'cluster-admin'), kind: 'ClusterRoleBinding' }));
    assert.equal(crb.code, 403);
  });

  it('allows more with the escalate verb', async () => {
    await admin.create(rolebindings, 'team', {
      ...binding('dev-escalate', 'Role', 'escalator'),
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'dev-user' }],
    }).catch(() => undefined);
    await admin.create(roles, 'team', role('escalator', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['escalate'] }]));
    await can('escalate', 'roles', 'team', 'big');
    await dev.create(roles, 'team', role('big', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]));
  });

  it('lets metadata-only updates through and checks rule changes on update', async () => {
    await admin.delete(rolebindings, 'team', 'dev-escalate');
    await can('escalate', 'roles', 'team', 'big', false);
    const r = await admin.get(roles, 'team', 'big');
    // Without escalate, upstream re-checks the rules on every update except GC-field-only ones, and dev-user does not
    // hold `*`: the finalizer change passes, a label change is refused.
    await dev.patch(roles, 'team', 'big', { metadata: { finalizers: ['example.com/keep'] } });
    const e = await refused(dev.patch(roles, 'team', 'big', { metadata: { labels: { a: 'b' } } }));
    assert.equal(e.code, 403);
    assert.ok(r.metadata?.name);
    await admin.patch(roles, 'team', 'big', { metadata: { finalizers: null } });
  });

  it('requires full authority for an aggregationRule', async () => {
    await admin.create(clusterrolebindings, '', {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'dev-clusterroles' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cr-writer' },
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'dev-user' }],
    });
    await admin.create(clusterroles, '', {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'cr-writer' },
      rules: [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['create', 'get'] }],
    });
    await can('create', 'clusterroles', '');
    const e = await refused(
      dev.create(clusterroles, '', {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name: 'gatherer' },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { gather: 'true' } }] },
      }),
    );
    assert.equal(e.message, 'clusterroles.rbac.authorization.k8s.io "gatherer" is forbidden: must have cluster-admin privileges to use the aggregationRule');
  });
});
