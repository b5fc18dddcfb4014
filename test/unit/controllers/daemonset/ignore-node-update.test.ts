/** shouldIgnoreNodeUpdate compares without copying; it must agree with upstream's rule: copy, drop resourceVersion and
 * conditions, deep-compare (the reference below), for any pair of nodes. */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CachedObject } from '../../../../src/client/informers';
import { shouldIgnoreNodeUpdate } from '../../../../src/controllers/daemonset/event-handlers';

type Node = Record<string, unknown> & { metadata?: Record<string, unknown>; status?: Record<string, unknown> };

function reference(old: Node, cur: Node): boolean {
  const trueConds = (n: Node) => ((n.status?.conditions as { type?: string; status?: string }[] | undefined) ?? []).filter((c) => c.status === 'True').map((c) => String(c.type)).sort();
  if (!isDeepStrictEqual(trueConds(old), trueConds(cur))) return false;
  const strip = (n: Node) => {
    const c = structuredClone(n);
    if (c.metadata) delete c.metadata.resourceVersion;
    if (c.status) delete c.status.conditions;
    return c;
  };
  return isDeepStrictEqual(strip(old), strip(cur));
}

const condition = fc.record({ type: fc.constantFrom('Ready', 'MemoryPressure', 'DiskPressure'), status: fc.constantFrom('True', 'False', 'Unknown'), lastHeartbeatTime: fc.constantFrom('t1', 't2') });
const node: fc.Arbitrary<Node> = fc.record(
  {
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Node'),
    metadata: fc.record({ name: fc.constantFrom('n1', 'n2'), resourceVersion: fc.constantFrom('1', '2'), labels: fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('x', 'y')) }, { requiredKeys: ['name'] }),
    spec: fc.record({ unschedulable: fc.boolean(), podCIDR: fc.constantFrom('10.0.0.0/24', '10.0.1.0/24') }, { requiredKeys: [] }),
    status: fc.record({ conditions: fc.array(condition, { maxLength: 3 }), images: fc.array(fc.record({ names: fc.array(fc.constantFrom('nginx', 'busybox'), { maxLength: 2 }) }), { maxLength: 2 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['apiVersion', 'kind'] },
  // As decoded JSON (what informers hold): fast-check may build null-prototype records, which JSON never yields.
).map((n) => JSON.parse(JSON.stringify(n)) as Node);

test('shouldIgnoreNodeUpdate agrees with copy-strip-compare for any two nodes', () => {
  fc.assert(
    fc.property(node, node, (a, b) => {
      assert.equal(shouldIgnoreNodeUpdate(a as unknown as CachedObject, b as unknown as CachedObject), reference(a, b));
      assert.equal(shouldIgnoreNodeUpdate(a as unknown as CachedObject, a as unknown as CachedObject), true);
    }),
    { numRuns: 2000 },
  );
});

test('a heartbeat or resourceVersion change alone is ignored; a label or taint change is not', () => {
  const base: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', resourceVersion: '1', labels: { a: 'x' } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't1' }] } };
  const hb: Node = { ...base, metadata: { ...base.metadata, resourceVersion: '2' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't2' }] } };
  assert.equal(shouldIgnoreNodeUpdate(base as unknown as CachedObject, hb as unknown as CachedObject), true);
  const relabel: Node = { ...hb, metadata: { ...hb.metadata, labels: { a: 'y' } } };
  assert.equal(shouldIgnoreNodeUpdate(base as unknown as CachedObject, relabel as unknown as CachedObject), false);
  const taint: Node = { ...hb, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } };
  assert.equal(shouldIgnoreNodeUpdate(base as unknown as CachedObject, taint as unknown as CachedObject), false);
});
