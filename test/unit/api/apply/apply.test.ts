/**
 * applyPatch as kube-apiserver answers `kubectl apply --server-side` and client-node's force apply (adapted from
 * apimachinery's managedfields fieldmanager_test.go): create via apply, conflicts worded exactly as upstream, force,
 * pruning on re-apply, list merging, before-first-apply, rejected bodies, no-op applies, kubectl's last-applied
 * hand-over and subresources.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch, updateManagedFields, type ApplyOptions } from '../../../../src/api/apply';
import type { KubeObject } from '../../../../src/api/object';
import { isStatusError, type Status } from '../../../../src/api/status';
import { deployment, deploymentSchema, resolver, T0, T1, T2 } from './fixtures';

const base = { schema: deploymentSchema, resolver, apiVersion: 'apps/v1' };
const apply = (live: KubeObject | undefined, cfg: KubeObject, manager: string, now: string, extra: Partial<ApplyOptions> = {}) =>
  withUid(applyPatch(live, cfg, { ...base, manager, force: false, now, ...extra }));
const update = (live: KubeObject | undefined, next: KubeObject, manager: string, now: string) =>
  withUid(updateManagedFields(live, next, { ...base, manager, operation: 'Update', now }));
function withUid(o: KubeObject): KubeObject {
  o.metadata!.uid ??= 'uid-1';
  return o;
}
const spec = (image = 'nginx:1.25', replicas = 2) => ({
  replicas,
  selector: { matchLabels: { app: 'web' } },
  template: {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }] },
  },
});
function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('applyPatch: create via apply', () => {
  it('creates the object with one Apply entry owning what the configuration sets', () => {
    const out = apply(undefined, deployment(spec(), { labels: { app: 'web' } }), 'kubectl', T0);
    assert.deepEqual(out.spec, spec());
    assert.deepEqual(out.metadata!.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('rejects a body that sets metadata.managedFields', () => {
    const cfg = deployment(spec(), { managedFields: [{ manager: 'test' }] });
    assert.deepEqual(statusOf(() => apply(undefined, cfg, 'kubectl', T0)), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'metadata.managedFields must be nil', reason: 'BadRequest', code: 400,
    });
  });

  it('rejects a body of another version or kind', () => {
    const s1 = statusOf(() => apply(undefined, { ...deployment(spec()), apiVersion: 'apps/v1beta1' }, 'kubectl', T0));
    assert.equal(s1.code, 400);
    assert.equal(s1.message, 'invalid object type: apps/v1beta1, Kind=Deployment');
    assert.equal(statusOf(() => apply(undefined, { ...deployment(spec()), kind: 'ReplicaSet' }, 'kubectl', T0)).message, 'invalid object type: apps/v1, Kind=ReplicaSet');
    assert.equal(statusOf(() => apply(undefined, { metadata: { name: 'x' } }, 'kubectl', T0)).message, 'invalid object type: /, Kind=');
  });

  it('a body that does not fit the schema is a 500 without reason, worded as upstream', () => {
    const s = statusOf(() => apply(undefined, deployment({ replicaz: 3, replicas: 'two' }), 'kubectl', T0));
    assert.equal(s.code, 500);
    assert.equal(s.reason, undefined);
    assert.equal(
      s.message,
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): errors:\n' +
        '  .spec.replicaz: field not declared in schema\n' +
        '  .spec.replicas: expected numeric (int or float), got string',
    );
  });
});

describe('applyPatch: conflicts and force', () => {
  const created = () => update(undefined, deployment(spec()), 'kubectl-client-side-apply', T0);

  it('a field another manager owns with a different value is a 409 worded exactly as upstream', () => {
    const s = statusOf(() => apply(created(), deployment({ replicas: 5 }), 'kubectl', T1));
    assert.deepEqual(s, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
  });

  it('several conflicts: plural form, grouped by manager', () => {
    let live = created();
    live = update(live, { ...live, metadata: { ...live.metadata, labels: { team: 'a' } } }, 'kubectl-edit', T1);
    const s = statusOf(() => apply(live, deployment({ replicas: 5, template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } }, { labels: { team: 'b' } }), 'kubectl', T2));
    assert.equal(
      s.message,
      'Apply failed with 3 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="nginx"].image\n' +
        'conflicts with "kubectl-edit" using apps/v1:\n' +
        '- .metadata.labels.team',
    );
    assert.deepEqual(
      s.details?.causes?.map((c) => c.field),
      ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image', '.metadata.labels.team'],
    );
  });

  it('the same value is no conflict: ownership is shared', () => {
    const out = apply(created(), deployment({ replicas: 2 }), 'kubectl', T1);
    assert.deepEqual(out.metadata!.managedFields!.map((e) => e.manager), ['kubectl', 'kubectl-client-side-apply']);
    assert.deepEqual(out.metadata!.managedFields![0]!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.ok('f:replicas' in (out.metadata!.managedFields![1]!.fieldsV1 as { 'f:spec': object })['f:spec']);
  });

  it('force takes the field and removes it from the other manager', () => {
    const out = apply(created(), deployment({ replicas: 5 }), 'my-mgr', T1, { force: true });
    assert.equal((out.spec as { replicas: number }).replicas, 5);
    const [mine, theirs] = out.metadata!.managedFields!;
    assert.deepEqual(mine, { manager: 'my-mgr', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    assert.equal(theirs!.time, T0, 'losing a field does not move the other manager’s time');
    assert.ok(!('f:replicas' in (theirs!.fieldsV1 as { 'f:spec': object })['f:spec']));
  });

  it('an applier conflicts with the edit that changed its field afterwards', () => {
    let live = apply(undefined, deployment(spec()), 'kubectl', T0);
    live = update(live, { ...live, spec: { ...spec(), replicas: 7 } }, 'kubectl-edit', T1);
    assert.match(statusOf(() => apply(live, deployment(spec()), 'kubectl', T2)).message!, /conflict with "kubectl-edit" using apps\/v1: \.spec\.replicas$/);
  });
});

describe('applyPatch: re-apply removes what the applier dropped', () => {
  it('removes fields and list items no one else owns; keeps those someone else owns', () => {
    const first = deployment({ ...spec(), minReadySeconds: 5 }, { labels: { app: 'web', tier: 'fe' } });
    let live = apply(undefined, first, 'kubectl', T0);
    live = apply(live, deployment({ minReadySeconds: 5 }), 'other', T1);
    live = apply(live, deployment(spec(), { labels: { app: 'web' } }), 'kubectl', T2);
    assert.deepEqual(live.metadata!.labels, { app: 'web' });
    assert.equal((live.spec as { minReadySeconds?: number }).minReadySeconds, 5, 'still owned by "other"');
    live = apply(live, deployment({}), 'other', T2);
    assert.equal((live.spec as { minReadySeconds?: number }).minReadySeconds, undefined);
  });

  it('merges containers by name and removes only the applier’s own container', () => {
    let live = apply(undefined, deployment(spec()), 'kubectl', T0);
    const sidecar = { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } };
    live = apply(live, deployment(sidecar), 'injector', T1);
    assert.deepEqual(
      (live.spec as ReturnType<typeof spec>).template.spec.containers.map((c) => c.name),
      ['nginx', 'sidecar'],
    );
    const noNginx = { ...spec(), template: { ...spec().template, spec: { containers: [{ name: 'app', image: 'app:1' }] } } };
    live = apply(live, deployment(noNginx), 'kubectl', T2);
    assert.deepEqual(
      (live.spec as ReturnType<typeof spec>).template.spec.containers.map((c) => c.name),
      ['sidecar', 'app'],
    );
  });
});

describe('applyPatch: managed fields bookkeeping', () => {
  it('an object created without managed fields gets a before-first-apply entry', () => {
    const legacy = { ...deployment(spec()), metadata: { name: 'web', namespace: 'default', uid: 'u' } };
    const s = statusOf(() => apply(legacy, deployment({ replicas: 9 }), 'kubectl', T1));
    assert.equal(s.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const out = apply(legacy, deployment({ replicas: 2 }), 'kubectl', T1);
    assert.deepEqual(out.metadata!.managedFields!.map((e) => [e.manager, e.operation, e.time]), [
      ['kubectl', 'Apply', undefined],
      ['before-first-apply', 'Update', T1],
    ]);
  });

  it('re-applying the same configuration changes nothing, not even times', () => {
    const cfg = deployment(spec(), { labels: { app: 'web' } });
    const once = apply(undefined, cfg, 'kubectl', T0);
    const twice = apply(once, cfg, 'kubectl', T2);
    assert.deepEqual(twice, once);
  });

  it('a new applier of identical values shares ownership without moving the object', () => {
    const once = apply(undefined, deployment(spec()), 'kubectl', T0);
    const out = apply(once, deployment({ replicas: 2 }), 'other', T1);
    assert.deepEqual({ ...out, metadata: { ...out.metadata, managedFields: undefined } }, { ...once, metadata: { ...once.metadata, managedFields: undefined } });
    // No time (the object did not change), which sorts first as time zero.
    assert.deepEqual(out.metadata!.managedFields!.map((e) => [e.manager, e.time]), [['other', undefined], ['kubectl', T0]]);
  });

  it('records the subresource and keeps it apart from the main resource', () => {
    const live = apply(undefined, deployment(spec()), 'ctl', T0);
    const out = apply(live, { ...deployment({}), status: { replicas: 2 } }, 'ctl', T1, { subresource: 'status' });
    assert.deepEqual(out.metadata!.managedFields!.map((e) => [e.manager, e.subresource]), [['ctl', undefined], ['ctl', 'status']]);
    assert.deepEqual(out.metadata!.managedFields![1]!.fieldsV1, { 'f:status': { 'f:replicas': {} } });
  });

  it('a live object with undecodable managedFields cannot be applied to (500)', () => {
    const live = { ...deployment(spec()), metadata: { name: 'web', uid: 'u', managedFields: [{ manager: 'x', operation: 'Apply', apiVersion: 'apps/v1' }] } };
    const s = statusOf(() => apply(live, deployment(spec()), 'kubectl', T1));
    assert.equal(s.code, 500);
    assert.equal(s.message, 'failed to decode managed fields: missing fieldsType in managed fields entry 0');
  });

  it('resetFields are never owned (the main resource resets status)', () => {
    const out = apply(undefined, { ...deployment({ replicas: 1 }), status: { replicas: 3 } }, 'kubectl', T0, { resetFields: [['status']] });
    assert.deepEqual(out.metadata!.managedFields![0]!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });
});

describe('applyPatch: kubectl takes over from client-side apply', () => {
  const lastApplied = (cfg: KubeObject) => JSON.stringify(cfg);
  function csaCreated(): KubeObject {
    const cfg = deployment(spec());
    const withAnn = deployment(spec(), { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(cfg) } });
    return update(undefined, withAnn, 'kubectl-client-side-apply', T0);
  }

  it('fields the last-applied annotation explains are not conflicts for the manager "kubectl"', () => {
    const out = apply(csaCreated(), deployment(spec('nginx:1.26', 3)), 'kubectl', T1);
    assert.equal((out.spec as { replicas: number }).replicas, 3);
    const ann = out.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration']!;
    assert.ok(ann.endsWith('\n') && ann.includes('"replicas":3') && ann.includes('nginx:1.26'));
    assert.ok(ann.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":'), 'sorted keys as Go encodes');
  });

  it('another manager name gets the conflict', () => {
    assert.equal(statusOf(() => apply(csaCreated(), deployment(spec('nginx:1.26', 3)), 'kubectl-ssa', T1)).code, 409);
  });

  it('a field changed since the client-side apply still conflicts', () => {
    let live = csaCreated();
    live = update(live, { ...live, spec: { ...spec(), replicas: 4 } }, 'kubectl-client-side-apply', T1);
    const s = statusOf(() => apply(live, deployment(spec('nginx:1.26', 3)), 'kubectl', T2));
    assert.equal(s.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });
});
