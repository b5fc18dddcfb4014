/**
 * The status manager's pure arithmetic: isPodStatusByKubeletEqual, mergePodStatus, terminatePodStatus (upstream
 * TestTerminatePod* cases), checkContainerStateTransition and prepareStatus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPodStatusByKubeletEqual, normalizeStatus } from '../../../../src/kubelet/status/status-compare';
import { checkContainerStateTransition, mergePodStatus, prepareStatus, terminatePodStatus } from '../../../../src/kubelet/status/status-merge';
import type { ApiContainerStatus, ContainerState, PodStatus } from '../../../../src/kubelet/status/types';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:05:00Z';
const cs = (name: string, state: ContainerState, lastState: ContainerState = {}): ApiContainerStatus => ({ name, state, lastState, ready: false, restartCount: 0, image: 'i', imageID: '' });
const pod = (o: { restartPolicy?: string; init?: string[]; containers?: string[]; status?: PodStatus } = {}) => ({
  metadata: { name: 'p', uid: 'u' },
  spec: { restartPolicy: o.restartPolicy ?? 'Always', initContainers: (o.init ?? []).map((name) => ({ name })), containers: (o.containers ?? ['web']).map((name) => ({ name })) },
  status: o.status ?? {},
});
const running = { running: { startedAt: T1 } };
const waiting = { waiting: { reason: 'PodInitializing' } };
const ok = { terminated: { exitCode: 0, reason: 'Completed' } };
const unknown = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } };

describe('isPodStatusByKubeletEqual', () => {
  const s: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T1 }] };
  const cases: [string, PodStatus, boolean][] = [
    ['identical', s, true],
    ['only the transition/probe time differs', { ...s, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T2, lastProbeTime: T2 }] }, true],
    ['a condition the kubelet does not own differs', { ...s, conditions: [...s.conditions!, { type: 'example.com/x', status: 'False' }] }, true],
    ['a kubelet condition changed status', { ...s, conditions: [{ type: 'Ready', status: 'False' }] }, false],
    ['a kubelet condition changed reason', { ...s, conditions: [{ type: 'Ready', status: 'True', reason: 'X' }] }, false],
    ['the phase changed', { ...s, phase: 'Failed' }, false],
  ];
  for (const [name, other, want] of cases) it(name, () => assert.equal(isPodStatusByKubeletEqual(s, other), want));
});

describe('mergePodStatus', () => {
  it('keeps the API conditions the kubelet does not own and takes its own from the new status', () => {
    const api: PodStatus = { phase: 'Running', conditions: [{ type: 'example.com/x', status: 'True' }, { type: 'Ready', status: 'False' }, { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] };
    const next: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/x', status: 'False' }] };
    assert.deepEqual(mergePodStatus(api, next, T2).conditions, [api.conditions![0], api.conditions![2], { type: 'Ready', status: 'True' }]);
  });

  it('sends DisruptionTarget only with the transition to a terminal phase', () => {
    const dt = { type: 'DisruptionTarget', status: 'True' as const, reason: 'TerminationByKubelet' };
    assert.equal(mergePodStatus({ phase: 'Running' }, { phase: 'Running', conditions: [dt] }, T2).conditions?.length, 0);
    assert.deepEqual(mergePodStatus({ phase: 'Running' }, { phase: 'Failed', conditions: [dt] }, T2).conditions, [{ ...dt, lastTransitionTime: T2 }]);
  });

  it('never leaves a terminal phase of the API, and a terminal pod is not Ready', () => {
    const m = mergePodStatus({ phase: 'Succeeded' }, { phase: 'Running', reason: 'X', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T1 }, { type: 'ContainersReady', status: 'True', lastTransitionTime: T1 }] }, T2);
    assert.equal(m.phase, 'Succeeded');
    assert.equal(m.reason, undefined);
    assert.deepEqual(m.conditions, [
      { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: T2 },
      { type: 'ContainersReady', status: 'False', reason: 'PodCompleted', lastTransitionTime: T2 },
    ]);
  });
});

describe('terminatePodStatus (TerminatePod)', () => {
  it('running and waiting containers of an initialized pod become ContainerStatusUnknown, the phase Failed', () => {
    const p = pod({ containers: ['a', 'b', 'c'], status: { phase: 'Running', containerStatuses: [cs('a', running), cs('b', ok), cs('c', { waiting: {} }, ok)] } });
    const s = terminatePodStatus(p, undefined);
    assert.equal(s.phase, 'Failed');
    assert.deepEqual(s.containerStatuses?.map((c) => c.state), [unknown, ok, unknown]);
  });

  it('init containers: all but the trailing never-started ones; regular containers untouched before initialization', () => {
    const st: PodStatus = { phase: 'Pending', initContainerStatuses: [cs('i1', ok), cs('i2', running), cs('i3', waiting)], containerStatuses: [cs('web', waiting)] };
    const s = terminatePodStatus(pod({ init: ['i1', 'i2', 'i3'], status: st }), undefined);
    assert.deepEqual(s.initContainerStatuses?.map((c) => c.state), [ok, unknown, waiting]);
    assert.deepEqual(s.containerStatuses?.[0].state, waiting);
    assert.equal(s.phase, 'Failed');
  });

  it('all init containers waiting: the first one is marked', () => {
    const st: PodStatus = { phase: 'Pending', initContainerStatuses: [cs('i1', waiting), cs('i2', waiting)], containerStatuses: [cs('web', waiting)] };
    assert.deepEqual(terminatePodStatus(pod({ init: ['i1', 'i2'], status: st }), undefined).initContainerStatuses?.map((c) => c.state), [unknown, waiting]);
  });

  it('a terminal phase stays; the cached status is preferred over the API one; static pods keep their phase', () => {
    assert.equal(terminatePodStatus(pod({ status: { phase: 'Running' } }), { phase: 'Succeeded' }).phase, 'Succeeded');
    const st = { ...pod({ status: { phase: 'Running' } }), metadata: { name: 'etcd', annotations: { 'kubernetes.io/config.source': 'file' } } };
    assert.equal(terminatePodStatus(st, undefined).phase, 'Running');
  });
});

describe('checkContainerStateTransition', () => {
  const old: PodStatus = { containerStatuses: [cs('web', { terminated: { exitCode: 0 } })] };
  const failedOld: PodStatus = { containerStatuses: [cs('web', { terminated: { exitCode: 1 } })] };
  const next: PodStatus = { containerStatuses: [cs('web', running)] };
  const cases: [string, string, PodStatus, boolean][] = [
    ['Always may restart', 'Always', old, true],
    ['Never may not', 'Never', old, false],
    ['OnFailure after success may not', 'OnFailure', old, false],
    ['OnFailure after failure may', 'OnFailure', failedOld, true],
  ];
  for (const [name, restartPolicy, o, legal] of cases) it(name, () => assert.equal(checkContainerStateTransition(pod({ restartPolicy }), o, next) === undefined, legal));
  it('the message is upstream’s', () => {
    assert.equal(checkContainerStateTransition(pod({ restartPolicy: 'Never' }), old, next), 'terminated container web attempted illegal transition to non-terminated state');
  });
});

describe('prepareStatus', () => {
  it('keeps startTime and unchanged transition times, normalizes the order', () => {
    const p = pod({ containers: ['web', 'app'] });
    const old: PodStatus = { startTime: T1, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: T1 }, { type: 'PodScheduled', status: 'True', lastTransitionTime: T1 }] };
    const next: PodStatus = {
      startTime: T2,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T1 }, { type: 'PodScheduled', status: 'True', lastTransitionTime: T2 }],
      containerStatuses: [cs('web', running), cs('app', running)],
    };
    const s = prepareStatus(p, old, next, T2);
    assert.equal(s.startTime, T1);
    assert.deepEqual(s.conditions?.map((c) => c.lastTransitionTime), [T2, T1]);
    assert.deepEqual(s.containerStatuses?.map((c) => c.name), ['app', 'web']);
    assert.deepEqual(normalizeStatus(p, s), s);
  });
});
