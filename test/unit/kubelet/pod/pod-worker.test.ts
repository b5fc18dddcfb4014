/**
 * The PodWorker running pods with the real SimRuntime on a FakeClock (./harness): a pod comes up (sandbox IP from
 * the IPAM, events, Running status), `sh -c "exit 1"` crash-loops with upstream's CrashLoopBackOff timing and words
 * (doBackOff: restart 1 at once, then 10 s, 20 s … capped at 5 min), restart policies, init containers in order and
 * sidecars gating the regular containers.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cs, HOST_IP, makePod, sh, T0, UID, waitingReason, workerHarness, type WorkerHarness } from './harness';

let h: WorkerHarness;
afterEach(() => h?.dispose());

const NGINX = { name: 'web', image: 'nginx:1.27' };

describe('PodWorker: a pod runs', () => {
  it('sandbox with the IPAM\'s IP, image pulled, container created and started, status Running and Ready', async () => {
    h = workerHarness();
    const w = await h.start(makePod([NGINX]));
    assert.deepEqual([...h.ipam.allocated], [[UID, '10.244.1.5']]);
    const [sb] = await h.runtime.listSandboxes();
    assert.equal(sb.ip, '10.244.1.5');
    assert.equal(sb.podUid, UID);
    assert.ok(w.ownsSandbox(sb.id));
    assert.equal(w.podIP, '10.244.1.5');
    assert.deepEqual(h.recorder.lines().map((l) => l.split(':')[0]), ['Pulling', 'Pulled', 'Created', 'Started']);
    assert.ok(h.recorder.events.every((e) => e.fieldPath === 'spec.containers{web}'));
    const st = h.status.last;
    assert.equal(st.phase, 'Running');
    assert.equal(w.phase, 'Running');
    assert.equal(st.podIP, '10.244.1.5');
    assert.deepEqual(st.podIPs, [{ ip: '10.244.1.5' }]);
    assert.equal(st.hostIP, HOST_IP);
    const c = cs(st, 'web');
    assert.ok(c.state.running);
    assert.equal(c.ready, true);
    assert.equal(c.restartCount, 0);
    const [ctr] = await h.runtime.listContainers();
    assert.equal(c.containerID, `kubelab-sim://${ctr.id}`);
    assert.equal(st.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
    assert.deepEqual(h.prober.added, [UID]);
  });

  it('the prober reads the pod version the worker last saw, status-only updates included (no old copy kept)', async () => {
    h = workerHarness();
    const pod = makePod([NGINX]);
    const w = await h.start(pod);
    assert.equal(h.prober.latest.get(UID), pod);
    const running = { ...pod, metadata: { ...pod.metadata, resourceVersion: '7' }, status: { phase: 'Running' } };
    w.observe(running);
    assert.equal(h.prober.latest.get(UID), running);
    const labelled = { ...running, metadata: { ...running.metadata, resourceVersion: '8', labels: { a: 'b' } } };
    w.update(labelled);
    assert.equal(h.prober.latest.get(UID), labelled);
    assert.deepEqual(h.prober.added, [UID]);
  });

  it('hostNetwork: the node\'s IP, no IPAM allocation', async () => {
    h = workerHarness();
    await h.start(makePod([NGINX], { hostNetwork: true }));
    assert.equal(h.status.last.podIP, HOST_IP);
    assert.deepEqual(h.ipam.allocations, []);
  });

  it('no IPAM yet (no podCIDR): Pending without a sandbox, retried until the IPAM is there', async () => {
    h = workerHarness({ noIpam: true });
    await h.start(makePod([NGINX]));
    assert.equal(h.status.last.phase, 'Pending');
    assert.equal(waitingReason(h.status.last, 'web'), 'ContainerCreating');
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    h.state.ipamReady = true;
    await h.advance(2000);
    assert.equal(h.status.last.phase, 'Running');
    assert.equal(h.status.last.podIP, '10.244.1.5');
  });

  it('while the image is pulled the status already says ContainerCreating (upstream publishes status before SyncPod)', async () => {
    h = workerHarness({ pullMs: 20_000 });
    await h.start(makePod([NGINX]));
    await h.advance(5_000);
    assert.ok(h.status.statuses.length > 0, 'a status was published during the pull');
    assert.equal(h.status.last.phase, 'Pending');
    assert.equal(waitingReason(h.status.last, 'web'), 'ContainerCreating');
  });
});

describe('PodWorker: CrashLoopBackOff (sh -c "exit 1", restartPolicy Always)', () => {
  const started = () => h.recorder.times('Started', T0);

  it('restart 1 at once, 2 after 10 s, 3 after 20 s more; restartCount, lastState and the back-off message', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'exit 1')]));
    assert.deepEqual(started(), [0, 0], 'the first crash restarts at once');
    let c = cs(h.status.last, 'app');
    assert.equal(c.restartCount, 1);
    assert.deepEqual(c.state.waiting, { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=web_default(uid-1)' });
    assert.equal(c.lastState.terminated?.exitCode, 1);
    assert.equal(c.lastState.terminated?.reason, 'Error');
    assert.equal(h.status.last.phase, 'Running');
    assert.deepEqual(h.recorder.lines('BackOff'), ['BackOff: Back-off restarting failed container app in pod web_default(uid-1)']);
    assert.equal(h.recorder.events.find((e) => e.reason === 'BackOff')?.type, 'Warning');

    await h.advance(9_000);
    assert.deepEqual(started(), [0, 0]);
    await h.advance(1_000);
    assert.deepEqual(started(), [0, 0, 10]);
    c = cs(h.status.last, 'app');
    assert.equal(c.restartCount, 2);
    assert.equal(c.state.waiting?.message, 'back-off 20s restarting failed container=app pod=web_default(uid-1)');

    await h.advance(19_000);
    assert.deepEqual(started(), [0, 0, 10]);
    await h.advance(1_000);
    assert.deepEqual(started(), [0, 0, 10, 30]);
    assert.equal(cs(h.status.last, 'app').restartCount, 3);
    assert.equal(cs(h.status.last, 'app').state.waiting?.message, 'back-off 40s restarting failed container=app pod=web_default(uid-1)');
  });

  it('the delay doubles to 5 min and stays there (restarts at 0, 0, 10, 30, 70, 150, 310, 610, 910 s)', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'exit 1')]));
    await h.advance(910_000);
    assert.deepEqual(started(), [0, 0, 10, 30, 70, 150, 310, 610, 910]);
    const c = cs(h.status.last, 'app');
    assert.equal(c.restartCount, 8);
    assert.equal(c.state.waiting?.message, 'back-off 5m0s restarting failed container=app pod=web_default(uid-1)');
  });

  it('only the current and the previous instance are kept in the runtime', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'exit 1')]));
    await h.advance(30_000);
    assert.equal((await h.runtime.listContainers()).length, 2);
  });

  it('a container that ran for more than 10 min (twice the cap) before crashing restarts at once again', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'sleep 700; exit 1')]));
    await h.advance(1_400_000);
    assert.deepEqual(started(), [0, 700, 1400]);
    assert.equal(h.recorder.lines('BackOff').length, 0);
  });

  it('the back-off entry is refreshed when the container restarts, not when it last finished (flowcontrol Next stores Clock.Now())', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'sleep 595; exit 1')]));
    await h.advance(1_795_000);
    assert.deepEqual(started(), [0, 595, 1200]);
    assert.equal(cs(h.status.last, 'app').state.waiting?.message, 'back-off 20s restarting failed container=app pod=web_default(uid-1)');
  });

  it('exit 0 with restartPolicy Always is restarted too (Completed, then CrashLoopBackOff)', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'exit 0')]));
    const c = cs(h.status.last, 'app');
    assert.equal(c.restartCount, 1);
    assert.equal(c.state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(c.lastState.terminated?.reason, 'Completed');
  });
});

describe('PodWorker: restartPolicy Never and OnFailure', () => {
  const cases: [string, string, string, number][] = [
    ['Never', 'exit 1', 'Failed', 0],
    ['Never', 'exit 0', 'Succeeded', 0],
    ['OnFailure', 'exit 0', 'Succeeded', 0],
  ];
  for (const [policy, script, phase, restarts] of cases) {
    it(`${policy}, ${script}: ${phase}, not restarted; the sandbox stops and the IP is released`, async () => {
      h = workerHarness();
      const w = await h.start(makePod([sh('app', script)], { restartPolicy: policy }));
      await h.advance(60_000);
      const st = h.status.last;
      assert.equal(st.phase, phase);
      assert.equal(w.phase, phase);
      const c = cs(st, 'app');
      assert.equal(c.restartCount, restarts);
      assert.equal(c.state.terminated?.exitCode, script === 'exit 1' ? 1 : 0);
      assert.equal(h.recorder.times('Started', T0).length, 1);
      assert.equal((await h.runtime.listSandboxes())[0].state, 'notready');
      assert.deepEqual(h.ipam.released, [UID]);
      assert.deepEqual(h.prober.removed, [UID]);
    });
  }

  it('OnFailure, exit 1: restarted with CrashLoopBackOff', async () => {
    h = workerHarness();
    await h.start(makePod([sh('app', 'exit 1')], { restartPolicy: 'OnFailure' }));
    await h.advance(10_000);
    assert.deepEqual(h.recorder.times('Started', T0), [0, 0, 10]);
    assert.equal(h.status.last.phase, 'Running');
  });

  it('Never with two containers: Running while one still runs, the exited one stays terminated', async () => {
    h = workerHarness();
    await h.start(makePod([sh('a', 'exit 3'), NGINX], { restartPolicy: 'Never' }));
    await h.advance(30_000);
    assert.equal(h.status.last.phase, 'Running');
    assert.equal(cs(h.status.last, 'a').state.terminated?.exitCode, 3);
    assert.equal(h.recorder.times('Started', T0, 'spec.containers{a}').length, 1);
  });
});

describe('PodWorker: init containers', () => {
  it('run one after the other, each to completion, before the regular containers', async () => {
    h = workerHarness();
    await h.start(makePod([NGINX], { initContainers: [sh('init1', 'sleep 5'), sh('init2', 'sleep 3')] }));
    let st = h.status.last;
    assert.equal(st.phase, 'Pending');
    assert.ok(cs(st, 'init1').state.running);
    assert.equal(waitingReason(st, 'init2'), 'PodInitializing');
    assert.equal(waitingReason(st, 'web'), 'PodInitializing');
    await h.advance(5_000);
    st = h.status.last;
    assert.equal(cs(st, 'init1').state.terminated?.reason, 'Completed');
    assert.ok(cs(st, 'init2').state.running);
    await h.advance(3_000);
    st = h.status.last;
    assert.equal(st.phase, 'Running');
    assert.ok(cs(st, 'web').state.running);
    const order = h.recorder.events.filter((e) => e.reason === 'Started').map((e) => `${e.fieldPath}@${(e.time - T0) / 1000}`);
    assert.deepEqual(order, ['spec.initContainers{init1}@0', 'spec.initContainers{init2}@5', 'spec.containers{web}@8']);
    assert.equal(st.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });

  it('a failing init container with restartPolicy Never fails the pod; the regular containers never start', async () => {
    h = workerHarness();
    await h.start(makePod([NGINX], { restartPolicy: 'Never', initContainers: [sh('init', 'exit 2')] }));
    await h.advance(30_000);
    assert.equal(h.status.last.phase, 'Failed');
    assert.equal(cs(h.status.last, 'init').state.terminated?.exitCode, 2);
    assert.equal(h.recorder.events.filter((e) => e.fieldPath === 'spec.containers{web}').length, 0);
    assert.deepEqual(h.ipam.released, [UID]);
  });

  it('a failing init container with restartPolicy Always is retried with back-off; the pod stays Pending', async () => {
    h = workerHarness();
    await h.start(makePod([NGINX], { initContainers: [sh('init', 'exit 2')] }));
    await h.advance(30_000);
    assert.deepEqual(h.recorder.times('Started', T0), [0, 0, 10, 30]);
    assert.equal(h.status.last.phase, 'Pending');
    assert.equal(waitingReason(h.status.last, 'init'), 'CrashLoopBackOff');
  });

  it('a sidecar (restartPolicy Always init container) must be started before the regular containers start', async () => {
    h = workerHarness();
    h.prober.verdicts.set('proxy', { ready: false, started: false });
    const w = await h.start(makePod([sh('app', 'sleep 3600')], { initContainers: [{ name: 'proxy', image: 'nginx:1.27', restartPolicy: 'Always' }] }));
    await h.advance(5_000);
    assert.deepEqual(h.recorder.times('Started', T0), [0], 'only the sidecar');
    assert.equal(h.status.last.phase, 'Pending');
    h.prober.verdicts.set('proxy', { ready: true, started: true });
    w.kick();
    await h.settle();
    assert.equal(h.recorder.times('Started', T0, 'spec.containers{app}').length, 1);
    assert.equal(h.status.last.phase, 'Running');
  });
});
