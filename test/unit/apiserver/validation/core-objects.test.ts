/** Namespace, Node, ConfigMap, Secret, Event, ResourceQuota, LimitRange, PV and PVC validation. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareNamespaceForCreate } from '../../../../src/api/defaults';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { gvk, stored, texts, variant, type Any } from './helpers';

const NS = gvk('', 'Namespace');
const NODE = gvk('', 'Node');
const CM = gvk('', 'ConfigMap');
const SECRET = gvk('', 'Secret');
const EVENT = gvk('', 'Event');
const QUOTA = gvk('', 'ResourceQuota');
const LIMITS = gvk('', 'LimitRange');
const PVC = gvk('', 'PersistentVolumeClaim');
const PV = gvk('', 'PersistentVolume');
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('Namespace', () => {
  it('names are DNS-1123 labels', () => {
    assert.deepEqual(texts(validateCreate(NS, variant({ metadata: { name: 'my.ns' } }, NS))), ['metadata.name: Invalid value: "my.ns": must not contain dots']);
    assert.deepEqual(texts(validateCreate(NS, variant({ metadata: { name: 'Dev' } }, NS))), [`metadata.name: Invalid value: "Dev": ${LABEL_MSG}`]);
  });
  it('a prepared namespace is valid; phase must follow deletionTimestamp', () => {
    const ns = variant({ metadata: { name: 'dev' } }, NS);
    prepareNamespaceForCreate(ns);
    assert.deepEqual(validateCreate(NS, ns), []);
    const old = stored(ns);
    const n = JSON.parse(JSON.stringify(old));
    n.status.phase = 'Terminating';
    assert.deepEqual(texts(validateStatusUpdate(NS, n, old)), ["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"]);
  });
});

describe('Node', () => {
  it('taints (reported under metadata.taints, as upstream) and podCIDR changes', () => {
    const node = variant({ metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule' }, { key: 'x', effect: 'Sometimes' }] } }, NODE);
    assert.deepEqual(texts(validateCreate(NODE, node)), [
      'metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
    const old = stored(variant({ metadata: { name: 'n1' }, spec: { podCIDRs: ['10.244.0.0/24'] } }, NODE));
    const n = JSON.parse(JSON.stringify(old));
    n.spec.podCIDRs = ['10.244.1.0/24'];
    assert.deepEqual(texts(validateUpdate(NODE, n, old)), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  });
});

describe('ConfigMap and Secret', () => {
  it('keys and immutability', () => {
    const cm = variant({ metadata: { name: 'c', namespace: 'default' }, data: { 'a b': '1', ok: '2' }, binaryData: { ok: 'AA==' } }, CM);
    assert.deepEqual(texts(validateCreate(CM, cm)), [
      "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      'data[ok]: Invalid value: "ok": duplicate of key present in binaryData',
    ]);
    const old = stored(variant({ metadata: { name: 'c', namespace: 'default' }, data: { a: '1' }, immutable: true }, CM));
    const n = JSON.parse(JSON.stringify(old));
    n.data.a = '2';
    assert.deepEqual(texts(validateUpdate(CM, n, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
  });
  it('secret types need their keys; type is immutable; size is limited', () => {
    const tls = variant({ metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'AA==' } }, SECRET);
    assert.deepEqual(texts(validateCreate(SECRET, tls)), ['data[tls.key]: Required value']);
    const old = stored(variant({ metadata: { name: 's', namespace: 'default' }, stringData: { a: 'x' } }, SECRET));
    assert.equal(old.data.a, 'eA==');
    const n = { ...JSON.parse(JSON.stringify(old)), type: 'kubernetes.io/basic-auth' };
    assert.deepEqual(texts(validateUpdate(SECRET, n, old)), [
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      'data[username]: Required value',
      'data[password]: Required value',
    ]);
    const big = variant({ metadata: { name: 's', namespace: 'default' }, data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }, SECRET);
    assert.deepEqual(texts(validateCreate(SECRET, big)), ['data: Too long: may not be more than 1048576 bytes']);
  });
});

describe('Event, ResourceQuota, LimitRange', () => {
  it('core/v1 events: namespace must match the involved object', () => {
    const e: Any = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' }, reason: 'X', message: 'y' };
    assert.deepEqual(texts(validateCreate(EVENT, e)), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  });
  it('quota resource names, integer counts and scopes', () => {
    const rq = variant({ metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '1.5', foo: '1' }, scopes: ['BestEffort', 'NotBestEffort'] } }, QUOTA);
    assert.deepEqual(texts(validateCreate(QUOTA, rq)), [
      'spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified',
      'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota',
      'spec.hard[pods]: Invalid value: "1500m": must be an integer',
      'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
    ]);
  });
  it('limit range orderings (defaults come from max first)', () => {
    const lr = variant({ metadata: { name: 'l', namespace: 'default' }, spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } }, LIMITS);
    assert.deepEqual(texts(validateCreate(LIMITS, lr)), [
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      'spec.limits[0].defaultRequest[cpu]: Invalid value: "1": min value 2 is greater than default request value 1',
      'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1',
    ]);
  });
});

describe('PersistentVolumeClaim and PersistentVolume', () => {
  const pvc = (edit: (o: Any) => void = () => {}): Any =>
    variant({ metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, PVC, edit);
  it('valid; access modes and storage request', () => {
    assert.deepEqual(validateCreate(PVC, pvc()), []);
    assert.deepEqual(
      texts(validateCreate(PVC, pvc((o) => Object.assign(o.spec, { accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'RWX'], resources: { requests: { storage: '0' } } })))),
      [
        'spec.accessModes: Unsupported value: "RWX": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
        'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      ],
    );
  });
  it('spec is immutable except a bound claim’s storage request', () => {
    const old = stored(pvc());
    const n = JSON.parse(JSON.stringify(old));
    n.spec.accessModes = ['ReadWriteMany'];
    const errs = texts(validateUpdate(PVC, n, old));
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n'), errs[0]);
    const bound = stored(pvc((o) => (o.status = { phase: 'Bound', capacity: { storage: '1Gi' } })));
    const grown = JSON.parse(JSON.stringify(bound));
    grown.spec.resources.requests.storage = '2Gi';
    assert.deepEqual(validateUpdate(PVC, grown, bound), []);
  });
  it('PV needs capacity and one source', () => {
    const pv = variant({ metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'] } }, PV);
    assert.deepEqual(texts(validateCreate(PV, pv)), [
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
  });
});
