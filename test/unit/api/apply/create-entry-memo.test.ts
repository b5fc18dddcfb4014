/**
 * Creates remembered by shape (create-entry-memo.ts): with ownsUpdated, a create whose object has the shape of an
 * earlier one reuses that create's deep-frozen FieldsV1 and gets its own time; the result is JSON-identical to
 * computing it. The property changes every scalar outside lists (same type, other value) and checks that the second
 * create was answered from memory (the same FieldsV1 object) and equals the computed result; list item values
 * (keys, set members) and map keys must give other entries; objects that are not plain JSON are never remembered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { updateManagedFields, type UpdateOptions } from '../../../../src/api/apply';
import { createShapeKey } from '../../../../src/api/apply/create-entry-memo';
import type { KubeObject } from '../../../../src/api/object';
import { schemaResolver } from '../../../../src/api/openapi';
import { podArb, widgetArb } from './arbitraries';
import { resolver, T0, T1, widgetSchema } from './fixtures';

const podResolver = schemaResolver();
const podSchema = podResolver.forKind({ group: '', version: 'v1', kind: 'Pod' });

const podOpts = (now: string, extra: Partial<UpdateOptions> = {}): UpdateOptions => ({
  manager: 'kube-controller-manager',
  operation: 'Update',
  now,
  apiVersion: 'v1',
  schema: podSchema,
  resolver: podResolver,
  ...extra,
});

const widgetOpts = (now: string): UpdateOptions => ({ manager: 'm', operation: 'Update', now, apiVersion: 'example.com/v1', schema: widgetSchema, resolver });

/** Every scalar outside lists replaced by another of the same type; lists (and what is in them) left alone. */
function otherScalars(v: unknown): unknown {
  if (typeof v === 'string') return `${v}-other`;
  if (typeof v === 'number') return v + 7;
  if (typeof v === 'boolean') return !v;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, otherScalars(x)]));
}

const fieldsV1 = (o: KubeObject): unknown => o.metadata?.managedFields?.[0]?.fieldsV1;

function checkRemembered(obj: KubeObject, opts: (now: string) => UpdateOptions): void {
  const first = updateManagedFields(undefined, structuredClone(obj), { ...opts(T0), ownsUpdated: true });
  const other = otherScalars(obj) as KubeObject;
  const remembered = updateManagedFields(undefined, structuredClone(other), { ...opts(T1), ownsUpdated: true });
  const computed = updateManagedFields(undefined, structuredClone(other), opts(T1));
  assert.equal(JSON.stringify(remembered), JSON.stringify(computed));
  assert.equal(JSON.stringify(first.metadata?.managedFields ?? []).replaceAll(T0, T1), JSON.stringify(computed.metadata?.managedFields ?? []));
  if (fieldsV1(first) !== undefined) {
    assert.equal(fieldsV1(remembered), fieldsV1(first), 'answered from memory');
    assert.ok(Object.isFrozen(fieldsV1(remembered)));
    assert.ok(!Object.isFrozen(fieldsV1(computed)), 'the default call shares nothing');
  }
}

