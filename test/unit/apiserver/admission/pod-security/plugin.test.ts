import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredObject } from '../../../../../src/api/object';
import { isStatusError, type StatusError } from '../../../../../src/api/status';
import { createPodSecurityPlugin } from '../../../../../src/apiserver/admission/pod-security';
import { attrs, context, FakeReader, namespace, pod, thrown } from '../fixtures';

const RESTRICTED_SPEC = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'web', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
const PLAIN_SPEC = { containers: [{ name: 'web', image: 'nginx' }] };
const RESTRICTED_VIOLATIONS =
  'allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

function setup(labels: Record<string, string>, ns = 'team'): { reader: FakeReader; ctx: ReturnType<typeof context> } {
  const reader = new FakeReader().add('', 'namespaces', namespace(ns, labels));
  return { reader, ctx: context(reader) };
}

const plugin = createPodSecurityPlugin();

describe('PodSecurity on pods', () => {
  it('enforce: rejects a violating pod with upstream wording', async () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const a = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'team') });
    assert.ok(plugin.handles(a));
    const err = (await thrown(() => plugin.validate(a, ctx))) as StatusError;
    assert.ok(isStatusError(err));
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.equal(err.message, `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_VIOLATIONS}`);
    assert.deepEqual(err.status.details, { name: 'x', kind: 'pods' });
    assert.equal(a.auditAnnotations['pod-security.kubernetes.io/enforce-policy'], 'restricted:latest');
    assert.deepEqual(a.warnings, []);
  });

  it('a restricted-compliant pod passes every level without warnings', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
    const a = attrs({ resource: 'pods', object: pod('x', RESTRICTED_SPEC, {}, 'team') });
    plugin.validate(a, ctx);
    assert.deepEqual(a.warnings, []);
    assert.equal(a.auditAnnotations['pod-security.kubernetes.io/audit-violations'], undefined);
  });

  it('warn: adds a warning and admits', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/warn': 'restricted' });
    const a = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'team') });
    plugin.validate(a, ctx);
    assert.deepEqual(a.warnings, [`would violate PodSecurity "restricted:latest": ${RESTRICTED_VIOLATIONS}`]);
    assert.equal(a.auditAnnotations['pod-security.kubernetes.io/enforce-policy'], 'privileged:latest');
  });

  it('audit: records the violation as an audit annotation', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/audit-version': 'v1.29' });
    const a = attrs({ resource: 'pods', object: pod('x', { hostNetwork: true, containers: [{ name: 'web', image: 'nginx' }] }, {}, 'team') });
    plugin.validate(a, ctx);
    assert.equal(a.auditAnnotations['pod-security.kubernetes.io/audit-violations'], 'would violate PodSecurity "baseline:v1.29": host namespaces (hostNetwork=true)');
    assert.deepEqual(a.warnings, []);
  });

  it('a denied request gets no warnings; enforce baseline + warn restricted warns when baseline passes', async () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' };
    const { ctx } = setup(labels);
    const ok = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'team') });
    plugin.validate(ok, ctx);
    assert.deepEqual(ok.warnings, [`would violate PodSecurity "restricted:latest": ${RESTRICTED_VIOLATIONS}`]);
    const bad = attrs({ resource: 'pods', object: pod('y', { hostPID: true, containers: [{ name: 'web', image: 'nginx' }] }, {}, 'team') });
    const err = (await thrown(() => plugin.validate(bad, ctx))) as StatusError;
    assert.equal(err.message, 'pods "y" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostPID=true)');
    assert.deepEqual(bad.warnings, []);
  });

  it('an explicit version selects that version’s checks and is printed', async () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.22' });
    const spec = { ...RESTRICTED_SPEC, securityContext: { ...RESTRICTED_SPEC.securityContext, runAsUser: 0 } };
    plugin.validate(attrs({ resource: 'pods', object: pod('x', spec, {}, 'team') }), ctx); // runAsUser is a 1.23 check
    const latest = setup({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.40' });
    const err = (await thrown(() => plugin.validate(attrs({ resource: 'pods', object: pod('x', spec, {}, 'team') }), latest.ctx))) as StatusError;
    assert.equal(err.message, 'pods "x" is forbidden: violates PodSecurity "restricted:v1.40": runAsUser=0 (pod must not set runAsUser=0)');
  });

  it('updates are only evaluated when images, containers or seccomp annotations change', async () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const old = pod('x', PLAIN_SPEC, {}, 'team');
    const relabeled = pod('x', PLAIN_SPEC, { labels: { a: 'b' } }, 'team');
    plugin.validate(attrs({ operation: 'UPDATE', resource: 'pods', object: relabeled, oldObject: old }), ctx);
    const newImage = pod('x', { containers: [{ name: 'web', image: 'nginx:2' }] }, {}, 'team');
    const err = (await thrown(() => plugin.validate(attrs({ operation: 'UPDATE', resource: 'pods', object: newImage, oldObject: old }), ctx))) as StatusError;
    assert.equal(err.code, 403);
    const ephemeral = pod('x', { ...PLAIN_SPEC, ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }, {}, 'team');
    const e2 = (await thrown(() =>
      plugin.validate(attrs({ operation: 'UPDATE', resource: 'pods', subresource: 'ephemeralcontainers', object: ephemeral, oldObject: old }), ctx),
    )) as StatusError;
    assert.match(e2.message, /containers "web", "dbg" must set securityContext.allowPrivilegeEscalation=false/);
  });

  it('ignores status, binding and eviction subresources', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    for (const subresource of ['status', 'binding', 'eviction']) {
      plugin.validate(attrs({ operation: subresource === 'status' ? 'UPDATE' : 'CREATE', resource: 'pods', subresource, object: pod('x', PLAIN_SPEC, {}, 'team') }), ctx);
    }
  });

  it('exemptions by namespace, user and runtime class', () => {
    const exempting = createPodSecurityPlugin({ exemptions: { namespaces: ['team'], usernames: ['ci'], runtimeClasses: ['kata'] } });
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const byNs = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'team') });
    exempting.validate(byNs, ctx);
    assert.equal(byNs.auditAnnotations['pod-security.kubernetes.io/exempt'], 'namespace');
    const other = setup({ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'other');
    const byUser = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'other'), user: { name: 'ci', groups: [] } });
    exempting.validate(byUser, other.ctx);
    assert.equal(byUser.auditAnnotations['pod-security.kubernetes.io/exempt'], 'user');
    const byRc = attrs({ resource: 'pods', object: pod('x', { ...PLAIN_SPEC, runtimeClassName: 'kata' }, {}, 'other') });
    exempting.validate(byRc, other.ctx);
    assert.equal(byRc.auditAnnotations['pod-security.kubernetes.io/exempt'], 'runtimeClass');
  });

  it('defaults apply to unlabeled namespaces', async () => {
    const strict = createPodSecurityPlugin({ defaults: { enforce: 'baseline', warn: 'restricted', warnVersion: 'v1.30' } });
    const { ctx } = setup({});
    const a = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'team') });
    strict.validate(a, ctx);
    assert.equal(a.warnings[0], `would violate PodSecurity "restricted:v1.30": ${RESTRICTED_VIOLATIONS}`);
    assert.throws(() => createPodSecurityPlugin({ defaults: { enforce: 'strict' } }), /must be one of privileged, baseline, restricted/);
  });

  it('an invalid enforce label fails closed (restricted), invalid warn/audit labels fail open', async () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'bogus', 'pod-security.kubernetes.io/warn': 'bogus' });
    const a = attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'team') });
    const err = (await thrown(() => plugin.validate(a, ctx))) as StatusError;
    assert.equal(err.message, `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_VIOLATIONS}`);
    assert.equal(
      a.auditAnnotations['pod-security.kubernetes.io/error'],
      'Failed to parse policy: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted, ' +
        'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "bogus": must be one of privileged, baseline, restricted]',
    );
  });

  it('a missing namespace is an internal error', async () => {
    const err = (await thrown(() => plugin.validate(attrs({ resource: 'pods', object: pod('x', PLAIN_SPEC, {}, 'nope') }), context(new FakeReader())))) as StatusError;
    assert.equal(err.code, 500);
    assert.equal(err.message, 'Internal error occurred: failed to lookup namespace nope');
  });
});

