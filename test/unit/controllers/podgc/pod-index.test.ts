/**
 * PodGCIndex: after any sequence of informer events (adds, updates that bind, finish, start terminating, deletes,
 * some through tombstones), it holds exactly what a scan of the remaining pods gives — the terminated pods (none when
 * the check is off), the terminating ones, the nodes pods are bound to.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CachedObject } from '../../../../src/client/informers';
import { podNodeName } from '../../../../src/controllers/framework/pod-util';
import { isPodTerminated } from '../../../../src/controllers/podgc/gc-rules';
import { PodGCIndex } from '../../../../src/controllers/podgc/pod-index';

interface PodState {
  node: string;
  phase: string;
  deleting: boolean;
}

const pod = (name: string, s: PodState): CachedObject =>
  Object.freeze({
    metadata: { namespace: 'ns', name, ...(s.deleting ? { deletionTimestamp: '2026-11-29T12:00:00Z' } : {}) },
    spec: s.node ? { nodeName: s.node } : {},
    status: { phase: s.phase },
  }) as unknown as CachedObject;

const state = fc.record({
  node: fc.constantFrom('', 'n1', 'n2', 'n3'),
  phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
  deleting: fc.boolean(),
});
const event = fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e'), op: fc.constantFrom('set', 'set', 'delete', 'tombstone'), s: state });

const names = (ps: CachedObject[]) => ps.map((p) => String(p.metadata?.name)).sort();

describe('PodGCIndex', () => {
  for (const countTerminated of [true, false]) {
    it(`equals a scan of the pods after any events (terminated check ${countTerminated ? 'on' : 'off'})`, () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 60 }), (events) => {
          const index = new PodGCIndex(countTerminated);
          const cache = new Map<string, CachedObject>();
          for (const e of events) {
            const old = cache.get(e.name);
            if (e.op === 'set') {
              const cur = pod(e.name, e.s);
              cache.set(e.name, cur);
              if (old) index.handlers.onUpdate!(old, cur);
              else index.handlers.onAdd!(cur, false);
            } else if (old) {
              cache.delete(e.name);
              index.handlers.onDelete!(e.op === 'tombstone' ? { key: `ns/${e.name}`, obj: old, tombstone: true } : old);
            }
          }
          const pods = [...cache.values()];
          assert.deepEqual(names(index.terminated()), countTerminated ? names(pods.filter(isPodTerminated)) : []);
          assert.deepEqual(names(index.terminating()), names(pods.filter((p) => !!p.metadata?.deletionTimestamp)));
          assert.deepEqual([...index.nodes()].sort(), [...new Set(pods.map(podNodeName).filter(Boolean))].sort());
          for (const p of index.terminating()) assert.equal(p, cache.get(String(p.metadata?.name)), 'the current object, not an older one');
        }),
        { numRuns: 300 },
      );
    });
  }
});
