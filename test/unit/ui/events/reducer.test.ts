import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { filterOptions, filteredEvents, filteredPods } from '../../../../src/ui/events/filters';
import { DEFAULT_SETTINGS, type PanelFilters } from '../../../../src/ui/events/protocol';
import { bufferedCount, initialPanelState, reduceAll, reducePanel, type PanelAction, type PanelState } from '../../../../src/ui/events/reducer';
import { MIN, SEC, ago, event, pod } from './fixtures';

const NO_FILTERS = DEFAULT_SETTINGS.filters;
const keys = (s: PanelState) => [...s.events.keys()];
const filters = (f: Partial<PanelFilters>): PanelAction => ({ type: 'setFilters', filters: { ...NO_FILTERS, ...f } });

describe('event panel reducer: events', () => {
  it('dedupes by uid and keeps the latest count and lastTimestamp', () => {
    let s = initialPanelState();
    s = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'BackOff', first: ago(5 * MIN), count: 1 })] });
    s = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'BackOff', first: ago(5 * MIN), last: ago(MIN), count: 4 })] });
    assert.equal(s.events.size, 1);
    assert.equal(s.events.get('a')!.count, 4);
    assert.equal(s.events.get('a')!.lastMs, Date.parse(ago(MIN)));
  });

  it('ignores a stale copy (older last-seen, or same time with a lower count)', () => {
    let s = initialPanelState();
    s = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'BackOff', first: ago(5 * MIN), last: ago(MIN), count: 4 })] });
    const older = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'BackOff', first: ago(5 * MIN), last: ago(2 * MIN), count: 5 })] });
    assert.equal(older, s, 'an older last-seen changes nothing');
    const lower = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'BackOff', first: ago(5 * MIN), last: ago(MIN), count: 3 })] });
    assert.equal(lower, s, 'a lower count at the same time changes nothing');
  });

  it('moves an event that recurred to the end, and keeps a no-op resync in place', () => {
    let s = initialPanelState();
    s = reducePanel(s, {
      type: 'events',
      upserts: [event({ uid: 'a', reason: 'X', first: ago(3 * MIN) }), event({ uid: 'b', reason: 'Y', first: ago(2 * MIN) }), event({ uid: 'c', reason: 'Z', first: ago(MIN) })],
    });
    assert.deepEqual(keys(s), ['a', 'b', 'c']);
    const resync = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'X', first: ago(3 * MIN) })] });
    assert.deepEqual(keys(resync), ['a', 'b', 'c']);
    const again = reducePanel(s, { type: 'events', upserts: [event({ uid: 'a', reason: 'X', first: ago(3 * MIN), last: ago(10 * SEC), count: 2 })] });
    assert.deepEqual(keys(again), ['b', 'c', 'a']);
  });

  it('appends a batch (an initial list in key order) in last-seen order', () => {
    const s = reducePanel(initialPanelState(), {
      type: 'events',
      upserts: [event({ uid: 'late', reason: 'X', first: ago(MIN) }), event({ uid: 'early', reason: 'Y', first: ago(9 * MIN) }), event({ uid: 'mid', reason: 'Z', first: ago(5 * MIN) })],
    });
    assert.deepEqual(keys(s), ['early', 'mid', 'late']);
  });

  it('caps the events, dropping the oldest first', () => {
    let s = initialPanelState({ cap: 3 });
    for (let i = 0; i < 5; i++) s = reducePanel(s, { type: 'events', upserts: [event({ uid: `e${i}`, reason: 'R', first: ago((10 - i) * MIN) })] });
    assert.deepEqual(keys(s), ['e2', 'e3', 'e4']);
  });

  it('does not take back an event older than the ones the cap dropped (a relist cannot churn the table)', () => {
    let s = initialPanelState({ cap: 2 });
    const old = event({ uid: 'old', reason: 'R', first: ago(10 * MIN) });
    s = reducePanel(s, { type: 'events', upserts: [old, event({ uid: 'mid', reason: 'R', first: ago(5 * MIN) })] });
    s = reducePanel(s, { type: 'events', upserts: [event({ uid: 'new', reason: 'R', first: ago(MIN) })] });
    assert.deepEqual(keys(s), ['mid', 'new']);
    const relisted = reducePanel(s, { type: 'events', upserts: [old, event({ uid: 'mid', reason: 'R', first: ago(5 * MIN) }), event({ uid: 'new', reason: 'R', first: ago(MIN) })] });
    assert.equal(relisted, s);
    s = reducePanel(s, { type: 'events', upserts: [event({ uid: 'newer', reason: 'R', first: ago(30 * SEC) })] });
    assert.deepEqual(keys(s), ['new', 'newer']);
  });

  it('property: never more than cap events, each holding the newest last-seen delivered for it', () => {
    const arb = fc.array(fc.record({ uid: fc.integer({ min: 0, max: 30 }), count: fc.integer({ min: 1, max: 5 }), t: fc.integer({ min: 0, max: 100 }) }), { maxLength: 120 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), arb, (cap, items) => {
        let s = initialPanelState({ cap });
        const best = new Map<string, number>();
        for (const it of items) {
          const uid = `u${it.uid}`;
          s = reducePanel(s, { type: 'events', upserts: [event({ uid, reason: 'R', first: ago(200 * SEC), last: ago((100 - it.t) * SEC), count: it.count })] });
          best.set(uid, Math.max(best.get(uid) ?? -1, it.t));
        }
        assert.ok(s.events.size <= cap);
        if (items.length > 0) assert.ok(s.events.size >= 1);
        for (const r of s.events.values()) assert.equal(r.lastMs, Date.parse(ago((100 - best.get(r.key)!) * SEC)), `${r.key} holds its newest copy`);
      }),
    );
  });

  it('never mutates the state it is given, and returns the same state when nothing changes', () => {
    const s0 = reducePanel(initialPanelState(), { type: 'events', upserts: [event({ uid: 'a', reason: 'X' })] });
    const before = keys(s0);
    const s1 = reducePanel(s0, { type: 'events', upserts: [event({ uid: 'b', reason: 'Y' })] });
    assert.deepEqual(keys(s0), before);
    assert.notEqual(s1.events, s0.events);
    assert.equal(reducePanel(s1, { type: 'events', upserts: [] }), s1);
    assert.equal(reducePanel(s1, filters({})), s1);
    assert.equal(reducePanel(s1, { type: 'setPaused', paused: false }), s1);
    assert.equal(reducePanel(s1, { type: 'pods', deletes: [pod({ name: 'nope' })] }), s1);
  });

  it('reset forgets everything but the filters', () => {
    let s = reduceAll(initialPanelState(), [filters({ namespace: 'kube-system' }), { type: 'events', upserts: [event({ uid: 'a', reason: 'X' })] }, { type: 'pods', upserts: [pod({ name: 'p' })] }]);
    s = reducePanel(s, { type: 'reset' });
    assert.equal(s.events.size + s.pods.size + s.workloads.size, 0);
    assert.equal(s.filters.namespace, 'kube-system');
  });
});

