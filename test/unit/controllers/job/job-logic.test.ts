/** Pure pieces of the Job controller: completed-index intervals, pod failure backoff, removal order, finish times. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nextRecord, remainingBackoff } from '../../../../src/controllers/job/backoff';
import { activePodsForRemoval, firstPendingIndexes, intervalsToString, parseIndexes, totalOf, withOrderedIndexes } from '../../../../src/controllers/job/indexes';
import { completionIndex, indexedGenerateName, isPodFailed, podFinishedTime, type Job } from '../../../../src/controllers/job/job-util';
import { pastBackoffLimitOnFailure } from '../../../../src/controllers/job/job-sync';

const pod = (name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({ metadata: { name, uid: name, ...meta }, ...extra });
const withIndex = (name: string, ix: string, phase = 'Running') => pod(name, { status: { phase } }, { annotations: { 'batch.kubernetes.io/job-completion-index': ix } });
const job = (spec: Job['spec']): Job => ({ metadata: { name: 'j' }, spec, status: {} });

describe('completed indexes', () => {
  const cases: [number[], string][] = [
    [[], ''],
    [[3], '3'],
    [[1, 2], '1,2'],
    [[1, 2, 3], '1-3'],
    [[0, 2, 3, 4, 6, 7], '0,2-4,6,7'],
    [[5, 1, 1, 0], '0,1,5'],
  ];
  for (const [ix, s] of cases) it(`${JSON.stringify(ix)} → "${s}"`, () => assert.equal(intervalsToString(withOrderedIndexes([], ix)), s));

  it('parses its own output back, dropping indexes at or past completions', () => {
    assert.equal(intervalsToString(parseIndexes('0,2-4,6,7', 10)), '0,2-4,6,7');
    assert.equal(intervalsToString(parseIndexes('0,2-4,6,7', 4)), '0,2,3');
    assert.equal(totalOf(parseIndexes('1-3,7', 10)), 4);
  });

  it('property: string round trip and count', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }), (ix) => {
        const ivs = withOrderedIndexes([], ix);
        assert.equal(totalOf(ivs), ix.length);
        assert.deepEqual(parseIndexes(intervalsToString(ivs), 201), ivs);
      }),
    );
  });

  it('first pending indexes skip succeeded and active ones', () => {
    const succeeded = withOrderedIndexes([], [0, 2]);
    assert.deepEqual(firstPendingIndexes(succeeded, [withIndex('a', '1')], 3, 6), [3, 4, 5]);
    assert.deepEqual(firstPendingIndexes(succeeded, [], 1, 6), [1]);
    assert.deepEqual(firstPendingIndexes([], [], 5, 2), [0, 1]);
  });

  it('removal: out-of-range and unindexed pods, then duplicates of an index', () => {
    const j = job({ completionMode: 'Indexed', completions: 3 });
    const pods = [withIndex('ok0', '0'), withIndex('dup1a', '1', 'Pending'), withIndex('dup1b', '1'), withIndex('far', '7'), pod('none', { status: { phase: 'Running' } })];
    const rm = activePodsForRemoval(j, pods, 0, Date.now()).map((p) => p.metadata?.name).sort();
    // The pending duplicate goes (pending < running), the running one stays.
    assert.deepEqual(rm, ['dup1a', 'far', 'none']);
  });

  it('removal for NonIndexed: unscheduled and pending first', () => {
    const j = job({});
    const pods = [pod('run', { spec: { nodeName: 'n' }, status: { phase: 'Running' } }), pod('pend', { spec: { nodeName: 'n' }, status: { phase: 'Pending' } }), pod('unsched', { status: { phase: 'Pending' } })];
    assert.deepEqual(activePodsForRemoval(j, pods, 2, Date.now()).map((p) => p.metadata?.name), ['unsched', 'pend']);
  });

  it('completion index annotation and generateName', () => {
    assert.equal(completionIndex(withIndex('a', '4')), 4);
    assert.equal(completionIndex(withIndex('a', '-1')), -1);
    assert.equal(completionIndex(withIndex('a', 'x')), -1);
    assert.equal(completionIndex(pod('a')), -1);
    assert.equal(indexedGenerateName('pi', 3), 'pi-3-');
    assert.equal(indexedGenerateName('a'.repeat(63), 12), `${'a'.repeat(54)}-12-`);
  });
});

describe('pod failure backoff', () => {
  const T = Date.UTC(2026, 0, 1);
  it('10 s, doubling per failure after the last success, capped at 10 minutes', () => {
    const rec = (n: number) => ({ key: 'k', failuresAfterLastSuccess: n, lastFailureTime: T });
    assert.equal(remainingBackoff(rec(0), T), 0);
    assert.equal(remainingBackoff(rec(1), T), 10_000);
    assert.equal(remainingBackoff(rec(2), T), 20_000);
    assert.equal(remainingBackoff(rec(3), T + 5_000), 35_000);
    assert.equal(remainingBackoff(rec(7), T), 600_000);
    assert.equal(remainingBackoff(rec(30), T), 600_000);
    assert.equal(remainingBackoff(rec(1), T + 10_001), 0);
  });
  it('a success resets; failures after the latest success count', () => {
    const prev = { key: 'k', failuresAfterLastSuccess: 4, lastFailureTime: T };
    assert.deepEqual(nextRecord(prev, [], [T + 5, T + 9]), { key: 'k', failuresAfterLastSuccess: 6, lastFailureTime: T + 9 });
    assert.deepEqual(nextRecord(prev, [T + 6], []), { key: 'k', failuresAfterLastSuccess: 0 });
    assert.deepEqual(nextRecord(prev, [T + 6], [T + 5, T + 7, T + 8]), { key: 'k', failuresAfterLastSuccess: 2, lastFailureTime: T + 8 });
    assert.deepEqual(nextRecord(prev, [], []), prev);
  });
  it('finish time: latest container finishedAt, else Ready=False transition, else deletion, else creation', () => {
    const term = (at: string) => ({ state: { terminated: { finishedAt: at } } });
    assert.equal(podFinishedTime(pod('a', { status: { containerStatuses: [term('2026-01-01T00:00:05Z'), term('2026-01-01T00:00:09Z')] } })), T + 9000);
    const readyFalse = { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:03Z' }] };
    assert.equal(podFinishedTime(pod('a', { status: { containerStatuses: [term('2026-01-01T00:00:05Z'), { state: { running: {} } }], ...readyFalse } })), T + 3000);
    assert.equal(podFinishedTime(pod('a', {}, { deletionTimestamp: '2026-01-01T00:00:02Z', creationTimestamp: '2026-01-01T00:00:01Z' })), T + 2000);
    assert.equal(podFinishedTime(pod('a', {}, { creationTimestamp: '2026-01-01T00:00:01Z' })), T + 1000);
  });
});

describe('failed pods', () => {
  it('a deleted pod that did not succeed counts as failed unless podReplacementPolicy is Failed', () => {
    const deleting = pod('d', { status: { phase: 'Running' } }, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    assert.equal(isPodFailed(deleting, job({ podReplacementPolicy: 'TerminatingOrFailed' })), true);
    assert.equal(isPodFailed(deleting, job({ podReplacementPolicy: 'Failed' })), false);
    assert.equal(isPodFailed(pod('f', { status: { phase: 'Failed' } }), job({ podReplacementPolicy: 'Failed' })), true);
    assert.equal(isPodFailed(pod('s', { status: { phase: 'Succeeded' } }, { deletionTimestamp: 'x' }), job({})), false);
  });
  it('restartPolicy OnFailure: container restarts of running pods reach backoffLimit', () => {
    const j = (limit: number) => job({ backoffLimit: limit, template: { spec: { restartPolicy: 'OnFailure' } } });
    const running = pod('r', { status: { phase: 'Running', containerStatuses: [{ restartCount: 2 }], initContainerStatuses: [{ restartCount: 1 }] } });
    const done = pod('f', { status: { phase: 'Failed', containerStatuses: [{ restartCount: 9 }] } });
    assert.equal(pastBackoffLimitOnFailure(j(3), [running, done]), true);
    assert.equal(pastBackoffLimitOnFailure(j(4), [running, done]), false);
    assert.equal(pastBackoffLimitOnFailure(j(0), [pod('z', { status: { phase: 'Running', containerStatuses: [{ restartCount: 1 }] } })]), true);
    assert.equal(pastBackoffLimitOnFailure(job({ backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } }), [running]), false);
  });
});
