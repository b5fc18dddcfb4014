/** Coalescing queued actions must not change what the panel ends up holding. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compactActions } from '../../../../src/ui/events/batch';
import { initialPanelState, reduceAll, type PanelAction, type PanelState } from '../../../../src/ui/events/reducer';
import { SEC, ago, event, pod, workload } from './fixtures';

const action = fc.oneof(
  fc.record({ uid: fc.integer({ min: 0, max: 6 }), t: fc.integer({ min: 0, max: 30 }), count: fc.integer({ min: 1, max: 3 }) }).map(
    (e): PanelAction => ({ type: 'events', upserts: [event({ uid: `u${e.uid}`, reason: 'R', first: ago(60 * SEC), last: ago((30 - e.t) * SEC), count: e.count })] }),
  ),
  fc.record({ up: fc.array(fc.nat(4), { maxLength: 3 }), del: fc.array(fc.nat(4), { maxLength: 2 }), phase: fc.constantFrom('Running', 'Pending') }).map(
    (p): PanelAction => ({ type: 'pods', upserts: p.up.map((i) => pod({ name: `p${i}`, phase: p.phase })), deletes: p.del.map((i) => pod({ name: `p${i}` })) }),
  ),
  fc.nat(3).map((i): PanelAction => ({ type: 'replicaSets', upserts: [workload('ReplicaSet', { name: `rs${i}`, uid: `rs${i}`, created: ago(i * SEC) })] })),
  fc.nat(3).map((i): PanelAction => ({ type: 'replicaSets', deletes: [workload('ReplicaSet', { name: `rs${i}`, uid: `rs${i}`, created: ago(i * SEC) })] })),
  fc.boolean().map((paused): PanelAction => ({ type: 'setPaused', paused })),
  fc.constant<PanelAction>({ type: 'reset' }),
);

const view = (s: PanelState) => ({
  events: [...s.events.values()].map((r) => [r.key, r.count, r.lastMs]).sort(),
  pods: [...s.pods.values()].map((r) => [r.key, r.status]).sort(),
  workloads: [...s.workloads.keys()].sort(),
  paused: s.paused,
  pending: [s.pending.events.size, [...s.pending.pods.keys()].sort(), [...s.pending.workloads.keys()].sort()],
});

describe('compactActions', () => {
  it('merges runs of the same kind and keeps barriers', () => {
    const out = compactActions([
      { type: 'events', upserts: [event({ uid: 'a', reason: 'X' })] },
      { type: 'events', upserts: [event({ uid: 'b', reason: 'X' })] },
      { type: 'pods', upserts: [pod({ name: 'p' })] },
      { type: 'pods', deletes: [pod({ name: 'p' })] },
      { type: 'setPaused', paused: true },
      { type: 'pods', upserts: [pod({ name: 'q' })] },
    ]);
    assert.deepEqual(
      out.map((a) => a.type),
      ['events', 'pods', 'setPaused', 'pods'],
    );
    assert.equal(out[0]!.type === 'events' && out[0].upserts.length, 2);
    assert.deepEqual(out[1]!.type === 'pods' && [out[1].upserts?.length, out[1].deletes?.length], [0, 1]);
  });

  it('merges interleaved kinds too: a burst of alternating pod and event notifications is one action per kind', () => {
    const actions: PanelAction[] = [];
    for (let i = 0; i < 500; i++) {
      actions.push({ type: 'pods', upserts: [pod({ name: `p${i % 50}` })] });
      actions.push({ type: 'events', upserts: [event({ uid: `e${i}`, reason: 'X' })] });
      actions.push({ type: 'replicaSets', upserts: [workload('ReplicaSet', { name: 'rs', uid: 'u-rs', created: ago(60 * SEC) })] });
    }
    const out = compactActions(actions);
    assert.deepEqual(out.map((a) => a.type).sort(), ['events', 'pods', 'replicaSets']);
    const pods = out.find((a) => a.type === 'pods') as Extract<PanelAction, { type: 'pods' }>;
    assert.equal(pods.upserts?.length, 50);
    const events = out.find((a) => a.type === 'events') as Extract<PanelAction, { type: 'events' }>;
    assert.equal(events.upserts.length, 500);
  });

  it('property: the compacted actions leave the panel holding the same objects', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        assert.deepEqual(view(reduceAll(initialPanelState(), compactActions(actions))), view(reduceAll(initialPanelState(), actions)));
      }),
    );
  });
});