function deployment(spec: Record<string, unknown>): StoredObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team' }, spec: { replicas: 1, template: { metadata: { labels: { app: 'web' } }, spec } } };
}

describe('PodSecurity on workload templates', () => {
  it('warns and audits but never enforces', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'baseline' });
    const a = attrs({ resource: 'apps/deployments', object: deployment({ hostIPC: true, containers: [{ name: 'web', image: 'nginx' }] }) });
    assert.ok(plugin.handles(a));
    plugin.validate(a, ctx);
    assert.deepEqual(a.warnings, [`would violate PodSecurity "restricted:latest": host namespaces (hostIPC=true), ${RESTRICTED_VIOLATIONS}`]);
    assert.equal(a.auditAnnotations['pod-security.kubernetes.io/audit-violations'], 'would violate PodSecurity "baseline:latest": host namespaces (hostIPC=true)');
    assert.equal(a.auditAnnotations['pod-security.kubernetes.io/enforce-policy'], undefined);
  });

  it('enforce-only namespaces do not look at templates', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const a = attrs({ resource: 'apps/deployments', object: deployment(PLAIN_SPEC) });
    plugin.validate(a, ctx);
    assert.deepEqual(a.warnings, []);
  });

  it('finds the template of every workload kind', () => {
    const { ctx } = setup({ 'pod-security.kubernetes.io/warn': 'baseline' });
    const spec = { hostNetwork: true, containers: [{ name: 'c', image: 'i' }] };
    const template = { spec };
    const objects: [string, StoredObject][] = [
      ['apps/replicasets', { metadata: { name: 'o', namespace: 'team' }, spec: { template } }],
      ['apps/statefulsets', { metadata: { name: 'o', namespace: 'team' }, spec: { template } }],
      ['apps/daemonsets', { metadata: { name: 'o', namespace: 'team' }, spec: { template } }],
      ['batch/jobs', { metadata: { name: 'o', namespace: 'team' }, spec: { template } }],
      ['batch/cronjobs', { metadata: { name: 'o', namespace: 'team' }, spec: { jobTemplate: { spec: { template } } } }],
      ['replicationcontrollers', { metadata: { name: 'o', namespace: 'team' }, spec: { template } }],
      ['podtemplates', { metadata: { name: 'o', namespace: 'team' }, template }],
    ];
    for (const [resource, object] of objects) {
      const a = attrs({ resource, object });
      assert.ok(plugin.handles(a), resource);
      plugin.validate(a, ctx);
      assert.deepEqual(a.warnings, ['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)'], resource);
    }
    const noTemplate = attrs({ resource: 'replicationcontrollers', object: { metadata: { name: 'o', namespace: 'team' }, spec: {} } });
    plugin.validate(noTemplate, ctx);
    assert.deepEqual(noTemplate.warnings, []);
    assert.equal(plugin.handles(attrs({ resource: 'services', object: { metadata: { name: 's', namespace: 'team' } } })), false);
  });
});
