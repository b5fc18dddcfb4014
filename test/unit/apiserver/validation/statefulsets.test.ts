/**
 * apps/v1 StatefulSet validation (create, update, status). As in Kubernetes 1.32, the pod template gets only its
 * labels, annotations and restart policy checked; on update only replicas, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy, minReadySeconds and ordinals may change.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, template, texts, variant, type Any, type CreateCase } from './helpers';

const STS = gvk('apps', 'StatefulSet');
const sts = (): Any => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default' },
  spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template: template() },
});
const FORBIDDEN =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

describe('StatefulSet create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'name is a DNS-1123 label', edit: (o) => (o.metadata.name = 'db.primary'), want: ['metadata.name: Invalid value: "db.primary": must not contain dots'] },
    {
      name: 'policy and empty selector',
      edit: (o) => {
        o.spec.podManagementPolicy = 'Random';
        o.spec.selector = {};
      },
      want: [
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
      ],
    },
    {
      name: 'selector required (and then nothing matches)',
      edit: (o) => delete o.spec.selector,
      want: ['spec.selector: Required value', `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${MSG.mismatch}`],
    },
    {
      name: 'selector must match the template labels',
      edit: (o) => (o.spec.template.metadata.labels = { app: 'cache' }),
      want: [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"cache"}: ${MSG.mismatch}`],
    },
    {
      name: 'template labels are checked under spec.template.labels',
      edit: (o) => (o.spec.template.metadata.labels['bad key'] = 'x'),
      want: [`spec.template.labels: Invalid value: "bad key": ${MSG.labelName}`],
    },
    {
      name: 'restartPolicy Always only; no activeDeadlineSeconds',
      edit: (o) => Object.assign(o.spec.template.spec, { restartPolicy: 'OnFailure', activeDeadlineSeconds: 10 }),
      want: [
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
      ],
    },
    {
      name: 'updateStrategy type',
      edit: (o) => (o.spec.updateStrategy = { type: 'Rolling' }),
      want: [
        "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Rolling\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'",
      ],
    },
    {
      name: 'OnDelete takes no rollingUpdate',
      edit: (o) => (o.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 2 } }),
      want: [
        "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
      ],
    },
    {
      name: 'partition non-negative',
      edit: (o) => (o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }),
      want: [`spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: ${MSG.negative}`],
    },
    {
      name: 'PVC retention policy values',
      edit: (o) => (o.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep', whenScaled: 'Delete' }),
      want: ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'],
    },
    {
      name: 'replicas, minReadySeconds and ordinals.start non-negative',
      edit: (o) => Object.assign(o.spec, { replicas: -1, minReadySeconds: -1, ordinals: { start: -1 } }),
      want: [
        `spec.replicas: Invalid value: -1: ${MSG.negative}`,
        `spec.minReadySeconds: Invalid value: -1: ${MSG.negative}`,
        `spec.ordinals.start: Invalid value: -1: ${MSG.negative}`,
      ],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(STS, variant(sts(), STS, c.edit))), c.want));
});

describe('StatefulSet update', () => {
  const old = stored(variant(sts(), STS));
  const upd = (edit: (o: Any) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(STS, n, old));
  };
  const mutable: [string, (o: Any) => void][] = [
    ['replicas', (o) => (o.spec.replicas = 3)],
    ['template', (o) => (o.spec.template.spec.containers[0].image = 'nginx:2')],
    ['updateStrategy', (o) => (o.spec.updateStrategy = { type: 'OnDelete' })],
    ['minReadySeconds', (o) => (o.spec.minReadySeconds = 5)],
    ['ordinals', (o) => (o.spec.ordinals = { start: 2 })],
    ['persistentVolumeClaimRetentionPolicy', (o) => (o.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' })],
  ];
  for (const [field, edit] of mutable) it(`${field} may change`, () => assert.deepEqual(upd(edit), []));
  const immutable: [string, (o: Any) => void][] = [
    ['serviceName', (o) => (o.spec.serviceName = 'other')],
    ['podManagementPolicy', (o) => (o.spec.podManagementPolicy = 'Parallel')],
    ['revisionHistoryLimit', (o) => (o.spec.revisionHistoryLimit = 3)],
    ['volumeClaimTemplates', (o) => (o.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }])],
    [
      'selector',
      (o) => {
        o.spec.selector = { matchLabels: { app: 'web', tier: 'db' } };
        o.spec.template.metadata.labels.tier = 'db';
      },
    ],
  ];
  for (const [field, edit] of immutable) it(`${field} may not change`, () => assert.deepEqual(upd(edit), [FORBIDDEN]));
  it('status counters', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.status = { replicas: 2, readyReplicas: 1, availableReplicas: 2, currentReplicas: 3 };
    assert.deepEqual(texts(validateStatusUpdate(STS, n, old)), [
      'status.currentReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas',
    ]);
  });
});
