/** RBAC, StorageClass, PriorityClass, Lease and CustomResourceDefinition validation. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { gvk, stored, texts, variant, type Any } from './helpers';

const ROLE = gvk('rbac.authorization.k8s.io', 'Role');
const CRB = gvk('rbac.authorization.k8s.io', 'ClusterRoleBinding');
const RB = gvk('rbac.authorization.k8s.io', 'RoleBinding');
const SC = gvk('storage.k8s.io', 'StorageClass');
const PC = gvk('scheduling.k8s.io', 'PriorityClass');
const LEASE = gvk('coordination.k8s.io', 'Lease');
const CRD = gvk('apiextensions.k8s.io', 'CustomResourceDefinition');

describe('RBAC', () => {
  it('rules need verbs, groups and resources', () => {
    const role = variant({ metadata: { name: 'r', namespace: 'default' }, rules: [{ resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }] }, ROLE);
    assert.deepEqual(texts(validateCreate(ROLE, role)), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]);
  });
  it('bindings: defaulted apiGroups pass; roleRef never changes; subjects are checked', () => {
    const rb = variant(
      { metadata: { name: 'b', namespace: 'default' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default' }] },
      RB,
    );
    assert.deepEqual(validateCreate(RB, rb), []);
    const old = stored(rb);
    const n = JSON.parse(JSON.stringify(old));
    n.roleRef.name = 'admin';
    assert.deepEqual(texts(validateUpdate(RB, n, old)), ['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"admin"}: cannot change roleRef']);
    const crb = variant({ metadata: { name: 'c' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }, { kind: 'Robot', name: 'x' }] }, CRB);
    assert.deepEqual(texts(validateCreate(CRB, crb)), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
  });
});

describe('StorageClass, PriorityClass, Lease', () => {
  it('storage class provisioner and immutable fields', () => {
    const sc = variant({ metadata: { name: 'fast' }, provisioner: 'example.com/disk' }, SC);
    assert.equal(sc.reclaimPolicy, 'Delete');
    assert.deepEqual(validateCreate(SC, sc), []);
    assert.deepEqual(texts(validateCreate(SC, variant({ metadata: { name: 'x' }, volumeBindingMode: 'Later' }, SC))), [
      'provisioner: Required value',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
    const old = stored(sc);
    const n = { ...JSON.parse(JSON.stringify(old)), provisioner: 'other.io/x', reclaimPolicy: 'Retain' };
    assert.deepEqual(texts(validateUpdate(SC, n, old)), ['provisioner: Forbidden: updates to provisioner are forbidden.', 'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.']);
  });
  it('priority classes', () => {
    assert.deepEqual(texts(validateCreate(PC, variant({ metadata: { name: 'system-x' }, value: 5 }, PC))), [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class",
    ]);
    assert.deepEqual(texts(validateCreate(PC, variant({ metadata: { name: 'huge' }, value: 2000000000 }, PC))), [
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
    const old = stored(variant({ metadata: { name: 'p' }, value: 5 }, PC));
    assert.deepEqual(texts(validateUpdate(PC, { ...old, value: 6 }, old)), ['value: Forbidden: may not be changed in an update.']);
  });
  it('leases', () =>
    assert.deepEqual(texts(validateCreate(LEASE, { metadata: { name: 'l', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } } as Any)), [
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    ]));
});

describe('CustomResourceDefinition', () => {
  const crd = (edit: (c: Any) => void = () => {}): Any =>
    variant(
      {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', kind: 'Widget' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
        },
      },
      CRD,
      edit,
    );
  it('a defaulted CRD is valid (singular, listKind and storedVersions are defaulted)', () => {
    const c = crd();
    assert.deepEqual([c.spec.names.singular, c.spec.names.listKind, c.status.storedVersions], ['widget', 'WidgetList', ['v1']]);
    assert.deepEqual(validateCreate(CRD, c), []);
  });
  it('name, group, storage versions and structural schema', () => {
    const c = crd((o) => {
      o.metadata.name = 'widgets.other.com';
      o.spec.versions.push({ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { properties: { spec: {} } } } });
    });
    const errs = texts(validateCreate(CRD, c));
    assert.deepEqual(errs.slice(0, 3), [
      'metadata.name: Invalid value: "widgets.other.com": must be spec.names.plural+"."+spec.group',
      'spec.versions[1].schema.openAPIV3Schema.type: Required value: must not be empty at the root',
      'spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
    assert.match(errs[3], /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/);
  });
  it('group and plural are immutable', () => {
    const old = stored(crd());
    const n = JSON.parse(JSON.stringify(old));
    n.spec.names.plural = 'gadgets';
    n.metadata.name = 'widgets.example.com';
    const errs = texts(validateUpdate(CRD, n, old));
    assert.ok(errs.includes('spec.names.plural: Invalid value: "gadgets": field is immutable'), errs.join('\n'));
  });
});

describe('PodDisruptionBudget', () => {
  const PDB = gvk('policy', 'PodDisruptionBudget');
  const pdb = (spec: Any) => variant({ metadata: { name: 'p', namespace: 'default' }, spec }, PDB);
  it('accepts ints and percents, refuses both set, negatives, over 100 % and unknown policies', () => {
    assert.deepEqual(validateCreate(PDB, pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } })), []);
    assert.deepEqual(validateCreate(PDB, pdb({ maxUnavailable: '25%', unhealthyPodEvictionPolicy: 'AlwaysAllow' })), []);
    assert.deepEqual(texts(validateCreate(PDB, pdb({ minAvailable: 1, maxUnavailable: 1 }))), [
      'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
    ]);
    assert.deepEqual(texts(validateCreate(PDB, pdb({ minAvailable: -1 }))), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(texts(validateCreate(PDB, pdb({ maxUnavailable: '120%' }))), ['spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%']);
    assert.deepEqual(texts(validateCreate(PDB, pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' }))), [
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
  });
});
