/**
 * Properties of server-side apply over random Widget configurations and random interleavings with another applier
 * and an updater: applying the same configuration twice in a row is a no-op (object and managedFields, times
 * included), and after a forced apply the applier owns exactly what it applied (its entry's fields are the
 * configuration's field set, minus the metadata nobody owns).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TypeInfo, setToFieldsV1, toFieldSet } from '../../../../src/api/apply';
import { isStatusError } from '../../../../src/api/status';
import { resolver, widgetSchema } from './fixtures';
import { Harness } from './harness';

const name = fc.constantFrom('a', 'b', 'c');
// Granular containers are never empty: as upstream, an applied `{}` or `[]` owns nothing, so the first apply can
// prune it away and the second put it back — a known quirk, not what this property is about.
const configArb = fc.record(
  {
    list: fc.uniqueArray(fc.record({ name, value: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: ['name'] }), { selector: (x) => x.name, minLength: 1, maxLength: 3 }),
    listOfLists: fc.uniqueArray(fc.record({ name, value: fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 2 }) }, { requiredKeys: ['name'] }), { selector: (x) => x.name, minLength: 1, maxLength: 2 }),
    set: fc.uniqueArray(fc.constantFrom('p', 'q', 'r'), { minLength: 1, maxLength: 3 }),
    atomicList: fc.array(fc.constantFrom('s', 't'), { maxLength: 2 }),
    struct: fc.record({ name: fc.constantFrom('n1', 'n2'), value: fc.integer({ min: 0, max: 1 }) }, { requiredKeys: ['name'] }),
    atomicMap: fc.record({ a: fc.constantFrom('1', '2') }, { requiredKeys: [] }),
    mapOfMapsRecursive: fc.dictionary(name, fc.constant(null), { minKeys: 1, maxKeys: 2 }),
    free: fc.dictionary(name, fc.oneof(fc.integer({ min: 0, max: 1 }), fc.constant('v')), { minKeys: 1, maxKeys: 2 }),
  },
  { requiredKeys: [] },
);
const opArb = fc.tuple(fc.constantFrom('apply-a', 'apply-b', 'update-c'), configArb, fc.boolean());
const ti = new TypeInfo(resolver);

function step(h: Harness, [who, cfg, force]: [string, Record<string, unknown>, boolean]): void {
  try {
    if (who === 'update-c') h.update('c', { ...h.content(), ...cfg });
    else h.apply(who, cfg, force);
  } catch (e) {
    if (!isStatusError(e) || e.code !== 409) throw e;
  }
}

describe('apply properties', () => {
  it('applying the same configuration twice is a no-op on the object and its managedFields', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 4 }), configArb, fc.boolean(), (history, cfg, force) => {
        const h = new Harness(widgetSchema);
        for (const op of history) step(h, op);
        try {
          h.apply('apply-a', cfg, force);
        } catch (e) {
          if (isStatusError(e) && e.code === 409) return;
          throw e;
        }
        // An apply that leaves nobody owning anything leaves no managedFields; the next apply then records a
        // before-first-apply entry, exactly as upstream. Idempotence holds once something is tracked.
        fc.pre((h.live?.metadata?.managedFields?.length ?? 0) > 0);
        const once = structuredClone(h.live);
        h.apply('apply-a', cfg, force);
        assert.deepEqual(h.live, once);
      }),
      { numRuns: 300 },
    );
  });

  it('after an apply the applier owns exactly its configuration’s fields', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 4 }), configArb, (history, cfg) => {
        const h = new Harness(widgetSchema);
        for (const op of history) step(h, op);
        h.apply('apply-a', cfg, true);
        const entry = h.entries().find((e) => e.manager === 'apply-a');
        const want = setToFieldsV1(toFieldSet(h.body(cfg), widgetSchema, ti).set);
        for (const k of ['f:apiVersion', 'f:kind', 'f:metadata']) delete (want as Record<string, unknown>)[k];
        assert.deepEqual(entry?.fieldsV1 ?? {}, want);
      }),
      { numRuns: 300 },
    );
  });
});
