/** apps/v1 ReplicaSet validation (create, update, status): selector, template, restartPolicy, immutable selector. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, template, texts, variant, type Any, type CreateCase } from './helpers';

const RS = gvk('apps', 'ReplicaSet');
const rs = (): Any => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } });
const tspec = 'spec.template.spec';

describe('ReplicaSet create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'name is a DNS-1123 subdomain', edit: (o) => (o.metadata.name = 'rs_1'), want: [`metadata.name: Invalid value: "rs_1": ${MSG.dnsSubdomain}`] },
    {
      name: 'selector required (and then nothing matches)',
      edit: (o) => delete o.spec.selector,
      want: ['spec.selector: Required value', `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${MSG.mismatch}`],
    },
    {
      name: 'empty selector (upstream says "deployment" for ReplicaSets too)',
      edit: (o) => (o.spec.selector = { matchLabels: {} }),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    {
      name: 'selector must match the template labels',
      edit: (o) => (o.spec.template.metadata.labels = { app: 'db', tier: 'x' }),
      want: [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"db", "tier":"x"}: ${MSG.mismatch}`],
    },
    {
      name: 'replicas and minReadySeconds non-negative',
      edit: (o) => Object.assign(o.spec, { replicas: -2, minReadySeconds: -1 }),
      want: [`spec.replicas: Invalid value: -2: ${MSG.negative}`, `spec.minReadySeconds: Invalid value: -1: ${MSG.negative}`],
    },
    {
      name: 'restartPolicy Always only',
      edit: (o) => (o.spec.template.spec.restartPolicy = 'OnFailure'),
      want: [`${tspec}.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`],
    },
    {
      name: 'activeDeadlineSeconds forbidden in its template',
      edit: (o) => (o.spec.template.spec.activeDeadlineSeconds = 5),
      want: [`${tspec}.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported`],
    },
    {
      name: 'container names unique',
      edit: (o) => o.spec.template.spec.containers.push({ name: 'nginx', image: 'x' }),
      want: [`${tspec}.containers[1].name: Duplicate value: "nginx"`],
    },
    {
      name: 'init container names unique across containers',
      edit: (o) => (o.spec.template.spec.initContainers = [{ name: 'nginx', image: 'busybox' }]),
      want: [`${tspec}.initContainers[0].name: Duplicate value: "nginx"`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(RS, variant(rs(), RS, c.edit))), c.want));
});

describe('ReplicaSet update and status', () => {
  const old = stored(variant(rs(), RS));
  it('selector is immutable', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.spec.selector = { matchLabels: { app: 'web', tier: 'fe' } };
    n.spec.template.metadata.labels.tier = 'fe';
    assert.deepEqual(texts(validateUpdate(RS, n, old)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  it('replicas and template may change', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.spec.replicas = 4;
    n.spec.template.metadata.labels.extra = 'x';
    assert.deepEqual(validateUpdate(RS, n, old), []);
  });
  it('status counters', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.status = { replicas: 1, fullyLabeledReplicas: 3, readyReplicas: 1, availableReplicas: 1, observedGeneration: -1 };
    assert.deepEqual(texts(validateStatusUpdate(RS, n, old)), [
      `status.observedGeneration: Invalid value: -1: ${MSG.negative}`,
      'status.fullyLabeledReplicas: Invalid value: 3: cannot be greater than status.replicas',
    ]);
  });
});
