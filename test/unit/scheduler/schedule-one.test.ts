/**
 * scheduleOne with fake plugins, the real cache and a minimal FIFO stand-in for the scheduling queue: the order of
 * the extension points, assume/forget, the failure handler (event text, PodScheduled patch, requeue with the
 * rejecting plugins), and the explanation handed to the Bind plugin.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { memoryLogger } from '../../../src/base/logger';
import type { EventRecorder } from '../../../src/client/events';
import { Indexer, Lister } from '../../../src/client/informers';
import type { ApiClient } from '../../../src/controllers/framework/api-client';
import { SchedulerCache } from '../../../src/scheduler/cache/cache';
import { CacheSnapshot } from '../../../src/scheduler/cache/cache-snapshot';
import { TaskTracker, type Core, type QueueLike } from '../../../src/scheduler/core';
import { podInfo, Status, type ClusterEvent, type CycleState, type Plugin, type Pod, type PodInfo, type QueuedPodInfo } from '../../../src/scheduler/framework';
import { DecisionStore } from '../../../src/scheduler/runtime/explain';
import { NodeSearch } from '../../../src/scheduler/runtime/find-nodes';
import { BINDING_ANNOTATIONS_KEY, scheduleOne } from '../../../src/scheduler/schedule-one';
import { makeNode, makePod } from '../../helpers/scheduler-fixtures';
import { buildFramework, fakePlugin, type Log } from './runtime/fake-plugins';

/** FIFO stand-in for the scheduling queue, recording what the core asks of it. */
class FifoQueue implements QueueLike {
  items: QueuedPodInfo[] = [];
  calls: string[] = [];
  unschedulable: QueuedPodInfo[] = [];
  add(pod: Pod) {
    this.items.push({ podInfo: podInfo(pod), timestamp: 0, attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false });
  }
  update() {}
  delete() {}
  activate() {}
  async pop() {
    return this.items.shift();
  }
  done(uid: string) {
    this.calls.push(`done ${uid}`);
  }
  schedulingCycle() {
    return 1;
  }
  addUnschedulableIfNotPresent(qpi: QueuedPodInfo) {
    this.unschedulable.push(qpi);
    return undefined;
  }
  moveAllToActiveOrBackoffQueue(e: ClusterEvent) {
    this.calls.push(`move ${e.label}`);
  }
  assignedPodAdded() {}
  assignedPodUpdated() {}
  addNominatedPod(_pi: PodInfo, node?: string) {
    this.calls.push(`nominate ${node}`);
  }
  deleteNominatedPodIfExists() {}
  nominatedPodsForNode() {
    return [];
  }
  pendingPods() {
    return { active: this.items.length, backoff: 0, unschedulable: this.unschedulable.length };
  }
  close() {}
}

interface Setup {
  core: Core;
  queue: FifoQueue;
  events: string[];
  patches: unknown[];
  log: Log;
}

function setup(plugins: (log: Log) => Plugin[], nodes = ['n1']): Setup {
  const log: Log = [];
  const events: string[] = [];
  const patches: unknown[] = [];
  const recorder = {
    event: (_o: unknown, type: string, reason: string, msg: string) => events.push(`${type} ${reason} ${msg}`),
    eventf: (_o: unknown, type: string, reason: string, fmt: string, ...args: unknown[]) => events.push(`${type} ${reason} ${fmt.replace(/%v/g, () => String(args.shift()))}`),
    annotatedEventf() {},
    flush: async () => {},
    close() {},
  } as unknown as EventRecorder;
  const clock = new FakeClock();
  const cache = new SchedulerCache({ clock, logger: memoryLogger().logger });
  for (const n of nodes) cache.addNode(makeNode(n));
  const snapshot = new CacheSnapshot();
  const fw = buildFramework(plugins(log), { log, recorder, snapshot: snapshot });
  const queue = new FifoQueue();
  const indexer = new Indexer();
  const client = { patch: async (_r: unknown, _ns: string, _n: string, body: unknown, type: string, sub: string) => (patches.push({ body, type, sub }), {}) } as unknown as ApiClient;
  const core: Core = {
    cache,
    snapshot,
    queue,
    frameworks: new Map([['default-scheduler', fw]]),
    search: new NodeSearch(),
    decisions: new DecisionStore(),
    podLister: new Lister(indexer),
    client,
    clock,
    logger: memoryLogger().logger,
    tasks: new TaskTracker(),
    explain: true,
  };
  const origAdd = queue.add.bind(queue);
  queue.add = (pod: Pod) => {
    indexer.upsert(pod);
    origAdd(pod);
  };
  return { core, queue, events, patches, log };
}

async function run(s: Setup, pod: Pod): Promise<void> {
  s.queue.add(pod);
  await scheduleOne(s.core);
  await s.core.tasks.drain();
}

const all = (log: Log, o: { reserve?: Status; bind?: Status } = {}) => [
  fakePlugin('P', {
    preFilter: () => ({ status: Status.success() }),
    filter: () => Status.success(),
    preScore: () => Status.success(),
    score: () => 10,
    normalize: () => undefined,
    reserve: () => o.reserve ?? Status.success(),
    permit: () => ({ status: Status.success(), timeoutMs: 0 }),
    preBind: () => Status.success(),
    postBind: true,
  }, log),
  ...(o.bind ? [fakePlugin('B0', { bind: () => o.bind! }, log)] : []),
];