describe('creates remembered by shape', () => {
  it('Pods with the real schema: other scalar values give the same entry, answered from memory (property)', () => {
    fc.assert(
      fc.property(podArb, (pod) => checkRemembered(pod as KubeObject, podOpts)),
      { numRuns: 300 },
    );
  });

  it('Widgets with every kind of field and irregular input (property)', () => {
    fc.assert(
      fc.property(widgetArb, (w) => checkRemembered({ metadata: { name: 'w' }, ...w } as KubeObject, widgetOpts)),
      { numRuns: 300 },
    );
  });

  const pod = (containers: unknown[], labels: Record<string, string> = { app: 'web' }): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels },
    spec: { containers, restartPolicy: 'Always' },
  });

  it('list keys, set members and map keys are part of the shape', () => {
    const create = (o: KubeObject, opts: Partial<UpdateOptions> = {}): KubeObject => updateManagedFields(undefined, o, { ...podOpts(T0, opts), ownsUpdated: true });
    const nginx = create(pod([{ name: 'nginx', image: 'a', args: ['-v'] }]));
    const other = create(pod([{ name: 'sidecar', image: 'a', args: ['-v'] }]));
    assert.notEqual(fieldsV1(other), fieldsV1(nginx));
    assert.deepEqual(Object.keys((fieldsV1(other) as Record<string, Record<string, unknown>>)['f:spec']!['f:containers']!), ['k:{"name":"sidecar"}']);
    const relabelled = create(pod([{ name: 'nginx', image: 'a', args: ['-v'] }], { tier: 'web' }));
    assert.notEqual(fieldsV1(relabelled), fieldsV1(nginx));
    assert.ok(JSON.stringify(fieldsV1(relabelled)).includes('"f:tier"'));
    const otherManager = create(pod([{ name: 'nginx', image: 'a', args: ['-v'] }]), { manager: 'kubectl-create' });
    assert.notEqual(fieldsV1(otherManager), fieldsV1(nginx), 'remembered per manager');
    assert.equal(otherManager.metadata!.managedFields![0]!.manager, 'kubectl-create');
    const inList = create(pod([{ name: 'nginx', image: 'b', args: ['-v'] }]));
    assert.notEqual(fieldsV1(inList), fieldsV1(nginx), 'values inside lists are part of the shape');
    assert.equal(JSON.stringify(fieldsV1(inList)), JSON.stringify(fieldsV1(nginx)));
    const again = create(pod([{ name: 'nginx', image: 'a', args: ['-v'] }], { app: 'db' }), { now: T1 });
    assert.equal(fieldsV1(again), fieldsV1(nginx));
    assert.equal(again.metadata!.managedFields![0]!.time, T1);
    assert.deepEqual(Object.keys(again.metadata!.managedFields![0]!), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
  });

  it('shape keys: scalars outside lists by type only, inside lists by value; non-JSON values are not remembered', () => {
    const key = (o: unknown): string | undefined => createShapeKey('id', undefined, o);
    assert.equal(key({ a: 'x', b: 1, c: true, d: null }), key({ a: 'y', b: 2, c: false, d: null }));
    assert.notEqual(key({ a: 'x' }), key({ a: 1 }));
    assert.equal(key({ a: 'x', b: undefined }), key({ a: 'x' }), 'an undefined key is an absent one');
    assert.notEqual(key({ l: ['x'] }), key({ l: ['y'] }));
    assert.notEqual(key({ l: [{ name: 'a' }] }), key({ l: [{ name: 'b' }] }));
    assert.notEqual(key({ l: ['ab', 'c'] }), key({ l: ['a', 'bc'] }));
    assert.notEqual(key({ l: [undefined] }), key({ l: [null] }));
    assert.notEqual(key({ ab: { c: 'x' } }), key({ a: { bc: 'x' } }));
    assert.notEqual(key({ a: {} }), key({ a: null }));
    assert.notEqual(createShapeKey('id', [['status']], {}), createShapeKey('id', undefined, {}));
    assert.equal(key({ when: new Date(0) }), undefined);
    assert.equal(key({ n: 1n }), undefined);
    assert.equal(key({ big: [('x'.repeat(20_000))] }), undefined, 'very large shapes are not remembered');

    const withDate = { ...pod([{ name: 'nginx' }]), extra: new Date(0) } as unknown as KubeObject;
    const a = updateManagedFields(undefined, structuredClone(withDate), { ...podOpts(T0), ownsUpdated: true });
    const b = updateManagedFields(undefined, structuredClone(withDate), { ...podOpts(T0), ownsUpdated: true });
    assert.notEqual(fieldsV1(a), fieldsV1(b));
    assert.equal(JSON.stringify(a), JSON.stringify(b));
  });

  it('a create with managedFields sent, or without a time, is computed as before', () => {
    const sent: KubeObject = { ...pod([{ name: 'nginx' }]) };
    sent.metadata!.managedFields = [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } } }];
    const out = updateManagedFields(undefined, structuredClone(sent), { ...podOpts(T0), ownsUpdated: true });
    assert.deepEqual(
      out.metadata!.managedFields!.map((e) => e.manager),
      ['kube-controller-manager', 'x'].filter((m) => m !== 'x'),
      'the creator takes the fields it wrote from the sent manager',
    );
    assert.equal(JSON.stringify(out), JSON.stringify(updateManagedFields(undefined, structuredClone(sent), podOpts(T0))));
    const untimed = updateManagedFields(undefined, pod([{ name: 'nginx' }]), { ...podOpts(''), ownsUpdated: true });
    assert.equal(untimed.metadata!.managedFields![0]!.time, undefined);
  });
});
