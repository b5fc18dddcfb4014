/** The admission chain (phase order, handles(), first error stops) and the plugin registry (upstream order, unknown names). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderAdmissionPlugins, runAdmission } from '../../../../src/apiserver/admission/chain';
import { AdmissionConfigError, defaultAdmissionOrder, resolveAdmissionPlugins } from '../../../../src/apiserver/admission/registry';
import { StatusError } from '../../../../src/api/status';
import type { AdmissionAttributes, MutatingPlugin, ValidatingPlugin } from '../../../../src/apiserver/admission/types';
import { attributes, context, FakeCluster, pod, rejection } from './fake-cluster';

function recorder(log: string[]) {
  const mutating = (name: string, handles = true, fail?: StatusError): MutatingPlugin => ({
    name,
    handles: () => handles,
    admit: async (attrs: AdmissionAttributes) => {
      log.push(`admit ${name}`);
      ((attrs.object!.metadata.labels ??= {}) as Record<string, string>)[name] = 'x';
      if (fail) throw fail;
    },
  });
  const validating = (name: string, handles = true): ValidatingPlugin => ({
    name,
    handles: () => handles,
    validate: (attrs: AdmissionAttributes) => void log.push(`validate ${name} sees ${Object.keys(attrs.object!.metadata.labels ?? {}).join('+')}`),
  });
  return { mutating, validating };
}

describe('runAdmission', () => {
  it('mutating in order, then validation, then validating; skips plugins that do not handle the request', async () => {
    const log: string[] = [];
    const r = recorder(log);
    const attrs = attributes('CREATE', '', 'pods', pod('p'));
    await runAdmission(
      { mutating: [r.mutating('A'), r.mutating('skip', false), r.mutating('B')], validating: [r.validating('V1'), r.validating('skipV', false), r.validating('V2')] },
      attrs,
      context(new FakeCluster()),
      () => void log.push('schema'),
    );
    assert.deepEqual(log, ['admit A', 'admit B', 'schema', 'validate V1 sees A+B', 'validate V2 sees A+B']);
  });

  it('the first rejection stops the chain and reaches the caller unchanged', async () => {
    const log: string[] = [];
    const r = recorder(log);
    const denied = StatusError.forbidden({ group: '', resource: 'pods' }, 'p', 'no');
    const err = await rejection(() =>
      runAdmission({ mutating: [r.mutating('A', true, denied), r.mutating('B')], validating: [r.validating('V')] }, attributes('CREATE', '', 'pods', pod('p')), context(new FakeCluster()), () => void log.push('schema')),
    );
    assert.equal(err, denied);
    assert.deepEqual(log, ['admit A']);
  });

  it('a validation failure skips the validating plugins', async () => {
    const log: string[] = [];
    const r = recorder(log);
    const invalid = StatusError.invalid('', 'Pod', 'p', []);
    const err = await rejection(() =>
      runAdmission({ mutating: [], validating: [r.validating('V')] }, attributes('CREATE', '', 'pods', pod('p')), context(new FakeCluster()), () => {
        throw invalid;
      }),
    );
    assert.equal(err, invalid);
    assert.deepEqual(log, []);
  });
});

describe('admission registry', () => {
  it('the default set runs in upstream order; LimitRanger and Priority are in both phases', () => {
    const plugins = resolveAdmissionPlugins();
    assert.deepEqual(
      plugins.mutating.map((p) => p.name),
      ['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'NodeRestriction', 'Priority', 'DefaultTolerationSeconds', 'DefaultStorageClass', 'DefaultIngressClass'],
    );
    assert.deepEqual(
      plugins.validating.map((p) => p.name),
      ['LimitRanger', 'ServiceAccount', 'PodSecurity', 'Priority', 'ResourceQuota'],
    );
    assert.equal(defaultAdmissionOrder.length, 10);
  });

  it('configured names run in upstream order whatever order they are given in', () => {
    const plugins = resolveAdmissionPlugins(['ResourceQuota', 'DefaultStorageClass', 'LimitRanger', 'LimitRanger']);
    assert.deepEqual(plugins.mutating.map((p) => p.name), ['LimitRanger', 'DefaultStorageClass']);
    assert.deepEqual(plugins.validating.map((p) => p.name), ['LimitRanger', 'ResourceQuota']);
  });

  it('unknown names are rejected with upstream wording', () => {
    assert.throws(
      () => resolveAdmissionPlugins(['LimitRanger', 'Bogus', 'AlwaysPullImages']),
      (e: unknown) =>
        e instanceof AdmissionConfigError &&
        e.errors.length === 2 &&
        e.errors[0] === 'enable-admission-plugins plugin "Bogus" is unknown' &&
        e.errors[1].startsWith('enable-admission-plugins plugin "AlwaysPullImages" is not implemented by KubeLab'),
    );
  });

  it('orderAdmissionPlugins keeps plugins with names upstream does not know, last', () => {
    const mine: MutatingPlugin = { name: 'Custom', handles: () => true, admit: () => {} };
    const ordered = orderAdmissionPlugins([mine, ...resolveAdmissionPlugins(['DefaultStorageClass']).mutating]);
    assert.deepEqual(ordered.mutating.map((p) => p.name), ['DefaultStorageClass', 'Custom']);
  });

  it('end to end: LimitRanger then DefaultTolerationSeconds then ResourceQuota on one pod', async () => {
    const c = new FakeCluster();
    c.add('limitranges', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits: [{ type: 'Container', default: { memory: '512Mi' } }] } });
    c.add('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { 'requests.memory': '1Gi', pods: '2' } } });
    const plugins = resolveAdmissionPlugins(['LimitRanger', 'DefaultTolerationSeconds', 'ResourceQuota'], { ResourceQuota: { retryDelayMs: () => 0 } });
    const attrs = attributes('CREATE', '', 'pods', pod('web'));
    await runAdmission(plugins, attrs, context(c), () => {});
    assert.equal((attrs.object!.spec as { tolerations: unknown[] }).tolerations.length, 2);
    assert.deepEqual((c.stored('', 'resourcequotas', 'default', 'q')!.status as { used: unknown }).used, { 'requests.memory': '512Mi', pods: '1' });
  });
});
