/** StatefulSet status counting, rolling update deletions (with and without maxUnavailable) and history truncation. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyRevision, revisionData } from '../../../../src/controllers/statefulset/revision-data';
import { revisionsToTruncate } from '../../../../src/controllers/statefulset/revisions';
import { maxUnavailableOf, rollReplicas } from '../../../../src/controllers/statefulset/rolling-update';
import type { StatefulPodControl } from '../../../../src/controllers/statefulset/stateful-pod-control';
import { completeRollingUpdate, countReplicas, inconsistentStatus, wireStatus } from '../../../../src/controllers/statefulset/status';
import type { Pod, Revision, StatefulSet, StatefulSetStatus } from '../../../../src/controllers/statefulset/types';

const NOW = Date.UTC(2026, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

function pod(ordinal: number, rev: string, state: 'new' | 'pending' | 'ready' | 'notready' | 'terminating' = 'ready', readySince = NOW - 60_000): Pod {
  const p: Pod = { metadata: { name: `web-${ordinal}`, labels: { 'controller-revision-hash': rev } } };
  if (state === 'new') return p;
  p.status = { phase: state === 'pending' ? 'Pending' : 'Running', conditions: [{ type: 'Ready', status: state === 'ready' || state === 'terminating' ? 'True' : 'False', lastTransitionTime: iso(readySince) }] };
  if (state === 'terminating') p.metadata.deletionTimestamp = iso(NOW);
  return p;
}

function set(replicas: number, ru?: { partition?: number; maxUnavailable?: number | string }, limit?: number): StatefulSet {
  return { metadata: { name: 'web' }, spec: { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: ru }, revisionHistoryLimit: limit, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } } };
}

describe('statefulset status', () => {
  it('counts created, ready, available (minReadySeconds), current and updated pods', () => {
    const status: StatefulSetStatus = { replicas: 0, availableReplicas: 0 };
    const pods = [pod(0, 'cur'), pod(1, 'cur', 'ready', NOW - 5_000), pod(2, 'upd', 'pending'), pod(3, 'upd', 'new'), pod(4, 'upd', 'terminating')];
    countReplicas(status, 10, NOW, 'cur', 'upd', pods);
    assert.deepEqual(status, { replicas: 4, readyReplicas: 3, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 1 });
  });

  it('completes a rolling update only when every replica is updated and ready', () => {
    const base = { replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 1, availableReplicas: 3, currentRevision: 'a', updateRevision: 'b' };
    const done = { ...base };
    completeRollingUpdate(set(3), done);
    assert.equal(done.currentRevision, 'b');
    assert.equal(done.currentReplicas, 3);
    const notReady = { ...base, readyReplicas: 2 };
    completeRollingUpdate(set(3), notReady);
    assert.equal(notReady.currentRevision, 'a');
    const onDelete = { ...base };
    completeRollingUpdate({ ...set(3), spec: { ...set(3).spec, updateStrategy: { type: 'OnDelete' } } }, onDelete);
    assert.equal(onDelete.currentRevision, 'a');
  });

  it('writes only when something changed, omitting zero counts as Go does', () => {
    const s = set(1);
    s.status = { replicas: 1, availableReplicas: 1, readyReplicas: 1, observedGeneration: 2, currentRevision: 'r', updateRevision: 'r' };
    assert.equal(inconsistentStatus(s, { ...s.status }), false);
    assert.equal(inconsistentStatus(s, { ...s.status, observedGeneration: 3 }), true);
    assert.equal(inconsistentStatus(s, { ...s.status, observedGeneration: 1 }), false, 'an older generation is not news');
    assert.equal(inconsistentStatus(s, { ...s.status, updateRevision: 'q' }), true);
    assert.deepEqual(wireStatus({ replicas: 0, availableReplicas: 0, readyReplicas: 0, currentReplicas: 0, observedGeneration: 1, collisionCount: 0, currentRevision: '' }), {
      replicas: 0,
      availableReplicas: 0,
      observedGeneration: 1,
      collisionCount: 0,
    });
  });
});

describe('statefulset rolling update', () => {
  const run = async (s: StatefulSet, pods: Pod[], withMax: boolean) => {
    const deleted: string[] = [];
    const pc = { deleteStatefulPod: async (_s: StatefulSet, p: Pod) => void deleted.push(String(p.metadata.name)) } as unknown as StatefulPodControl;
    const status: StatefulSetStatus = { replicas: pods.length, availableReplicas: 0, currentReplicas: 5 };
    await rollReplicas(pc, s, pods, 'upd', status, withMax);
    return { deleted, current: status.currentReplicas };
  };

  it('deletes the highest outdated pod, one at a time, waiting for unhealthy ones, down to the partition', async () => {
    const all = (states: Pod[]) => states;
    assert.deepEqual(await run(set(3), all([pod(0, 'cur'), pod(1, 'cur'), pod(2, 'cur')]), false), { deleted: ['web-2'], current: 4 });
    assert.deepEqual((await run(set(3), [pod(0, 'cur'), pod(1, 'cur'), pod(2, 'upd', 'notready')], false)).deleted, [], 'web-2 updated but not ready: wait');
    assert.deepEqual((await run(set(3), [pod(0, 'cur'), pod(1, 'cur'), pod(2, 'upd')], false)).deleted, ['web-1']);
    assert.deepEqual((await run(set(3, { partition: 2 }), [pod(0, 'cur'), pod(1, 'cur'), pod(2, 'upd')], false)).deleted, [], 'partition 2 keeps web-0 and web-1');
    assert.deepEqual((await run(set(3), [pod(0, 'cur'), pod(1, 'cur'), pod(2, 'cur', 'terminating')], false)).deleted, [], 'terminating: wait');
  });

  it('with maxUnavailable deletes up to maxUnavailable minus the unhealthy pods', async () => {
    const pods = () => [pod(0, 'cur'), pod(1, 'cur'), pod(2, 'cur'), pod(3, 'cur')];
    assert.deepEqual((await run(set(4, { maxUnavailable: 2 }), pods(), true)).deleted, ['web-3', 'web-2']);
    assert.deepEqual((await run(set(4, { maxUnavailable: '50%' }), pods(), true)).deleted, ['web-3', 'web-2']);
    assert.deepEqual((await run(set(4, { maxUnavailable: 3, partition: 2 }), pods(), true)).deleted, ['web-3', 'web-2']);
    const oneDown = pods();
    oneDown[0] = pod(0, 'cur', 'notready');
    assert.deepEqual((await run(set(4, { maxUnavailable: 2 }), oneDown, true)).deleted, ['web-3']);
    assert.deepEqual((await run(set(4, { maxUnavailable: 2 }), pods(), false)).deleted, ['web-3'], 'feature off: one at a time');
  });

  it('scales maxUnavailable as upstream: percent rounded down, at least 1', () => {
    const cases: [number | string | undefined, number, number][] = [
      [undefined, 10, 1],
      [3, 10, 3],
      ['25%', 10, 2],
      ['1%', 10, 1],
      ['100%', 7, 7],
    ];
    for (const [v, replicas, want] of cases) assert.equal(maxUnavailableOf(v, replicas), want, String(v));
  });
});

describe('statefulset revisions', () => {
  const rev = (name: string, revision: number): Revision => ({ metadata: { name }, revision, data: {} });

  it('stores the template as a replacing strategic patch and applies it back', () => {
    const s = set(1);
    const data = revisionData(s);
    assert.deepEqual(data, { spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] }, $patch: 'replace' } } });
    const other = set(1);
    other.spec.template = { metadata: { labels: { x: 'y' } }, spec: { containers: [{ name: 'c' }] } };
    assert.deepEqual(applyRevision(other, { metadata: { name: 'r' }, data }).spec.template, s.spec.template);
  });

  it('truncates non-live history beyond revisionHistoryLimit, oldest first', () => {
    const revs = [rev('r1', 1), rev('r2', 2), rev('r3', 3), rev('r4', 4), rev('r5', 5)];
    const names = (rs: Revision[]) => rs.map((r) => r.metadata.name);
    assert.deepEqual(names(revisionsToTruncate(set(1, undefined, 1), [pod(0, 'r2')], revs, revs[3], revs[4])), ['r1']);
    assert.deepEqual(names(revisionsToTruncate(set(1, undefined, 0), [], revs, revs[4], revs[4])), ['r1', 'r2', 'r3', 'r4']);
    assert.deepEqual(names(revisionsToTruncate(set(1), [], revs, revs[4], revs[4])), [], 'default limit 10');
  });
});