describe('event panel reducer: filters', () => {
  const all = reducePanel(initialPanelState(), {
    type: 'events',
    upserts: [
      event({ uid: '1', namespace: 'default', reason: 'Scheduled', kind: 'Pod', name: 'web-1', message: 'Successfully assigned default/web-1 to node-1', component: 'default-scheduler', first: ago(5 * MIN) }),
      event({ uid: '2', namespace: 'default', type: 'Warning', reason: 'BackOff', kind: 'Pod', name: 'web-2', message: 'Back-off restarting failed container app in pod web-2_default(uid)', first: ago(4 * MIN) }),
      event({ uid: '3', namespace: 'kube-system', reason: 'ScalingReplicaSet', kind: 'Deployment', name: 'coredns', message: 'Scaled up replica set coredns-5d78c9869d to 2', component: 'deployment-controller', first: ago(3 * MIN) }),
      event({ uid: '4', namespace: 'kube-system', type: 'Warning', reason: 'FailedScheduling', kind: 'Pod', name: 'big', message: '0/3 nodes are available: 3 Insufficient cpu.', component: 'default-scheduler', first: ago(2 * MIN) }),
      event({ uid: '5', namespace: 'default', reason: 'NodeReady', kind: 'Node', name: 'node-1', message: 'Node node-1 status is now: NodeReady', first: ago(MIN) }),
    ],
  });
  const shown = (f: Partial<PanelFilters>) => filteredEvents(reducePanel(all, filters(f))).map((r) => r.key);

  const cases: [string, Partial<PanelFilters>, string[]][] = [
    ['no filter: everything, oldest first', {}, ['1', '2', '3', '4', '5']],
    ['namespace', { namespace: 'kube-system' }, ['3', '4']],
    ['kind of the involved object', { kind: 'Pod' }, ['1', '2', '4']],
    ['warnings only', { warningsOnly: true }, ['2', '4']],
    ['text, case-insensitive, in the message', { text: 'INSUFFICIENT' }, ['4']],
    ['text in the object column (kind/name)', { text: 'pod/web-' }, ['1', '2']],
    ['text in the source', { text: 'default-scheduler' }, ['1', '4']],
    ['text in the reason', { text: 'scalingreplicaset' }, ['3']],
    ['surrounding spaces are ignored', { text: '  backoff ' }, ['2']],
    ['all combined', { namespace: 'kube-system', kind: 'Pod', warningsOnly: true, text: 'cpu' }, ['4']],
    ['nothing matches', { namespace: 'nope' }, []],
  ];
  for (const [name, f, want] of cases) it(name, () => assert.deepEqual(shown(f), want));

  it('pods: sorted by namespace then name; namespace and text filters apply (kind and warnings-only do not)', () => {
    const s = reducePanel(initialPanelState(), {
      type: 'pods',
      upserts: [
        pod({ name: 'web-b', node: 'node-2', ip: '10.244.2.3' }),
        pod({ name: 'coredns-x', namespace: 'kube-system', node: 'node-1' }),
        pod({ name: 'web-a', node: 'node-1', phase: 'Pending', statuses: [{ name: 'c0', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      ],
    });
    const names = (f: Partial<PanelFilters>) => filteredPods(reducePanel(s, filters(f))).map((r) => `${r.namespace}/${r.name}`);
    assert.deepEqual(names({}), ['default/web-a', 'default/web-b', 'kube-system/coredns-x']);
    assert.deepEqual(names({ namespace: 'default' }), ['default/web-a', 'default/web-b']);
    assert.deepEqual(names({ text: 'node-1' }), ['default/web-a', 'kube-system/coredns-x']);
    assert.deepEqual(names({ text: '10.244.2.3' }), ['default/web-b']);
    assert.deepEqual(names({ text: 'containercreating' }), ['default/web-a']);
    assert.deepEqual(names({ kind: 'Deployment', warningsOnly: true }), ['default/web-a', 'default/web-b', 'kube-system/coredns-x']);
  });

  it('pods are deleted by uid', () => {
    let s = reducePanel(initialPanelState(), { type: 'pods', upserts: [pod({ name: 'a' }), pod({ name: 'b' })] });
    s = reducePanel(s, { type: 'pods', deletes: [pod({ name: 'a' })] });
    assert.deepEqual(filteredPods(s).map((r) => r.name), ['b']);
  });

  it('offers the namespaces and kinds seen, sorted', () => {
    const s = reducePanel(all, { type: 'pods', upserts: [pod({ name: 'x', namespace: 'apps' })] });
    assert.deepEqual(filterOptions(s), { namespaces: ['apps', 'default', 'kube-system'], kinds: ['Deployment', 'Node', 'Pod'] });
  });
});

describe('event panel reducer: pause', () => {
  it('buffers while paused and applies everything, in order, on resume', () => {
    let s = reducePanel(initialPanelState(), { type: 'events', upserts: [event({ uid: 'a', reason: 'X', first: ago(5 * MIN) })] });
    s = reducePanel(s, { type: 'pods', upserts: [pod({ name: 'gone' }), pod({ name: 'stays' })] });
    s = reducePanel(s, { type: 'setPaused', paused: true });
    const frozen = s;
    s = reduceAll(s, [
      { type: 'events', upserts: [event({ uid: 'b', reason: 'Y', first: ago(2 * MIN) })] },
      { type: 'events', upserts: [event({ uid: 'a', reason: 'X', first: ago(5 * MIN), last: ago(MIN), count: 3 })] },
      { type: 'events', upserts: [event({ uid: 'b', reason: 'Y', first: ago(2 * MIN), last: ago(30 * SEC), count: 2 })] },
      { type: 'pods', deletes: [pod({ name: 'gone' })] },
      { type: 'pods', upserts: [pod({ name: 'new' })] },
    ]);
    assert.equal(s.events, frozen.events, 'nothing shown changes while paused');
    assert.equal(s.pods, frozen.pods);
    assert.equal(bufferedCount(s), 4, 'two distinct events and two pod changes are waiting');
    s = reducePanel(s, { type: 'setPaused', paused: false });
    assert.equal(bufferedCount(s), 0);
    assert.deepEqual(keys(s), ['a', 'b']);
    assert.equal(s.events.get('a')!.count, 3);
    assert.equal(s.events.get('b')!.count, 2);
    assert.deepEqual(filteredPods(s).map((p) => p.name), ['new', 'stays']);
  });

  it('the buffer is capped like the table', () => {
    let s = reducePanel(initialPanelState({ cap: 2 }), { type: 'setPaused', paused: true });
    for (let i = 0; i < 5; i++) s = reducePanel(s, { type: 'events', upserts: [event({ uid: `e${i}`, reason: 'R', first: ago((10 - i) * MIN) })] });
    assert.equal(s.pending.events.size, 2);
    s = reducePanel(s, { type: 'setPaused', paused: false });
    assert.deepEqual(keys(s), ['e3', 'e4']);
  });

  it('property: pausing, feeding and resuming ends where feeding without pausing does', () => {
    const action = fc.oneof(
      fc.record({ uid: fc.integer({ min: 0, max: 8 }), t: fc.integer({ min: 0, max: 50 }), count: fc.integer({ min: 1, max: 3 }) }).map(
        (e): PanelAction => ({ type: 'events', upserts: [event({ uid: `u${e.uid}`, reason: 'R', first: ago(100 * SEC), last: ago((50 - e.t) * SEC), count: e.count })] }),
      ),
      fc.integer({ min: 0, max: 5 }).map((i): PanelAction => ({ type: 'pods', upserts: [pod({ name: `p${i}`, created: ago(i * SEC) })] })),
      fc.integer({ min: 0, max: 5 }).map((i): PanelAction => ({ type: 'pods', deletes: [pod({ name: `p${i}` })] })),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const direct = reduceAll(initialPanelState(), actions);
        const paused = reduceAll(initialPanelState(), [{ type: 'setPaused', paused: true }, ...actions, { type: 'setPaused', paused: false }]);
        assert.deepEqual(
          [...paused.events.values()].map((r) => [r.key, r.count, r.lastMs]).sort(),
          [...direct.events.values()].map((r) => [r.key, r.count, r.lastMs]).sort(),
        );
        assert.deepEqual([...paused.pods.keys()].sort(), [...direct.pods.keys()].sort());
      }),
    );
  });
});
