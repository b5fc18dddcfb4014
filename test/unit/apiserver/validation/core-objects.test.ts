/** Namespace, Node, Event, ResourceQuota, LimitRange and PV validation (ConfigMap/Secret and PVC have their own files). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareNamespaceForCreate } from '../../../../src/api/defaults';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { gvk, stored, texts, variant, type Any } from './helpers';

const NS = gvk('', 'Namespace');
const NODE = gvk('', 'Node');
const EVENT = gvk('', 'Event');
const QUOTA = gvk('', 'ResourceQuota');
const LIMITS = gvk('', 'LimitRange');
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

describe('PersistentVolume', () => {
  it('PV needs capacity and one source', () => {
    const pv = variant({ metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'] } }, PV);
    assert.deepEqual(texts(validateCreate(PV, pv)), [
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
  });
});
