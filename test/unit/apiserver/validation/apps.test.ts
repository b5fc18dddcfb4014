/** apps/v1 validation: Deployment (create, update, status), ReplicaSet, StatefulSet and DaemonSet. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { DEPLOYMENT, deployment, gvk, stored, template, texts, variant, type Any } from './helpers';

const MISMATCH = '`selector` does not match template `labels`';
const RS = gvk('apps', 'ReplicaSet');
const STS = gvk('apps', 'StatefulSet');
const DS = gvk('apps', 'DaemonSet');

describe('Deployment create', () => {
  const cases: { name: string; edit: (d: Any) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    {
      name: 'selector must match template labels (exact upstream text)',
      edit: (d) => (d.spec.template.metadata.labels = { app: 'x' }),
      want: [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MISMATCH}`],
    },
    {
      name: 'selector required (and then nothing matches)',
      edit: (d) => delete d.spec.selector,
      want: ['spec.selector: Required value', `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${MISMATCH}`],
    },
    {
      name: 'empty selector',
      edit: (d) => (d.spec.selector = {}),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    { name: 'replicas non-negative', edit: (d) => (d.spec.replicas = -1), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'maxSurge and maxUnavailable not both 0',
      edit: (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'bad percent and over 100%',
      edit: (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '5x', maxUnavailable: '150%' } }),
      want: [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"5x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      ],
    },
    {
      name: 'strategy type enum',
      edit: (d) => (d.spec.strategy = { type: 'BlueGreen' }),
      want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
    },
    {
      name: 'Recreate has no rollingUpdate',
      edit: (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: 'progressDeadlineSeconds > minReadySeconds',
      edit: (d) => Object.assign(d.spec, { minReadySeconds: 10, progressDeadlineSeconds: 10 }),
      want: ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
    },
    {
      name: 'template restartPolicy Always only',
      edit: (d) => (d.spec.template.spec.restartPolicy = 'Never'),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    { name: 'template containers validated', edit: (d) => delete d.spec.template.spec.containers[0].image, want: ['spec.template.spec.containers[0].image: Required value'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(DEPLOYMENT, variant(deployment(), DEPLOYMENT, c.edit))), c.want));
});

describe('Deployment update and status', () => {
  const old = stored(variant(deployment(), DEPLOYMENT));
  it('selector is immutable (apps/v1), with upstream text', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.spec.selector = { matchLabels: { app: 'web2' } };
    n.spec.template.metadata.labels = { app: 'web2' };
    assert.deepEqual(texts(validateUpdate(DEPLOYMENT, n, old)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  it('template and replicas may change', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.spec.replicas = 5;
    n.spec.template.spec.containers[0].image = 'nginx:2';
    assert.deepEqual(validateUpdate(DEPLOYMENT, n, old), []);
  });
  it('status counters', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.status = { replicas: 1, readyReplicas: 2, availableReplicas: 3, collisionCount: 1 };
    const o = { ...old, status: { collisionCount: 2 } };
    assert.deepEqual(texts(validateStatusUpdate(DEPLOYMENT, n, o)), [
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas',
      'status.collisionCount: Invalid value: 1: cannot be decremented',
    ]);
  });
});

describe('ReplicaSet, StatefulSet, DaemonSet', () => {
  const rs = (): Any => ({ metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } });
  const sts = (): Any => ({ metadata: { name: 'db', namespace: 'default' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template: template() } });
  const ds = (): Any => ({ metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } });

  it('ReplicaSet: valid, and activeDeadlineSeconds forbidden in its template', () => {
    assert.deepEqual(validateCreate(RS, variant(rs(), RS)), []);
    assert.deepEqual(texts(validateCreate(RS, variant(rs(), RS, (o) => (o.spec.template.spec.activeDeadlineSeconds = 5)))), [
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });
  it('StatefulSet: valid; policy and selector errors; only some spec fields may change', () => {
    assert.deepEqual(validateCreate(STS, variant(sts(), STS)), []);
    const bad = variant(sts(), STS, (o) => {
      o.spec.podManagementPolicy = 'Random';
      o.spec.selector = {};
    });
    assert.deepEqual(texts(validateCreate(STS, bad)), [
      "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
    ]);
    const old = stored(variant(sts(), STS));
    const n = JSON.parse(JSON.stringify(old));
    n.spec.replicas = 3;
    n.spec.template.spec.containers[0].image = 'x';
    assert.deepEqual(validateUpdate(STS, n, old), []);
    n.spec.serviceName = 'other';
    assert.deepEqual(texts(validateUpdate(STS, n, old)), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
  it('DaemonSet: valid; maxSurge and maxUnavailable may not both be non-zero', () => {
    assert.deepEqual(validateCreate(DS, variant(ds(), DS)), []);
    const bad = variant(ds(), DS, (o) => (o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } }));
    assert.deepEqual(texts(validateCreate(DS, bad)), [
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
    ]);
    const mismatch = variant(ds(), DS, (o) => (o.spec.template.metadata.labels = { app: 'other' }));
    assert.deepEqual(texts(validateCreate(DS, mismatch)), [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ${MISMATCH}`]);
  });
});
