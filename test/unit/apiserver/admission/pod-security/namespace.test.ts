import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError, type StatusError } from '../../../../../src/api/status';
import { createPodSecurityPlugin } from '../../../../../src/apiserver/admission/pod-security';
import { attrs, context, FakeReader, namespace, pod, thrown } from '../fixtures';

const plugin = createPodSecurityPlugin();
const ENFORCE = 'pod-security.kubernetes.io/enforce';

function update(labels: Record<string, string>, oldLabels: Record<string, string>, name = 'team') {
  return attrs({ operation: 'UPDATE', resource: 'namespaces', namespace: name, name, object: namespace(name, labels), oldObject: namespace(name, oldLabels) });
}

const owned = (uid: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true }] });
const host = { hostNetwork: true, containers: [{ name: 'c', image: 'i' }] };
const privileged = { containers: [{ name: 'c', image: 'i', securityContext: { privileged: true } }] };
const fine = { containers: [{ name: 'c', image: 'i' }] };

function reader(): FakeReader {
  const r = new FakeReader().add('', 'namespaces', namespace('team'));
  r.add('', 'pods', pod('web-b', host, owned('rs1'), 'team'));
  r.add('', 'pods', pod('web-a', host, owned('rs1'), 'team'));
  r.add('', 'pods', pod('solo', host, {}, 'team'));
  r.add('', 'pods', pod('priv', privileged, {}, 'team'));
  r.add('', 'pods', pod('ok', fine, {}, 'team'));
  r.add('', 'pods', pod('elsewhere', host, {}, 'other'));
  return r;
}

describe('PodSecurity on namespaces', () => {
  it('rejects invalid labels on create (422)', async () => {
    const a = attrs({ resource: 'namespaces', namespace: 'team', name: 'team', object: namespace('team', { [ENFORCE]: 'strict', [`${ENFORCE}-version`]: '1.30' }) });
    const err = (await thrown(() => plugin.validate(a, context(new FakeReader())))) as StatusError;
    assert.ok(isStatusError(err));
    assert.equal(err.code, 422);
    assert.equal(
      err.message,
      'Namespace "team" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, ' +
        'metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "1.30": must be "latest" or "v1.x"]',
    );
    plugin.validate(attrs({ resource: 'namespaces', name: 'ok', object: namespace('ok', { [ENFORCE]: 'baseline', [`${ENFORCE}-version`]: 'v1.30' }) }), context(new FakeReader()));
  });

  it('tightening enforce warns about existing violating pods', () => {
    const a = update({ [ENFORCE]: 'baseline' }, {});
    plugin.validate(a, context(reader()));
    assert.deepEqual(a.warnings, [
      'existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest"',
      'priv: privileged',
      'solo (and 2 other pods): host namespaces',
    ]);
  });

  it('two pods with the same violation', () => {
    const r = new FakeReader().add('', 'namespaces', namespace('team'));
    r.add('', 'pods', pod('b', host, {}, 'team')).add('', 'pods', pod('a', host, {}, 'team'));
    const a = update({ [ENFORCE]: 'restricted' }, { [ENFORCE]: 'baseline' });
    plugin.validate(a, context(r));
    assert.equal(a.warnings.length, 2);
    assert.equal(a.warnings[0], 'existing pods in namespace "team" violate the new PodSecurity enforce level "restricted:latest"');
    assert.equal(
      a.warnings[1],
      'a (and 1 other pod): host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    );
  });

  it('checks at most the configured number of pods, first pods of each controller first', () => {
    const limited = createPodSecurityPlugin({ namespaceMaxPodsToCheck: 2 });
    const a = update({ [ENFORCE]: 'baseline' }, {});
    limited.validate(a, context(reader()));
    assert.deepEqual(a.warnings, [
      'new PodSecurity enforce level only checked against the first 2 of 5 existing pods',
      'existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest"',
      'solo (and 1 other pod): host namespaces',
    ]);
  });

  it('no dry run when enforce is unchanged, relaxed, privileged, or the namespace is exempt', () => {
    const cases = [
      update({ [ENFORCE]: 'baseline', other: 'x' }, { [ENFORCE]: 'baseline' }),
      update({ [ENFORCE]: 'baseline' }, { [ENFORCE]: 'restricted' }),
      update({ [ENFORCE]: 'privileged' }, { [ENFORCE]: 'baseline', [`${ENFORCE}-version`]: 'v1.20' }),
      update({}, {}),
    ];
    for (const a of cases) {
      plugin.validate(a, context(reader()));
      assert.deepEqual(a.warnings, []);
    }
    const exempt = update({ [ENFORCE]: 'restricted' }, {});
    createPodSecurityPlugin({ exemptions: { namespaces: ['team'] } }).validate(exempt, context(reader()));
    assert.deepEqual(exempt.warnings, []);
    assert.equal(exempt.auditAnnotations['pod-security.kubernetes.io/exempt'], 'namespace');
  });

  it('a version change at the same level is dry-run too', () => {
    const a = update({ [ENFORCE]: 'baseline', [`${ENFORCE}-version`]: 'latest' }, { [ENFORCE]: 'baseline', [`${ENFORCE}-version`]: 'v1.0' });
    plugin.validate(a, context(reader()));
    assert.equal(a.warnings.length, 3);
  });

  it('invalid labels on update: rejected only when they changed', async () => {
    plugin.validate(update({ [ENFORCE]: 'bogus', x: 'y' }, { [ENFORCE]: 'bogus' }), context(reader()));
    const err = (await thrown(() => plugin.validate(update({ [ENFORCE]: 'bogus2' }, { [ENFORCE]: 'bogus' }), context(reader())))) as StatusError;
    assert.equal(err.code, 422);
    assert.equal(err.message, 'Namespace "team" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus2": must be one of privileged, baseline, restricted');
  });
});