describe('scheduleOne', () => {
  it('runs the extension points in upstream order and reports Scheduled', async () => {
    const s = setup((log) => all(log), ['n1', 'n2']);
    const pod = makePod('web-1');
    await run(s, pod);
    assert.deepEqual(s.log, ['P.preFilter', 'P.filter(n1)', 'P.filter(n2)', 'P.preScore', 'P.score(n1)', 'P.score(n2)', 'P.normalize', 'P.reserve', 'P.permit', 'P.preBind', 'Bind.bind', 'P.postBind']);
    const host = s.core.decisions.get(String(pod.metadata?.uid))!.selectedNode;
    assert.deepEqual(s.events, [`Normal Scheduled Successfully assigned default/web-1 to ${host}`]);
    assert.ok(s.core.cache.isAssumedPod(pod));
    assert.equal(s.core.cache.nodeInfo(host!)!.pods.length, 1);
    assert.deepEqual(s.queue.calls, [`done ${pod.metadata?.uid}`]);
  });

  it('hands the explanation annotations to the Bind plugin through the CycleState', async () => {
    let seen: Record<string, string> | undefined;
    const binder = { name: 'Spy', bind: async (state: CycleState) => ((seen = (state.read(BINDING_ANNOTATIONS_KEY) as unknown as { annotations: Record<string, string> }).annotations), Status.success()) } as unknown as Plugin;
    const s = setup((log) => [...all(log), binder], ['n1', 'n2']);
    await run(s, makePod('p'));
    assert.ok(seen);
    assert.deepEqual(Object.keys(seen).sort(), ['scheduler.kubelab.dev/filter-result', 'scheduler.kubelab.dev/score-result', 'scheduler.kubelab.dev/selected-node']);
    const score = JSON.parse(seen['scheduler.kubelab.dev/score-result']) as { weights: Record<string, number>; nodes: { node: string; total: number }[] };
    assert.deepEqual(score.weights, { P: 1 });
    assert.equal(score.nodes.length, 2);
  });

  it('a Reserve rejection unreserves, forgets and reports a one-node FitError', async () => {
    const s = setup((log) => all(log, { reserve: Status.unschedulable('reserve says no') }));
    const pod = makePod('p');
    await run(s, pod);
    assert.ok(s.log.includes('P.unreserve'));
    assert.ok(!s.log.includes('P.permit'));
    assert.equal(s.core.cache.podCount(), 0, 'forgotten');
    assert.deepEqual(s.events, ['Warning FailedScheduling 0/1 nodes are available: 1 reserve says no.']);
    assert.deepEqual([...s.queue.unschedulable[0].unschedulablePlugins], ['P']);
    const patch = s.patches[0] as { body: { status: { conditions: { reason: string; message: string; status: string }[] } }; type: string; sub: string };
    assert.equal(patch.type, 'strategic');
    assert.equal(patch.sub, 'status');
    assert.deepEqual(
      { ...patch.body.status.conditions[0], lastTransitionTime: undefined },
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: undefined, reason: 'Unschedulable', message: '0/1 nodes are available: 1 reserve says no.' },
    );
  });

  it('a Bind error unreserves, forgets, moves parked pods and reports SchedulerError', async () => {
    const s = setup((log) => all(log, { bind: Status.error('boom') }));
    const pod = makePod('p');
    await run(s, pod);
    assert.ok(s.log.includes('P.unreserve'));
    assert.ok(!s.log.includes('P.postBind'));
    assert.equal(s.core.cache.podCount(), 0);
    assert.deepEqual(s.events, ['Warning FailedScheduling running Bind plugin "B0": boom']);
    assert.ok(s.queue.calls.includes('move AssignedPodDelete'));
    const cond = (s.patches[0] as { body: { status: { conditions: { reason: string }[] } } }).body.status.conditions[0];
    assert.equal(cond.reason, 'SchedulerError');
  });

  it('no node fits: FitError text, PodScheduled=False with the explanation annotations, pod parked with its rejectors', async () => {
    const s = setup((log) => [fakePlugin('Fit', { filter: (n) => Status.unschedulable(n === 'n1' ? 'Insufficient cpu' : 'Insufficient memory') }, log)], ['n1', 'n2', 'n3']);
    await run(s, makePod('p'));
    assert.deepEqual(s.events, ['Warning FailedScheduling 0/3 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.']);
    assert.deepEqual([...s.queue.unschedulable[0].unschedulablePlugins], ['Fit']);
    const body = (s.patches[0] as { body: { metadata: { annotations: Record<string, string> } } }).body;
    const filter = JSON.parse(body.metadata.annotations['scheduler.kubelab.dev/filter-result']) as Record<string, Record<string, string>>;
    assert.deepEqual(filter, { n1: { Fit: 'Insufficient cpu' }, n2: { Fit: 'Insufficient memory' }, n3: { Fit: 'Insufficient memory' } });
    assert.equal(body.metadata.annotations['scheduler.kubelab.dev/selected-node'], undefined);
    assert.ok(s.queue.calls.includes('nominate undefined'), 'no PostFilter: nomination left as is');
  });

  it('no nodes at all', async () => {
    const s = setup((log) => all(log), []);
    await run(s, makePod('p'));
    assert.deepEqual(s.events, ['Warning FailedScheduling no nodes available to schedule pods']);
  });

  it('skips a pod that is being deleted', async () => {
    const s = setup((log) => all(log));
    const pod = makePod('p');
    await run(s, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    assert.deepEqual(s.events, ['Warning FailedScheduling skip schedule deleting pod: default/p']);
    assert.deepEqual(s.log, []);
  });
});
