/** The Framework's extension points with fake plugins: PreFilter merging and Skip, Filter, nominated pods, Reserve/Permit/Bind. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState, podInfo, Status } from '../../../../src/scheduler/framework';
import { makeNode, makePod, nodeInfo } from '../../../helpers/scheduler-fixtures';
import { runBindPlugins, runPermitPlugins, runReservePluginsReserve, runReservePluginsUnreserve, waitOnPermit } from '../../../../src/scheduler/runtime/binding-points';
import { buildFramework, fakePlugin, type Log } from './fake-plugins';

const nodes = ['n1', 'n2', 'n3'].map((n) => nodeInfo(makeNode(n)));

describe('Framework PreFilter', () => {
  it('intersects PreFilter results and names the plugins when the intersection is empty', () => {
    const log: Log = [];
    const a = fakePlugin('A', { preFilter: () => ({ result: { nodeNames: new Set(['n1', 'n2']) }, status: Status.success() }) }, log);
    const b = fakePlugin('B', { preFilter: () => ({ result: { nodeNames: new Set(['n2', 'n3']) }, status: Status.success() }) }, log);
    const c = fakePlugin('C', { preFilter: () => ({ result: { nodeNames: new Set(['n3']) }, status: Status.success() }) }, log);
    const r = buildFramework([a, b]).runPreFilterPlugins(new CycleState(), makePod('p'), nodes);
    assert.ok(r.status.isSuccess());
    assert.deepEqual([...r.result!.nodeNames!], ['n2']);
    assert.deepEqual(r.pluginsWithNodes, ['A', 'B']);

    const empty = buildFramework([a, c]).runPreFilterPlugins(new CycleState(), makePod('p'), nodes);
    assert.equal(empty.status.code, 'UnschedulableAndUnresolvable');
    assert.equal(empty.status.message(), "node(s) didn't satisfy plugin(s) [A C] simultaneously");
    const one = buildFramework([fakePlugin('Z', { preFilter: () => ({ result: { nodeNames: new Set() }, status: Status.success() }) }, log)]).runPreFilterPlugins(new CycleState(), makePod('p'), nodes);
    assert.equal(one.status.message(), "node(s) didn't satisfy plugin Z");
  });

  it('Skip marks the plugin so its Filter is not called', () => {
    const log: Log = [];
    const s = fakePlugin('S', { preFilter: () => ({ status: Status.skip() }), filter: () => Status.unschedulable('never') }, log);
    const f = fakePlugin('F', { preFilter: () => ({ status: Status.success() }), filter: () => Status.success() }, log);
    const fw = buildFramework([s, f], { log });
    const state = new CycleState();
    fw.runPreFilterPlugins(state, makePod('p'), nodes);
    assert.deepEqual([...state.skipFilterPlugins], ['S']);
    assert.ok(fw.runFilterPlugins(state, makePod('p'), nodes[0]).isSuccess());
    assert.deepEqual(log, ['S.preFilter', 'F.preFilter', 'F.filter(n1)']);
  });

  it('Unschedulable keeps running the other PreFilters; Unresolvable stops; Error is wrapped', () => {
    const log: Log = [];
    const u = fakePlugin('U', { preFilter: () => ({ status: Status.unschedulable('u') }) }, log);
    const x = fakePlugin('X', { preFilter: () => ({ status: Status.unresolvable('x') }) }, log);
    const e = fakePlugin('E', { preFilter: () => ({ status: Status.error('boom') }) }, log);
    const ok = fakePlugin('K', { preFilter: () => ({ status: Status.success() }) }, log);
    const r1 = buildFramework([u, ok]).runPreFilterPlugins(new CycleState(), makePod('p'), nodes);
    assert.equal(r1.status.code, 'Unschedulable');
    assert.equal(r1.status.plugin, 'U');
    assert.deepEqual(log, ['U.preFilter', 'K.preFilter']);
    log.length = 0;
    const r2 = buildFramework([x, ok]).runPreFilterPlugins(new CycleState(), makePod('p'), nodes);
    assert.equal(r2.status.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(log, ['X.preFilter']);
    const r3 = buildFramework([e]).runPreFilterPlugins(new CycleState(), makePod('p'), nodes);
    assert.equal(r3.status.code, 'Error');
    assert.equal(r3.status.message(), 'running PreFilter plugin "E": boom');
  });
});

describe('Framework Filter', () => {
  it('stops at the first rejecting plugin and names it', () => {
    const log: Log = [];
    const a = fakePlugin('A', { filter: (n) => (n === 'n1' ? Status.unschedulable('a says no') : Status.success()) }, log);
    const b = fakePlugin('B', { filter: () => Status.unresolvable('b says no') }, log);
    const fw = buildFramework([a, b], { log });
    const s1 = fw.runFilterPlugins(new CycleState(), makePod('p'), nodes[0]);
    assert.equal(s1.plugin, 'A');
    assert.deepEqual(s1.reasons, ['a says no']);
    const s2 = fw.runFilterPlugins(new CycleState(), makePod('p'), nodes[1]);
    assert.equal(s2.plugin, 'B');
    assert.equal(s2.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(log, ['A.filter(n1)', 'A.filter(n2)', 'B.filter(n2)']);
  });

  it('turns a thrown error or a non-rejection status into Error', () => {
    const t = fakePlugin('T', { filter: () => { throw new Error('kaput'); } }, []);
    const w = fakePlugin('W', { filter: () => new Status('Wait') }, []);
    assert.equal(buildFramework([t]).runFilterPlugins(new CycleState(), makePod('p'), nodes[0]).message(), 'running "T" filter plugin: kaput');
    const s = buildFramework([w]).runFilterPlugins(new CycleState(), makePod('p'), nodes[0]);
    assert.equal(s.code, 'Error');
    assert.equal(s.message(), 'running "W" filter plugin: ');
  });

  it('runs Filter with nominated pods of higher or equal priority added, then without them', () => {
    const log: Log = [];
    const seen: number[] = [];
    const high = makePod('high', { priority: 10, spec: { nodeName: '' } });
    const low = makePod('low', { priority: 1 });
    const f = fakePlugin('F', { preFilter: () => ({ status: Status.success() }), filter: (_n, ni) => (seen.push(ni.pods.length), Status.success()), addPod: () => Status.success() }, log);
    const fw = buildFramework([f], { log, nominator: { nominatedPodsForNode: (n) => (n === 'n1' ? [podInfo(high), podInfo(low)] : []) } });
    const state = new CycleState();
    const s = fw.runFilterPluginsWithNominatedPods(state, makePod('me', { priority: 5 }), nodes[0]);
    assert.ok(s.isSuccess());
    assert.deepEqual(seen, [1, 0], 'first pass sees the higher-priority nominated pod only, second pass none');
    assert.deepEqual(log, ['F.addPod', 'F.filter(n1)', 'F.filter(n1)']);
    assert.equal(nodes[0].pods.length, 0, 'the real NodeInfo is untouched');
    seen.length = 0;
    fw.runFilterPluginsWithNominatedPods(state, makePod('me'), nodes[1]);
    assert.deepEqual(seen, [0], 'no nominated pods: one pass');
  });

  it('a failing first pass (with nominated pods) is the answer', () => {
    const high = makePod('high', { priority: 10 });
    const f = fakePlugin('F', { filter: (_n, ni) => (ni.pods.length > 0 ? Status.unschedulable('full') : Status.success()) }, []);
    const fw = buildFramework([f], { nominator: { nominatedPodsForNode: () => [podInfo(high)] } });
    assert.deepEqual(fw.runFilterPluginsWithNominatedPods(new CycleState(), makePod('me'), nodes[0]).reasons, ['full']);
  });
});

describe('Framework Reserve, Permit, Bind', () => {
  it('Unreserve runs in reverse order', async () => {
    const log: Log = [];
    const fw = buildFramework([fakePlugin('R1', { reserve: () => Status.success() }, log), fakePlugin('R2', { reserve: () => Status.unschedulable('nope') }, log)]);
    const s = await runReservePluginsReserve(fw, new CycleState(), makePod('p'), 'n1');
    assert.equal(s.plugin, 'R2');
    await runReservePluginsUnreserve(fw, new CycleState(), makePod('p'), 'n1');
    assert.deepEqual(log, ['R1.reserve', 'R2.reserve', 'R2.unreserve', 'R1.unreserve']);
  });

  it('Permit Wait holds the pod until allowed, or rejects it at the timeout', async () => {
    const fw = buildFramework([fakePlugin('P', { permit: () => ({ status: new Status('Wait'), timeoutMs: 1000 }) }, [])]);
    const pod = makePod('w');
    const s = runPermitPlugins(fw, new CycleState(), pod, 'n1');
    assert.equal(s.code, 'Wait');
    const wait = waitOnPermit(fw, pod);
    (fw.clock as unknown as { advance(ms: number): void }).advance(1000);
    const r = await wait;
    assert.equal(r.code, 'Unschedulable');
    assert.equal(r.message(), 'rejected due to timeout after waiting 1s at plugin P');
    assert.equal(r.plugin, 'P');

    const pod2 = makePod('w2');
    runPermitPlugins(fw, new CycleState(), pod2, 'n1');
    fw.waitingPods.get(String(pod2.metadata?.uid))!.allow('P');
    assert.ok((await waitOnPermit(fw, pod2)).isSuccess());
  });

  it('Bind plugins that Skip pass to the next; an error is wrapped', async () => {
    const log: Log = [];
    const skip = fakePlugin('B0', { bind: () => Status.skip() }, log);
    const fw = buildFramework([skip], { log });
    assert.ok((await runBindPlugins(fw, new CycleState(), makePod('p'), 'n1')).isSuccess());
    assert.deepEqual(log, ['B0.bind', 'Bind.bind']);
    const bad = buildFramework([fakePlugin('B1', { bind: () => Status.error('conflict') }, [])]);
    assert.equal((await runBindPlugins(bad, new CycleState(), makePod('p'), 'n1')).message(), 'running Bind plugin "B1": conflict');
  });
});
