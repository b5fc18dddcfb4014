/**
 * updateManagedFields with `ownsUpdated: true` (what the registry passes): the result is JSON-identical to the
 * default (deep-copying) call for any history, `updated` is never written to, only the client's canonical FieldsV1
 * objects and deep-frozen stored ones are reused, and the default call still shares nothing with its input. Random
 * Widget histories mix applies, updates and status updates with every way a client echoes managedFields (as stored,
 * as a JSON copy, with keys reordered, left out, reset); a realistic Pod uses the real built-in schema.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyPatch, updateManagedFields, type UpdateOptions } from '../../../../src/api/apply';
import type { KubeObject } from '../../../../src/api/object';
import { schemaResolver } from '../../../../src/api/openapi';
import { isStatusError } from '../../../../src/api/status';
import { widgetArb } from './arbitraries';
import { resolver, widgetSchema } from './fixtures';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function objectsIn(v: unknown, out = new Set<object>()): Set<object> {
  if (typeof v === 'object' && v !== null && !out.has(v)) {
    out.add(v);
    for (const x of Object.values(v)) objectsIn(x, out);
  }
  return out;
}

/** Reverses key order at every level (a client that sorts differently); same content. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
}

type Echo = 'stored' | 'copy' | 'reordered' | 'none' | 'reset';
const echoArb = fc.constantFrom<Echo>('stored', 'copy', 'reordered', 'none', 'reset');

function body(live: KubeObject | undefined, content: Record<string, unknown>, echo: Echo): KubeObject {
  const { metadata: _m, ...rest } = content;
  const meta: Record<string, unknown> = { ...(live?.metadata ?? { name: 'w' }) };
  if (echo === 'copy') meta.managedFields = structuredClone(meta.managedFields);
  if (echo === 'reordered') meta.managedFields = reordered(meta.managedFields);
  if (echo === 'none') delete meta.managedFields;
  if (echo === 'reset') meta.managedFields = [];
  return { apiVersion: 'example.com/v1', kind: 'Widget', ...rest, metadata: meta as KubeObject['metadata'] };
}

const opts = (manager: string, minute: number, subresource?: string): UpdateOptions => ({
  manager,
  operation: 'Update',
  now: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString().replace('.000Z', 'Z'),
  apiVersion: 'example.com/v1',
  schema: widgetSchema,
  resolver,
  ...(subresource ? { subresource } : {}),
});

const stepArb = fc.tuple(fc.constantFrom('apply-a', 'update-b', 'update-c', 'status-d'), widgetArb, echoArb);

describe('updateManagedFields with ownsUpdated', () => {
  it('gives the same JSON as the default call and never writes to `updated` (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 5 }), (steps) => {
        let live: KubeObject | undefined;
        steps.forEach(([who, content, echo], minute) => {
          if (who === 'apply-a') {
            try {
              const { metadata: _m, ...rest } = content;
              const out = applyPatch(live, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, ...rest }, { ...opts('a', minute), force: true });
              out.metadata!.uid = 'uid-1';
              live = deepFreeze(out);
            } catch (e) {
              if (!isStatusError(e)) throw e;
            }
            return;
          }
          const o = opts(who.slice(who.indexOf('-') + 1), minute, who.startsWith('status') ? 'status' : undefined);
          const updated = body(live, content, echo);
          const before = JSON.stringify(updated);
          const owned = updateManagedFields(live, updated, { ...o, ownsUpdated: true });
          assert.equal(JSON.stringify(updated), before, 'updated unchanged');
          const plain = updateManagedFields(live, structuredClone(updated), o);
          assert.equal(JSON.stringify(owned), JSON.stringify(plain));
          for (const obj of objectsIn(owned.metadata?.managedFields)) {
            assert.ok(objectsIn(updated).has(obj) || Object.isFrozen(obj) || !objectsIn(live).has(obj), 'only frozen parts of live are shared');
          }
          owned.metadata!.uid = 'uid-1';
          live = deepFreeze(owned);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the default call shares no object with its input', () => {
    const live = deepFreeze(updateManagedFields(undefined, { ...body(undefined, { list: [{ name: 'a' }] }, 'none'), metadata: { name: 'w', uid: 'u' } }, opts('a', 0)));
    const updated = body(live, { list: [{ name: 'a', value: 1 }] }, 'stored');
    const out = updateManagedFields(live, updated, opts('b', 1));
    const mine = objectsIn(out);
    for (const o of objectsIn(updated)) assert.ok(!mine.has(o));
    for (const o of objectsIn(live)) assert.ok(!mine.has(o));
  });

  it('reuses the client’s canonical FieldsV1 for unchanged entries, re-encodes the rest', () => {
    const live = deepFreeze(updateManagedFields(undefined, { ...body(undefined, { list: [{ name: 'a' }], struct: { name: 'n' } }, 'none'), metadata: { name: 'w', uid: 'u' } }, opts('a', 0)));
    const sent = structuredClone(live.metadata!.managedFields!);
    const change = body(live, { list: [{ name: 'a' }], struct: { name: 'n' }, set: ['p'] }, 'none');
    const out = updateManagedFields(live, { ...change, metadata: { ...change.metadata, managedFields: sent } }, { ...opts('b', 1), ownsUpdated: true });
    const [a, b] = out.metadata!.managedFields!;
    assert.equal(a!.manager, 'a');
    assert.equal(a!.fieldsV1, sent[0]!.fieldsV1, 'unchanged entry reuses the sent object');
    assert.deepEqual(b!.fieldsV1, { 'f:set': { '.': {}, 'v:"p"': {} } });

    const shuffled = reordered(structuredClone(live.metadata!.managedFields!)) as typeof sent;
    const out2 = updateManagedFields(live, { ...change, metadata: { ...change.metadata, managedFields: shuffled } }, { ...opts('b', 1), ownsUpdated: true });
    assert.notEqual(out2.metadata!.managedFields![0]!.fieldsV1, shuffled[0]!.fieldsV1, 'a non-canonical object is encoded again');
    assert.equal(JSON.stringify(out2), JSON.stringify(out));
  });

  it('through a subresource reuses deep-frozen stored FieldsV1 only', () => {
    const created = updateManagedFields(undefined, { ...body(undefined, { list: [{ name: 'a' }] }, 'none'), metadata: { name: 'w', uid: 'u' } }, opts('a', 0));
    const status = (live: KubeObject): KubeObject => ({ ...structuredClone(live), undeclared: 'x' });
    const frozen = deepFreeze(structuredClone(created));
    const out = updateManagedFields(frozen, status(frozen), { ...opts('d', 1, 'status'), ownsUpdated: true });
    assert.equal(out.metadata!.managedFields![0]!.fieldsV1, frozen.metadata!.managedFields![0]!.fieldsV1);
    const unfrozen = structuredClone(created);
    const out2 = updateManagedFields(unfrozen, status(unfrozen), { ...opts('d', 1, 'status'), ownsUpdated: true });
    assert.notEqual(out2.metadata!.managedFields![0]!.fieldsV1, unfrozen.metadata!.managedFields![0]!.fieldsV1);
    assert.equal(JSON.stringify(out2), JSON.stringify(out));
  });

  it('a Pod with the real schema: create, kubelet status, label update — owned and default agree', () => {
    const podResolver = schemaResolver();
    const schema = podResolver.forKind({ group: '', version: 'v1', kind: 'Pod' });
    const o = (manager: string, minute: number, extra: Partial<UpdateOptions> = {}): UpdateOptions => ({ ...opts(manager, minute), apiVersion: 'v1', schema, resolver: podResolver, ...extra });
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'default', uid: 'u', labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
    };
    const both = (live: KubeObject | undefined, updated: KubeObject, opt: UpdateOptions): KubeObject => {
      const plain = updateManagedFields(live, structuredClone(updated), opt);
      const owned = updateManagedFields(live, updated, { ...opt, ownsUpdated: true });
      assert.equal(JSON.stringify(owned), JSON.stringify(plain));
      return deepFreeze(owned);
    };
    const created = both(undefined, structuredClone(pod), o('kubectl-create', 0));
    const conditions = [{ type: 'Ready', status: 'True', lastProbeTime: null }];
    const running = both(created, { ...structuredClone(created), status: { phase: 'Running', conditions } }, o('kubelet', 1, { subresource: 'status' }));
    const labelled = both(running, { ...running, metadata: { ...running.metadata, labels: { app: 'web', tier: 'fe' } } }, o('kubectl-label', 2));
    assert.deepEqual(
      labelled.metadata!.managedFields!.map((e) => [e.manager, e.subresource ?? '', Object.keys(e.fieldsV1 as object)]),
      [
        ['kubectl-create', '', ['f:metadata', 'f:spec']],
        ['kubelet', 'status', ['f:status']],
        ['kubectl-label', '', ['f:metadata']],
      ],
    );
    assert.deepEqual(labelled.metadata!.managedFields![2]!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
  });
});
