/**
 * generatePodStatus from pod-worker views: the whole status of a fresh pod, container states (containerID, imageID,
 * lastState, waiting reasons), probes → started/ready, phases per restartPolicy with init containers and sidecars,
 * conditions with upstream's reasons and messages, preserved transition times / startTime / terminal phases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rfc3339 } from '../../../../src/kubelet/node/identity';
import type { ContainerRecord, PodView, ProbeVerdict } from '../../../../src/kubelet/pod/pod-view';
import type { ContainerStatus } from '../../../../src/kubelet/runtime/runtime';
import { generatePodStatus } from '../../../../src/kubelet/status/generate';
import type { PodCondition, PodStatus } from '../../../../src/kubelet/status/types';

const T0 = Date.UTC(2026, 0, 1, 12);
const at = (s: number) => rfc3339(T0 + s * 1000);
const NOW = T0 + 60_000;
const IMAGE_ID = `sha256:${'ab'.repeat(32)}`;

function ctr(id: string, name: string, state: ContainerStatus['state'], o: Partial<ContainerStatus> = {}): ContainerStatus {
  const base: ContainerStatus = { id, sandboxId: 'sb1', name, image: 'nginx', imageId: IMAGE_ID, state, createdAt: T0, ...(state !== 'created' ? { startedAt: T0 + 1000 } : {}) };
  if (state === 'exited') Object.assign(base, { finishedAt: T0 + 5000, exitCode: 0, reason: 'Completed' });
  return { ...base, ...o };
}
const exited = (id: string, name: string, exitCode: number, o: Partial<ContainerStatus> = {}) => ctr(id, name, 'exited', { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', ...o });

interface PodOpts {
  restartPolicy?: string;
  containers?: Record<string, unknown>[];
  initContainers?: Record<string, unknown>[];
  status?: PodStatus;
  deletionTimestamp?: string;
  readinessGates?: string[];
  hostNetwork?: boolean;
}
function pod(o: PodOpts = {}): PodView['pod'] {
  return {
    metadata: { name: 'web-0', namespace: 'default', uid: 'u1', ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp } : {}) },
    spec: {
      nodeName: 'n1',
      restartPolicy: o.restartPolicy ?? 'Always',
      containers: o.containers ?? [{ name: 'web', image: 'nginx' }],
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.readinessGates ? { readinessGates: o.readinessGates.map((conditionType) => ({ conditionType })) } : {}),
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
    },
    status: o.status ?? { phase: 'Pending', qosClass: 'BestEffort' },
  };
}
const rec = (name: string, o: Partial<ContainerRecord> = {}): ContainerRecord => ({ name, kind: 'regular', restartCount: 0, ...o });
const initRec = (name: string, o: Partial<ContainerRecord> = {}): ContainerRecord => ({ name, kind: 'init', restartCount: 0, ...o });
const sandbox = { id: 'sb1', podUid: 'u1', state: 'ready' as const, ip: '10.244.1.5', createdAt: T0, config: { ip: '10.244.1.5' } };

function view(p: PodView['pod'], containers: ContainerRecord[], o: Partial<PodView> & { verdicts?: Record<string, ProbeVerdict> } = {}): PodView {
  const { verdicts, ...rest } = o;
  return { pod: p, sandbox, containers, probes: new Map(Object.entries(verdicts ?? {})), hostIP: '172.18.0.3', podIP: '10.244.1.5', ...rest };
}
const gen = (v: PodView, runtimeName?: string) => generatePodStatus(v, NOW, runtimeName ? { runtimeName } : {});
const cond = (s: PodStatus, type: string) => s.conditions?.find((c) => c.type === type);
const brief = (c: PodCondition | undefined) => (c ? [c.status, c.reason ?? '', c.message ?? ''].join('|') : 'absent');
const cs = (s: PodStatus, name: string) => [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])].find((c) => c.name === name)!;

describe('generatePodStatus: a fresh pod', () => {
  it('before anything was created: Pending, ContainerCreating, every kubelet condition', () => {
    const s = gen(view(pod(), [rec('web')], { sandbox: undefined, podIP: undefined }));
    assert.deepEqual(s, {
      phase: 'Pending',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: at(60) },
        { type: 'Initialized', status: 'True', lastTransitionTime: at(60) },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]', lastTransitionTime: at(60) },
        { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]', lastTransitionTime: at(60) },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: at(60) },
      ],
      hostIP: '172.18.0.3',
      hostIPs: [{ ip: '172.18.0.3' }],
      startTime: at(60),
      containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'nginx', imageID: '', started: false }],
      qosClass: 'BestEffort',
    });
  });

  it('running without probes: Running and Ready, containerID/imageID as containerd reports them', () => {
    const s = gen(view(pod(), [rec('web', { current: ctr('c1', 'web', 'running') })]));
    assert.equal(s.phase, 'Running');
    assert.equal(s.podIP, '10.244.1.5');
    assert.deepEqual(s.podIPs, [{ ip: '10.244.1.5' }]);
    assert.deepEqual(s.containerStatuses, [
      {
        name: 'web',
        state: { running: { startedAt: at(1) } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'docker.io/library/nginx:latest',
        imageID: `docker.io/library/nginx@${IMAGE_ID}`,
        containerID: 'kubelab-sim://c1',
        started: true,
      },
    ]);
    for (const t of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']) assert.equal(brief(cond(s, t)), 'True||', t);
  });

  it('the runtime name comes from the caller', () => {
    const s = gen(view(pod(), [rec('web', { current: ctr('c1', 'web', 'exited'), restartCount: 0 })], {}), 'process');
    assert.equal(cs(s, 'web').containerID, 'process://c1');
    assert.equal(cs(s, 'web').state.terminated?.containerID, 'process://c1');
  });

  it('container statuses are sorted by name, condition messages follow the spec order', () => {
    const p = pod({ containers: [{ name: 'web', image: 'nginx' }, { name: 'app', image: 'busybox' }] });
    const s = gen(view(p, [rec('web'), rec('app')]));
    assert.deepEqual(s.containerStatuses?.map((c) => c.name), ['app', 'web']);
    assert.equal(cond(s, 'ContainersReady')?.message, 'containers with unready status: [web app]');
  });

  it('hostNetwork pods take the node IP', () => {
    const s = gen(view(pod({ hostNetwork: true }), [rec('web', { current: ctr('c1', 'web', 'running') })], { podIP: undefined }));
    assert.deepEqual([s.podIP, s.podIPs], ['172.18.0.3', [{ ip: '172.18.0.3' }]]);
  });
});

describe('generatePodStatus: probes', () => {
  const probed = (probe: Record<string, unknown>) => pod({ containers: [{ name: 'web', image: 'nginx', ...probe }] });
  const running = [rec('web', { current: ctr('c1', 'web', 'running') })];
  const cases: [string, Record<string, unknown>, Record<string, ProbeVerdict>, boolean, boolean][] = [
    ['readiness probe not yet run', { readinessProbe: { tcpSocket: { port: 80 } } }, {}, true, false],
    ['readiness probe failing', { readinessProbe: { tcpSocket: { port: 80 } } }, { web: { ready: false, started: true } }, true, false],
    ['readiness probe passed', { readinessProbe: { tcpSocket: { port: 80 } } }, { web: { ready: true, started: true } }, true, true],
    ['startup probe not yet passed', { startupProbe: { tcpSocket: { port: 80 } } }, {}, false, false],
    ['startup probe passed, no readiness probe', { startupProbe: { tcpSocket: { port: 80 } } }, { web: { ready: true, started: true } }, true, true],
  ];
  for (const [name, probe, verdicts, started, ready] of cases)
    it(name, () => {
      const s = gen(view(probed(probe), running, { verdicts }));
      assert.deepEqual([cs(s, 'web').started, cs(s, 'web').ready], [started, ready]);
      assert.equal(brief(cond(s, 'Ready')), ready ? 'True||' : 'False|ContainersNotReady|containers with unready status: [web]');
      assert.equal(s.phase, 'Running');
    });
});

describe('generatePodStatus: init containers and sidecars', () => {
  const withInit = (restartPolicy = 'Always', init: Record<string, unknown> = { name: 'init', image: 'busybox' }) => pod({ restartPolicy, initContainers: [init] });

  it('init container running: Pending, PodInitializing, Initialized False with incomplete status', () => {
    const s = gen(view(withInit(), [initRec('init', { current: ctr('i1', 'init', 'running', { image: 'busybox' }) }), rec('web')]));
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(cs(s, 'web').state, { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual([cs(s, 'init').started, cs(s, 'init').ready], [true, false]);
    assert.equal(brief(cond(s, 'Initialized')), 'False|ContainersNotInitialized|containers with incomplete status: [init]');
    assert.equal(brief(cond(s, 'Ready')), 'False|ContainersNotReady|containers with unready status: [web]');
  });

  it('init container completed, container running: Running, init ready', () => {
    const s = gen(view(withInit(), [initRec('init', { current: exited('i1', 'init', 0) }), rec('web', { current: ctr('c1', 'web', 'running') })]));
    assert.equal(s.phase, 'Running');
    assert.equal(cs(s, 'init').state.terminated?.reason, 'Completed');
    assert.deepEqual([cs(s, 'init').ready, cs(s, 'init').started], [true, false]);
    assert.equal(brief(cond(s, 'Initialized')), 'True||');
  });

  it('failed init container with restartPolicy Never: Failed, Ready False PodFailed', () => {
    const s = gen(view(withInit('Never'), [initRec('init', { current: exited('i1', 'init', 1) }), rec('web')]));
    assert.equal(s.phase, 'Failed');
    assert.equal(brief(cond(s, 'Ready')), 'False|PodFailed|');
    assert.equal(brief(cond(s, 'ContainersReady')), 'False|PodFailed|');
    assert.equal(brief(cond(s, 'Initialized')), 'False|ContainersNotInitialized|containers with incomplete status: [init]');
    assert.deepEqual(cs(s, 'web').state, { waiting: { reason: 'PodInitializing' } });
  });

  it('failed init container with restartPolicy Always: Pending in CrashLoopBackOff', () => {
    const waiting = { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=init pod=web-0_default(u1)' };
    const s = gen(view(withInit(), [initRec('init', { current: exited('i1', 'init', 1), restartCount: 1, waiting }), rec('web')]));
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(cs(s, 'init').state, { waiting });
    assert.equal(cs(s, 'init').lastState.terminated?.exitCode, 1);
    assert.equal(cs(s, 'init').restartCount, 1);
  });

  it('a sidecar must start before the pod initializes, and counts for readiness', () => {
    const sidecar = { name: 'proxy', image: 'envoy', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 1 } }, readinessProbe: { tcpSocket: { port: 1 } } };
    const p = withInit('Always', sidecar);
    const notStarted = gen(view(p, [initRec('proxy', { sidecar: true, current: ctr('s1', 'proxy', 'running') }), rec('web')]));
    assert.equal(notStarted.phase, 'Pending');
    assert.equal(brief(cond(notStarted, 'Initialized')), 'False|ContainersNotInitialized|containers with incomplete status: [proxy]');
    const startedNotReady = gen(
      view(p, [initRec('proxy', { sidecar: true, current: ctr('s1', 'proxy', 'running') }), rec('web', { current: ctr('c1', 'web', 'running') })], { verdicts: { proxy: { started: true, ready: false } } }),
    );
    assert.equal(startedNotReady.phase, 'Running');
    assert.equal(brief(cond(startedNotReady, 'Initialized')), 'True||');
    assert.equal(brief(cond(startedNotReady, 'ContainersReady')), 'False|ContainersNotReady|containers with unready status: [proxy]');
    const ready = gen(
      view(p, [initRec('proxy', { sidecar: true, current: ctr('s1', 'proxy', 'running') }), rec('web', { current: ctr('c1', 'web', 'running') })], { verdicts: { proxy: { started: true, ready: true } } }),
    );
    assert.equal(brief(cond(ready, 'Ready')), 'True||');
  });
});

describe('generatePodStatus: restarts and ends', () => {
  it('CrashLoopBackOff: waiting with the worker reason, lastState the exited instance', () => {
    const waiting = { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=web pod=web-0_default(u1)' };
    const current = exited('c2', 'web', 1);
    const s = gen(view(pod(), [rec('web', { current, previous: exited('c1', 'web', 1), restartCount: 1, waiting })]));
    assert.equal(s.phase, 'Running');
    assert.deepEqual(cs(s, 'web').state, { waiting });
    assert.deepEqual(cs(s, 'web').lastState, { terminated: { exitCode: 1, reason: 'Error', startedAt: at(1), finishedAt: at(5), containerID: 'kubelab-sim://c2' } });
    assert.equal(cs(s, 'web').restartCount, 1);
    assert.equal(cs(s, 'web').containerID, 'kubelab-sim://c2');
  });

  it('a restarted container: running, lastState from the previous instance', () => {
    const s = gen(view(pod(), [rec('web', { current: ctr('c2', 'web', 'running'), previous: exited('c1', 'web', 137, { reason: 'OOMKilled' }), restartCount: 1 })]));
    assert.equal(cs(s, 'web').lastState.terminated?.reason, 'OOMKilled');
    assert.equal(cs(s, 'web').lastState.terminated?.containerID, 'kubelab-sim://c1');
  });

  const phases: [string, string, number, boolean, string | undefined, string][] = [
    ['Never, exit 0', 'Never', 0, false, undefined, 'Succeeded'],
    ['Never, exit 1', 'Never', 1, false, undefined, 'Failed'],
    ['OnFailure, exit 0', 'OnFailure', 0, false, undefined, 'Succeeded'],
    ['OnFailure, exit 1 (restarting)', 'OnFailure', 1, false, undefined, 'Running'],
    ['Always, exit 0 (restarting)', 'Always', 0, false, undefined, 'Running'],
    ['deleted, Always, SIGTERM, worker still stopping', 'Always', 143, false, '2026-01-01T12:00:30Z', 'Running'],
    ['deleted, Always, SIGTERM, worker done', 'Always', 143, true, '2026-01-01T12:00:30Z', 'Failed'],
    ['deleted, Always, exit 0, worker done', 'Always', 0, true, '2026-01-01T12:00:30Z', 'Succeeded'],
    ['deleted, OnFailure, killed, worker done', 'OnFailure', 137, true, '2026-01-01T12:00:30Z', 'Failed'],
  ];
  for (const [name, restartPolicy, code, terminated, deletionTimestamp, want] of phases)
    it(`phase: ${name} → ${want}`, () => {
      const s = gen(view(pod({ restartPolicy, deletionTimestamp }), [rec('web', { current: exited('c1', 'web', code) })], { terminated }));
      assert.equal(s.phase, want);
      if (want === 'Succeeded') {
        assert.equal(brief(cond(s, 'Ready')), 'False|PodCompleted|');
        assert.equal(brief(cond(s, 'Initialized')), 'True|PodCompleted|');
      }
      if (want === 'Failed') assert.equal(brief(cond(s, 'ContainersReady')), 'False|PodFailed|');
    });

  it('a worker reason does not override a container that will not restart (Never) or a pod being deleted', () => {
    const waiting = { reason: 'CrashLoopBackOff' };
    const never = gen(view(pod({ restartPolicy: 'Never' }), [rec('web', { current: exited('c1', 'web', 1), waiting })]));
    assert.equal(cs(never, 'web').state.terminated?.exitCode, 1);
    const deleting = gen(view(pod({ deletionTimestamp: at(30) }), [rec('web', { current: exited('c1', 'web', 1), waiting })]));
    assert.equal(cs(deleting, 'web').state.terminated?.exitCode, 1);
  });

  it('a terminal phase in the API is never left; its reason and message stay', () => {
    const p = pod({ status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', qosClass: 'BestEffort' } });
    const s = gen(view(p, [rec('web', { current: ctr('c1', 'web', 'running') })]));
    assert.deepEqual([s.phase, s.reason, s.message], ['Failed', 'Evicted', 'The node was low on resource: memory.']);
    assert.equal(brief(cond(s, 'Ready')), 'False|PodFailed|');
  });

  it('a container that vanished from the runtime after running is shown stopped (ContainerStatusUnknown)', () => {
    const old = { name: 'web', state: { running: { startedAt: at(1) } }, lastState: {}, ready: true, restartCount: 0, image: 'nginx', imageID: 'x', containerID: 'kubelab-sim://c1', started: true };
    const s = gen(view(pod({ status: { phase: 'Running', containerStatuses: [old] } }), [rec('web')]));
    assert.deepEqual(cs(s, 'web').lastState, {
      terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' },
    });
    assert.equal(cs(s, 'web').restartCount, 1);
    assert.equal(s.phase, 'Running');
  });

  it('a terminated status whose container is gone stays terminated', () => {
    const old = { name: 'web', state: { terminated: { exitCode: 0, reason: 'Completed', containerID: 'kubelab-sim://c1' } }, lastState: {}, ready: false, restartCount: 0, image: 'nginx', imageID: 'x' };
    const s = gen(view(pod({ restartPolicy: 'Never', status: { phase: 'Running', containerStatuses: [old] } }), [rec('web')], { sandbox: undefined, podIP: undefined }));
    assert.equal(cs(s, 'web').state.terminated?.reason, 'Completed');
    assert.equal(s.phase, 'Succeeded');
    assert.equal(s.podIP, undefined);
  });
});

describe('generatePodStatus: what is kept from the API status', () => {
  const old: PodStatus = {
    phase: 'Running',
    startTime: at(0),
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at(0) },
      { type: 'example.com/lb', status: 'False', lastTransitionTime: at(0) },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: at(0) },
      { type: 'Initialized', status: 'True', lastTransitionTime: at(0) },
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', lastTransitionTime: at(0) },
    ],
  };
  const running = [rec('web', { current: ctr('c1', 'web', 'running') })];

  it('startTime and unchanged transition times are kept; changed ones are now', () => {
    const s = gen(view(pod({ status: old }), running));
    assert.equal(s.startTime, at(0));
    assert.equal(cond(s, 'PodScheduled')?.lastTransitionTime, at(0));
    assert.equal(cond(s, 'Initialized')?.lastTransitionTime, at(0));
    assert.equal(cond(s, 'Ready')?.lastTransitionTime, at(60));
    assert.equal(cond(s, 'PodReadyToStartContainers')?.lastTransitionTime, at(60));
  });

  it('conditions the kubelet does not own stay first, in API order', () => {
    const s = gen(view(pod({ status: old }), running));
    assert.deepEqual(s.conditions?.map((c) => c.type), ['example.com/lb', 'DisruptionTarget', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    assert.deepEqual(cond(s, 'DisruptionTarget'), old.conditions![4]);
  });

  const gates: [string, PodCondition[], string][] = [
    ['gate condition missing', [], 'False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "example.com/lb" does not exist.'],
    ['gate condition False', [{ type: 'example.com/lb', status: 'False' }], 'False|ReadinessGatesNotReady|the status of pod readiness gate "example.com/lb" is not "True", but False'],
    ['gate condition True', [{ type: 'example.com/lb', status: 'True' }], 'True||'],
  ];
  for (const [name, conditions, want] of gates)
    it(`readiness gate: ${name}`, () => {
      const s = gen(view(pod({ readinessGates: ['example.com/lb'], status: { phase: 'Running', conditions } }), running));
      assert.equal(brief(cond(s, 'Ready')), want);
      assert.equal(brief(cond(s, 'ContainersReady')), 'True||');
    });

  it('the pod IP stays once the sandbox is gone', () => {
    const s = gen(view(pod({ status: old }), running, { sandbox: undefined, podIP: undefined }));
    assert.deepEqual([s.podIP, s.podIPs], ['10.244.1.5', [{ ip: '10.244.1.5' }]]);
    assert.equal(brief(cond(s, 'PodReadyToStartContainers')), 'False||');
  });
});
