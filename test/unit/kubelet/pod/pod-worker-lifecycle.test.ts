/**
 * The PodWorker's lifecycle with the real SimRuntime on a FakeClock (./harness): deletion with a grace period
 * (SIGTERM ignored → SIGKILL at the grace; preStop first; upstream killContainer's Killing event and 2 s minimum
 * window), removed() cleaning the sandbox and the IP, adopt() after a kubelet restart, close() leaving no timers,
 * kills for a failed liveness probe and a changed image, a dead sandbox, and image / configuration errors as the
 * worker retries them.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ApiPod } from '../../../../src/kubelet/pod/pod-worker';
import { cs, makePod, sh, T0, UID, waitingReason, workerHarness, type WorkerHarness } from './harness';

let h: WorkerHarness;
afterEach(() => h?.dispose());

const deleting = (pod: ApiPod, grace: number): ApiPod => ({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date(h.clock.now()).toISOString(), deletionGracePeriodSeconds: grace } });
const sleeper = (extra: Record<string, unknown> = {}) => sh('app', 'sleep 3600', extra);

describe('PodWorker: deletion', () => {
  it('SIGTERM ignored: killed (137) when the grace period ends; then the sandbox stops, the IP is released, terminated() is called', async () => {
    h = workerHarness();
    const pod = makePod([sleeper()]);
    const w = await h.start(pod);
    const t = h.secs();
    w.update(deleting(pod, 30));
    await h.settle();
    assert.deepEqual(h.recorder.lines('Killing'), ['Killing: Stopping container app']);
    await h.advance(29_000);
    assert.equal((await h.runtime.listContainers())[0].state, 'running');
    assert.deepEqual(h.status.terminatedAt, []);
    await h.advance(1_000);
    const [c] = await h.runtime.listContainers();
    assert.equal(c.exitCode, 137);
    assert.equal(c.finishedAt, T0 + (t + 30) * 1000);
    assert.deepEqual(h.status.terminatedAt, [T0 + (t + 30) * 1000]);
    assert.equal(cs(h.status.last, 'app').state.terminated?.exitCode, 137);
    assert.equal((await h.runtime.listSandboxes())[0].state, 'notready');
    assert.deepEqual(h.ipam.released, [UID]);
    assert.deepEqual(h.prober.removed, [UID]);
  });

  it('a container that handles SIGTERM exits at once (0) and the pod is terminated without waiting for the grace', async () => {
    h = workerHarness();
    const pod = makePod([{ name: 'web', image: 'nginx:1.27' }]);
    const w = await h.start(pod);
    w.update(deleting(pod, 30));
    await h.advance(1_000);
    assert.equal((await h.runtime.listContainers())[0].exitCode, 0);
    assert.equal(h.status.terminatedAt.length, 1);
  });

  it('the grace period comes from deletionGracePeriodSeconds, else terminationGracePeriodSeconds', async () => {
    h = workerHarness();
    const pod = makePod([sleeper()], { terminationGracePeriodSeconds: 5 });
    const w = await h.start(pod);
    w.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date(h.clock.now()).toISOString() } });
    await h.advance(5_000);
    assert.equal((await h.runtime.listContainers())[0].exitCode, 137);
    assert.equal(h.status.terminatedAt.length, 1);
  });

  it('preStop exec runs first; SIGTERM is sent when it returns (a container that handles SIGTERM exits then)', async () => {
    h = workerHarness();
    const pod = makePod([{ name: 'web', image: 'nginx:1.27', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } } }]);
    const w = await h.start(pod);
    w.update(deleting(pod, 30));
    await h.advance(4_000);
    assert.equal((await h.runtime.listContainers())[0].state, 'running', 'SIGTERM waits for the hook');
    await h.advance(2_000);
    const [c] = await h.runtime.listContainers();
    assert.equal(c.exitCode, 0, 'nginx exits on SIGTERM');
    assert.equal(h.status.terminatedAt.length, 1);
    assert.deepEqual(h.recorder.lines('FailedPreStopHook'), []);
  });

  it('preStop, then SIGTERM ignored: the kill still comes when the whole grace period is over', async () => {
    h = workerHarness();
    const pod = makePod([sleeper({ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } } })]);
    const w = await h.start(pod);
    w.update(deleting(pod, 30));
    await h.advance(29_000);
    assert.equal((await h.runtime.listContainers())[0].state, 'running');
    await h.advance(1_000);
    assert.equal((await h.runtime.listContainers())[0].exitCode, 137);
  });

  it('a failing preStop hook: Warning FailedPreStopHook "PreStopHook failed"', async () => {
    h = workerHarness();
    const pod = makePod([sleeper({ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'exit 3'] } } } })]);
    const w = await h.start(pod);
    w.update(deleting(pod, 2));
    await h.advance(2_000);
    assert.deepEqual(h.recorder.lines('FailedPreStopHook'), ['FailedPreStopHook: PreStopHook failed']);
    assert.equal(h.recorder.events.find((e) => e.reason === 'FailedPreStopHook')?.type, 'Warning');
  });

  it('the Killing event is recorded when termination starts, before the preStop hook runs (killContainer)', async () => {
    h = workerHarness();
    const pod = makePod([sleeper({ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } } })]);
    const w = await h.start(pod);
    const t = h.secs();
    w.update(deleting(pod, 30));
    await h.advance(6_000);
    assert.deepEqual(h.recorder.times('Killing', T0), [t]);
  });

  it('a preStop hook that uses the whole grace still leaves the container 2 s after SIGTERM (minimumGracePeriodInSeconds)', async () => {
    h = workerHarness();
    const pod = makePod([sleeper({ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 60'] } } } })]);
    const w = await h.start(pod);
    w.update(deleting(pod, 10));
    await h.advance(11_000);
    assert.equal((await h.runtime.listContainers())[0].state, 'running', 'still in its 2 s window');
    await h.advance(1_000);
    assert.equal((await h.runtime.listContainers())[0].exitCode, 137);
  });

  it('regular containers stop first, then the sidecars in reverse order (each after the one before has exited)', async () => {
    h = workerHarness();
    const slow = (name: string) => ({ name, image: 'nginx:1.27', env: [{ name: 'KUBELAB_SIM_STOP_DELAY', value: '2s' }] });
    const pod = makePod([slow('app')], { initContainers: [{ ...slow('s1'), restartPolicy: 'Always' }, { ...slow('s2'), restartPolicy: 'Always' }] });
    const w = await h.start(pod);
    assert.equal(h.status.last.phase, 'Running');
    const t = h.secs();
    w.update(deleting(pod, 30));
    await h.advance(10_000);
    const finished = Object.fromEntries((await h.runtime.listContainers()).map((c) => [c.name, (c.finishedAt! - T0) / 1000 - t]));
    assert.deepEqual(finished, { app: 2, s2: 4, s1: 6 });
    assert.equal(h.status.terminatedAt.length, 1);
  });

  it('a crash-looping pod being deleted is not restarted', async () => {
    h = workerHarness();
    const pod = makePod([sh('app', 'exit 1')]);
    const w = await h.start(pod);
    w.update(deleting(pod, 30));
    await h.advance(30_000);
    assert.deepEqual(h.recorder.times('Started', T0), [0, 0]);
    assert.equal(h.status.terminatedAt.length, 1);
    assert.equal(waitingReason(h.status.last, 'app'), undefined, 'no CrashLoopBackOff once deleting');
  });
});

describe('PodWorker: removed()', () => {
  it('after termination: the sandbox and its containers are removed, the status manager and the kubelet are told', async () => {
    h = workerHarness();
    const pod = makePod([{ name: 'web', image: 'nginx:1.27' }]);
    const w = await h.start(pod);
    w.update(deleting(pod, 30));
    await h.advance(1_000);
    const published = h.status.statuses.length;
    w.removed();
    await h.settle();
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    assert.deepEqual(await h.runtime.listContainers(), []);
    assert.deepEqual(h.status.removed, [UID]);
    assert.deepEqual(h.gone, [UID]);
    assert.equal(h.status.statuses.length, published, 'no status after the pod is gone');
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('a running pod that left the API: stopped with its grace, sandbox removed, IP released, no status written', async () => {
    h = workerHarness();
    const w = await h.start(makePod([sleeper()], { terminationGracePeriodSeconds: 3 }));
    const published = h.status.statuses.length;
    w.removed();
    await h.advance(3_000);
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    assert.deepEqual(h.ipam.released, [UID]);
    assert.deepEqual(h.gone, [UID]);
    assert.deepEqual(h.status.terminatedAt, []);
    assert.equal(h.status.statuses.length, published);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('forgets the pod\'s back-off entries', async () => {
    h = workerHarness();
    const w = await h.start(makePod([sh('app', 'exit 1')], { terminationGracePeriodSeconds: 0 }));
    assert.equal(h.restartBackoff.get(`${UID}/app/busybox:1.36`), 10_000);
    w.removed();
    await h.settle();
    assert.equal(h.restartBackoff.get(`${UID}/app/busybox:1.36`), 0);
  });
});

describe('PodWorker: adopt() and close()', () => {
  it('a new worker takes over a running pod after a kubelet restart: nothing recreated, same container, same IP', async () => {
    h = workerHarness();
    const pod = makePod([{ name: 'web', image: 'nginx:1.27' }]);
    const a = await h.start(pod);
    const [sb] = await h.runtime.listSandboxes();
    const before = cs(h.status.last, 'web').containerID;
    a.close();
    const events = h.recorder.events.length;
    const b = h.worker(pod);
    b.adopt(sb.id, sb.ip, await h.runtime.listContainers({ sandboxId: sb.id }));
    b.kick();
    await h.settle();
    assert.equal(h.recorder.events.length, events, 'no new events');
    assert.equal(h.status.last.phase, 'Running');
    assert.equal(cs(h.status.last, 'web').containerID, before);
    assert.equal(h.status.last.podIP, sb.ip);
    assert.equal(h.ipam.allocations.length, 1);
    assert.equal((await h.runtime.listSandboxes()).length, 1);
  });

  it('the adopted history gives lastState; the new worker goes on restarting', async () => {
    h = workerHarness();
    const pod = makePod([sh('app', 'exit 1')]);
    const a = await h.start(pod);
    await h.advance(10_000);
    a.close();
    const [sb] = await h.runtime.listSandboxes();
    assert.equal(cs(h.status.last, 'app').restartCount, 2);
    const b = h.worker({ ...pod, status: h.status.last } as ApiPod);
    b.adopt(sb.id, sb.ip, await h.runtime.listContainers({ sandboxId: sb.id }));
    b.kick();
    await h.settle();
    assert.equal(cs(h.status.last, 'app').lastState.terminated?.exitCode, 1);
    await h.advance(20_000);
    assert.ok(h.recorder.times('Started', T0).length >= 4, 'restarted by the new worker');
  });

  it('the restart count survives a kubelet restart (upstream keeps it in the container\'s restartCount annotation)', async () => {
    h = workerHarness();
    const pod = makePod([sh('app', 'exit 1')]);
    const a = await h.start(pod);
    await h.advance(10_000);
    assert.equal(cs(h.status.last, 'app').restartCount, 2);
    a.close();
    const [sb] = await h.runtime.listSandboxes();
    const b = h.worker({ ...pod, status: h.status.last } as ApiPod);
    b.adopt(sb.id, sb.ip, await h.runtime.listContainers({ sandboxId: sb.id }));
    b.kick();
    await h.settle();
    assert.equal(cs(h.status.last, 'app').restartCount, 2);
  });

  it('close() during CrashLoopBackOff leaves no timer: nothing happens afterwards', async () => {
    h = workerHarness();
    const w = await h.start(makePod([sh('app', 'exit 1')]));
    assert.ok(h.clock.pendingTimers() > 0, 'the back-off wake-up is pending');
    w.close();
    assert.equal(h.clock.pendingTimers(), 0);
    await h.advance(3_600_000);
    assert.deepEqual(h.recorder.times('Started', T0), [0, 0]);
  });

  it('close() keeps the containers running (the kubelet stops, the runtime does not)', async () => {
    h = workerHarness();
    const w = await h.start(makePod([sleeper()]));
    w.close();
    w.kick();
    await h.advance(5_000);
    assert.equal((await h.runtime.listContainers())[0].state, 'running');
  });
});
