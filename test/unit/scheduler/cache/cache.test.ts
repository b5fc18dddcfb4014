/** The scheduler cache: nodes and pods from events, assumed pods, incremental snapshots, images, zone order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { memoryLogger } from '../../../../src/base/logger';
import { SchedulerCache } from '../../../../src/scheduler/cache/cache';
import { CacheSnapshot } from '../../../../src/scheduler/cache/cache-snapshot';
import type { Pod } from '../../../../src/scheduler/framework';
import { makeNode, makePod } from '../../../helpers/scheduler-fixtures';

function newCache(ttlMs = 0) {
  const clock = new FakeClock();
  const { logger, records } = memoryLogger('warn');
  return { cache: new SchedulerCache({ clock, logger, ttlMs }), clock, records };
}

const on = (pod: Pod, node: string): Pod => ({ ...pod, spec: { ...(pod.spec ?? {}), nodeName: node } });
const cpu = (c: SchedulerCache, n: string) => c.nodeInfo(n)?.requested.milliCPU;

describe('SchedulerCache pods', () => {
  it('assume → finishBinding → the informer Add confirms the pod', () => {
    const { cache } = newCache();
    cache.addNode(makeNode('n1'));
    const pod = makePod('p', { requests: [{ cpu: '500m' }] });
    cache.assumePod(on(pod, 'n1'));
    assert.ok(cache.isAssumedPod(pod));
    assert.equal(cpu(cache, 'n1'), 500);
    assert.throws(() => cache.assumePod(on(pod, 'n1')), /is in the cache, so can't be assumed/);
    cache.finishBinding(on(pod, 'n1'));
    cache.addPod(on(pod, 'n1'));
    assert.ok(!cache.isAssumedPod(pod));
    assert.equal(cpu(cache, 'n1'), 500);
    assert.equal(cache.nodeInfo('n1')!.pods.length, 1);
    assert.throws(() => cache.addPod(on(pod, 'n1')), /was already in added state/);
  });

  it('forget undoes an assume; only assumed pods can be forgotten', () => {
    const { cache } = newCache();
    cache.addNode(makeNode('n1'));
    const pod = makePod('p', { requests: [{ cpu: '1' }] });
    cache.assumePod(on(pod, 'n1'));
    cache.forgetPod(on(pod, 'n1'));
    assert.equal(cpu(cache, 'n1'), 0);
    assert.equal(cache.podCount(), 0);
    cache.addPod(on(pod, 'n1'));
    assert.throws(() => cache.forgetPod(on(pod, 'n1')), /wasn't assumed so cannot be forgotten/);
  });

  it('a pod added on another node than assumed moves there', () => {
    const { cache } = newCache();
    cache.addNode(makeNode('n1'));
    cache.addNode(makeNode('n2'));
    const pod = makePod('p', { requests: [{ cpu: '1' }] });
    cache.assumePod(on(pod, 'n1'));
    cache.addPod(on(pod, 'n2'));
    assert.equal(cpu(cache, 'n1'), 0);
    assert.equal(cpu(cache, 'n2'), 1000);
  });

  it('expires an assumed pod ttl after its binding finished (never before binding finished, never with ttl 0)', () => {
    const { cache } = newCache(30_000);
    cache.addNode(makeNode('n1'));
    const a = makePod('a');
    const b = makePod('b');
    cache.assumePod(on(a, 'n1'));
    cache.assumePod(on(b, 'n1'));
    cache.finishBinding(on(a, 'n1'));
    cache.cleanupAssumedPods(Date.UTC(2026, 0, 1) + 30_001);
    assert.ok(!cache.isAssumedPod(a));
    assert.ok(cache.isAssumedPod(b), 'binding not finished: kept');
    const z = newCache(0);
    z.cache.addNode(makeNode('n1'));
    z.cache.assumePod(on(a, 'n1'));
    z.cache.finishBinding(on(a, 'n1'));
    z.cache.cleanupAssumedPods(Date.UTC(2030, 0, 1));
    assert.ok(z.cache.isAssumedPod(a));
  });

  it('update and remove of added pods; a pod on an unknown node keeps a node-less NodeInfo', () => {
    const { cache } = newCache();
    const p1 = on(makePod('p', { requests: [{ cpu: '1' }] }), 'ghost');
    cache.addPod(p1);
    const snap = new CacheSnapshot();
    cache.updateSnapshot(snap);
    assert.equal(snap.numNodes(), 0, 'node-less NodeInfos are not in snapshots');
    cache.addNode(makeNode('ghost'));
    cache.updateSnapshot(snap);
    assert.equal(snap.get('ghost')!.requested.milliCPU, 1000);
    const p2 = { ...p1, spec: { ...(p1.spec ?? {}), containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' } } }] } };
    cache.updatePod(p1, p2);
    assert.equal(cpu(cache, 'ghost'), 2000);
    cache.removePod(p2);
    assert.equal(cpu(cache, 'ghost'), 0);
    assert.throws(() => cache.removePod(p2), /is not found in scheduler cache/);
  });
});

describe('SchedulerCache snapshots', () => {
  it('refreshes only what changed and keeps NodeInfo identity', () => {
    const { cache } = newCache();
    for (const n of ['a', 'b', 'c']) cache.addNode(makeNode(n));
    const snap = new CacheSnapshot();
    cache.updateSnapshot(snap);
    assert.equal(snap.numNodes(), 3);
    const [a, b] = [snap.get('a')!, snap.get('b')!];
    const genB = b.generation;
    cache.addPod(on(makePod('p', { requests: [{ cpu: '1' }] }), 'a'));
    cache.updateSnapshot(snap);
    assert.equal(snap.get('a'), a, 'same object, updated in place');
    assert.equal(a.requested.milliCPU, 1000);
    assert.equal(b.generation, genB, 'b untouched');
    assert.equal(snap.list().length, 3);
    assert.equal(cache.nodeInfo('a')!.requested.milliCPU, 1000);
    assert.notEqual(cache.nodeInfo('a'), a, 'the snapshot holds a clone');
  });

  it('drops removed nodes; keeps them node-less while pods remain', () => {
    const { cache } = newCache();
    cache.addNode(makeNode('a'));
    cache.addNode(makeNode('b'));
    const pod = on(makePod('p'), 'b');
    cache.addPod(pod);
    const snap = new CacheSnapshot();
    cache.updateSnapshot(snap);
    cache.removeNode(makeNode('b'));
    cache.updateSnapshot(snap);
    assert.deepEqual(snap.list().map((n) => n.name), ['a']);
    assert.equal(snap.get('b'), undefined);
    assert.equal(cache.nodeInfo('b')!.pods.length, 1);
    cache.removePod(pod);
    assert.equal(cache.nodeInfo('b'), undefined);
    assert.throws(() => cache.removeNode(makeNode('zz')), /node zz is not found/);
  });

  it('tracks nodes with (anti-)affinity pods and PVCs in use', () => {
    const { cache } = newCache();
    cache.addNode(makeNode('a'));
    cache.addNode(makeNode('b'));
    const term = { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' };
    const anti = on(makePod('anti', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } } }), 'b');
    const vol = on(makePod('vol', { spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } }), 'a');
    cache.addPod(anti);
    cache.addPod(vol);
    const snap = new CacheSnapshot();
    cache.updateSnapshot(snap);
    assert.deepEqual(snap.havePodsWithAffinityList().map((n) => n.name), ['b']);
    assert.deepEqual(snap.havePodsWithRequiredAntiAffinityList().map((n) => n.name), ['b']);
    assert.ok(snap.isPVCUsedByPods('default/data'));
    cache.removePod(anti);
    cache.removePod(vol);
    cache.updateSnapshot(snap);
    assert.deepEqual(snap.havePodsWithAffinityList(), []);
    assert.ok(!snap.isPVCUsedByPods('default/data'));
  });

  it('lists nodes round-robin across zones', () => {
    const { cache } = newCache();
    const z = (name: string, zone: string) => makeNode(name, { labels: { 'topology.kubernetes.io/zone': zone } });
    for (const n of [z('a1', 'a'), z('a2', 'a'), z('a3', 'a'), z('b1', 'b'), z('c1', 'c'), z('c2', 'c')]) cache.addNode(n);
    const snap = new CacheSnapshot();
    cache.updateSnapshot(snap);
    assert.deepEqual(snap.list().map((n) => n.name), ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });
});

describe('SchedulerCache images', () => {
  it('counts the nodes having each image, live across node changes', () => {
    const { cache } = newCache();
    const img = (names: string[], sizeBytes = 100) => ({ names, sizeBytes });
    cache.addNode(makeNode('a', { images: [img(['nginx:1', 'nginx@sha256:1'], 500)] }));
    cache.addNode(makeNode('b', { images: [img(['nginx:1'], 500), img(['redis'])] }));
    const snap = new CacheSnapshot();
    cache.updateSnapshot(snap);
    assert.deepEqual(snap.get('a')!.imageStates.get('nginx:1'), { size: 500, numNodes: 2 });
    assert.equal(snap.get('b')!.imageStates.get('redis')!.numNodes, 1);
    cache.updateNode(makeNode('b'), makeNode('b', { images: [img(['redis'])] }));
    cache.updateSnapshot(snap);
    assert.equal(snap.get('a')!.imageStates.get('nginx:1')!.numNodes, 1);
    assert.equal(snap.get('b')!.imageStates.has('nginx:1'), false);
    cache.removeNode(makeNode('b'));
    assert.equal(cache.imageNodes('redis'), undefined);
  });
});
