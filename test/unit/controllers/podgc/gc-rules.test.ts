/** Pod GC rules: what counts as terminated, the deletion order, and the out-of-service test. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { byEvictionAndCreation, isPodTerminated, isTerminatingOnOutOfServiceNode } from '../../../../src/controllers/podgc/gc-rules';

const pod = (name: string, created: string, phase = 'Failed', reason?: string) => ({ metadata: { name, creationTimestamp: created }, status: { phase, reason } });

describe('pod GC rules', () => {
  it('counts any phase but Pending, Running and Unknown as terminated', () => {
    for (const [phase, want] of [['Succeeded', true], ['Failed', true], ['', true], ['Pending', false], ['Running', false], ['Unknown', false]] as const) {
      assert.equal(isPodTerminated({ status: { phase } }), want, phase);
    }
  });

  it('orders evicted pods first, then by creation time, then by name', () => {
    const pods = [
      pod('b', '2026-01-01T00:00:02Z'),
      pod('old', '2026-01-01T00:00:00Z', 'Succeeded'),
      pod('a', '2026-01-01T00:00:02Z'),
      pod('ev', '2026-01-01T00:00:09Z', 'Failed', 'Evicted'),
    ];
    assert.deepEqual(pods.sort(byEvictionAndCreation).map((p) => p.metadata.name), ['ev', 'old', 'a', 'b']);
  });

  it('is a total order (property)', () => {
    const arb = fc.record({
      name: fc.constantFrom('a', 'b', 'c'),
      t: fc.integer({ min: 0, max: 3 }),
      evicted: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, arb, arb, (x, y, z) => {
        const mk = (v: typeof x) => pod(v.name, new Date(Date.UTC(2026, 0, 1, 0, 0, v.t)).toISOString(), 'Failed', v.evicted ? 'Evicted' : undefined);
        const [a, b, c] = [mk(x), mk(y), mk(z)];
        const antisym = Math.sign(byEvictionAndCreation(a, b)) === -Math.sign(byEvictionAndCreation(b, a));
        const trans = !(byEvictionAndCreation(a, b) <= 0 && byEvictionAndCreation(b, c) <= 0) || byEvictionAndCreation(a, c) <= 0;
        return antisym && trans;
      }),
    );
  });

  it('takes terminating pods on not-ready nodes with the out-of-service taint only', () => {
    const terminating = { metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const taint = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };
    const node = (ready: string, taints: unknown[]) => ({ spec: { taints }, status: { conditions: [{ type: 'Ready', status: ready }] } });
    assert.equal(isTerminatingOnOutOfServiceNode(terminating, node('False', [taint])), true);
    assert.equal(isTerminatingOnOutOfServiceNode(terminating, node('Unknown', [{ ...taint, effect: 'NoSchedule' }])), true);
    assert.equal(isTerminatingOnOutOfServiceNode(terminating, node('True', [taint])), false);
    assert.equal(isTerminatingOnOutOfServiceNode(terminating, node('False', [])), false);
    assert.equal(isTerminatingOnOutOfServiceNode({ metadata: { name: 'p' } }, node('False', [taint])), false);
  });
});
