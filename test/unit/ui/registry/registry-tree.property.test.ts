/**
 * RegistryTree properties (fast-check): after any sequence of resets, puts and deletes, every folder's listing and
 * counts equal a model recomputed from the final key set; paging concatenates to the full listing; takeChanged()
 * names exactly the folders whose listing differs from the previous call's.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RegistryTree, type RegistryEntry, type RegistryEvent } from '../../../../src/ui/registry';
import { actualListings, differingFolders, expectedListings } from './harness';

/** Few, colliding segments, so folders and keys share names, empty segments occur and folders empty out. */
const segment = fc.constantFrom('a', 'b', 'a.b', '', 'pods', 'B', 'ä');
const key = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segs) => `/registry/${segs.join('/')}`);
const meta = fc.record({ version: fc.integer({ min: 1, max: 3 }), lease: fc.constantFrom('0', '7587817042727751691') });

type Step =
  | { op: 'put'; key: string; version: number; lease: string }
  | { op: 'delete'; key: string }
  | { op: 'take' }
  | { op: 'reset'; keys: string[] };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(key, meta).map(([k, m]): Step => ({ op: 'put', key: k, ...m })) },
  { weight: 4, arbitrary: key.map((k): Step => ({ op: 'delete', key: k })) },
  { weight: 2, arbitrary: fc.constant<Step>({ op: 'take' }) },
  { weight: 1, arbitrary: fc.array(key, { maxLength: 8 }).map((keys): Step => ({ op: 'reset', keys })) },
);

describe('RegistryTree properties', () => {
  it('listings, counts and takeChanged always match a model recomputed from the key set', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (steps, batchSize) => {
        const tree = new RegistryTree();
        const model = new Map<string, RegistryEntry>();
        let rev = 1;
        let lastTaken = expectedListings(model);
        let pending: RegistryEvent[] = [];
        const flush = () => {
          tree.apply(pending);
          pending = [];
        };
        for (const s of steps) {
          if (s.op === 'put') {
            rev++;
            const prev = model.get(s.key);
            const e: RegistryEntry = { key: s.key, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: s.version, lease: s.lease };
            model.set(s.key, e);
            pending.push({ type: 'put', kv: e });
          } else if (s.op === 'delete') {
            rev++;
            model.delete(s.key);
            pending.push({ type: 'delete', kv: { key: s.key, createRevision: 0, modRevision: rev, version: 0, lease: '0' } });
          } else if (s.op === 'reset') {
            flush();
            rev++;
            model.clear();
            for (const k of s.keys) model.set(k, { key: k, createRevision: rev, modRevision: rev, version: 1, lease: '0' });
            tree.reset(model.values(), rev);
          }
          if (pending.length >= batchSize || s.op === 'take') flush();
          if (s.op === 'take') {
            const now = expectedListings(model);
            assert.deepEqual(tree.takeChanged(), differingFolders(lastTaken, now));
            assert.deepEqual(actualListings(tree), now);
            lastTaken = now;
          }
        }
        flush();
        const expected = expectedListings(model);
        assert.deepEqual(actualListings(tree), expected);
        assert.deepEqual(tree.takeChanged(), differingFolders(lastTaken, expected));
        assert.equal(tree.size, model.size);
        assert.equal(tree.rootNode().count, model.size);
      }),
      { numRuns: 300 },
    );
  });

  it('pages of any size concatenate to the full sorted listing, with consistent "more" markers', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (leafNames, pageSize) => {
        const tree = new RegistryTree();
        tree.reset(leafNames.map((n, i) => ({ key: `/registry/x/${n}`, createRevision: i + 1, modRevision: i + 1, version: 1, lease: '0' })));
        const full = tree.children('/registry/x', { limit: Infinity });
        const got = [];
        let offset = 0;
        for (;;) {
          const page = tree.children('/registry/x', { offset, limit: pageSize });
          assert.equal(page.total, full.total);
          assert.ok(page.items.length <= pageSize);
          got.push(...page.items);
          if (!page.more) break;
          assert.equal(page.more.offset, offset + pageSize);
          assert.equal(page.more.remaining, full.total - page.more.offset);
          offset = page.more.offset;
        }
        assert.deepEqual(got, full.items);
        const folderNames = full.items.filter((n) => n.kind === 'folder').map((n) => n.name);
        const keyNames = full.items.filter((n) => n.kind === 'key').map((n) => n.name);
        assert.deepEqual(full.items.map((n) => n.kind), [...folderNames.map(() => 'folder'), ...keyNames.map(() => 'key')]);
        assert.deepEqual(folderNames, [...folderNames].sort());
        assert.deepEqual(keyNames, [...keyNames].sort());
      }),
      { numRuns: 300 },
    );
  });
});
