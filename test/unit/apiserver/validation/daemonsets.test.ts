/** apps/v1 DaemonSet validation (create, update): selector, full pod template, update strategy, immutable selector. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, template, texts, variant, type Any, type CreateCase } from './helpers';

const DS = gvk('apps', 'DaemonSet');
const ds = (): Any => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } });
const ru = 'spec.updateStrategy.rollingUpdate';

describe('DaemonSet create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    {
      name: 'no selector: nothing matches the template',
      edit: (o) => delete o.spec.selector,
      want: [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${MSG.mismatch}`],
    },
    {
      name: 'empty selector',
      edit: (o) => (o.spec.selector = {}),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset'],
    },
    {
      name: 'selector must match the template labels',
      edit: (o) => (o.spec.template.metadata.labels = { app: 'other' }),
      want: [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ${MSG.mismatch}`],
    },
    {
      name: 'the pod template is validated',
      edit: (o) => (o.spec.template.spec.containers[0].name = 'Agent'),
      want: [`spec.template.spec.containers[0].name: Invalid value: "Agent": ${MSG.dnsLabel}`],
    },
    {
      name: 'restartPolicy Always only',
      edit: (o) => (o.spec.template.spec.restartPolicy = 'Never'),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'update strategy type',
      edit: (o) => (o.spec.updateStrategy = { type: 'Surge' }),
      want: ['spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Surge", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"'],
    },
    {
      name: 'maxSurge and maxUnavailable may not both be non-zero',
      edit: (o) => (o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } }),
      want: [`${ru}.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero`],
    },
    {
      name: 'maxSurge and maxUnavailable may not both be zero',
      edit: (o) => (o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }),
      want: [`${ru}.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`],
    },
    {
      name: 'percentages at most 100%',
      edit: (o) => (o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%', maxSurge: 0 } }),
      want: [`${ru}.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%`],
    },
    {
      name: 'minReadySeconds and revisionHistoryLimit non-negative',
      edit: (o) => Object.assign(o.spec, { minReadySeconds: -1, revisionHistoryLimit: -1 }),
      want: [`spec.minReadySeconds: Invalid value: -1: ${MSG.negative}`, `spec.revisionHistoryLimit: Invalid value: -1: ${MSG.negative}`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(DS, variant(ds(), DS, c.edit))), c.want));
});

describe('DaemonSet update', () => {
  const old = stored(variant(ds(), DS));
  it('selector is immutable', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] };
    assert.deepEqual(texts(validateUpdate(DS, n, old)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string{"web"}}}}: field is immutable',
    ]);
  });
  it('template and strategy may change', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.spec.template.spec.containers[0].image = 'agent:2';
    n.spec.updateStrategy = { type: 'OnDelete' };
    assert.deepEqual(validateUpdate(DS, n, old), []);
  });
});
