/**
 * What makes the PodWorker kill or retry a container, with the real SimRuntime on a FakeClock (./harness): a failed
 * liveness probe, a changed image, a dead sandbox, image pull errors (ErrImagePull / ImagePullBackOff as upstream
 * shows them) and configuration errors (CreateContainerConfigError until the ConfigMap exists).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ApiPod } from '../../../../src/kubelet/pod/pod-worker';
import { cs, makePod, T0, UID, waitingReason, workerHarness, type WorkerHarness } from './harness';

let h: WorkerHarness;
afterEach(() => h?.dispose());

const NGINX = { name: 'web', image: 'nginx:1.27' };

describe('PodWorker: kills', () => {
  it('a failed liveness probe: Killing with the prober\'s message, SIGTERM with the grace, restarted at once (first restart)', async () => {
    h = workerHarness();
    const w = await h.start(makePod([NGINX]));
    const first = cs(h.status.last, 'web').containerID;
    h.prober.failLiveness(UID, 'web', 'Container web failed liveness probe, will be restarted');
    w.kick();
    await h.advance(2_000);
    assert.deepEqual(h.recorder.lines('Killing'), ['Killing: Container web failed liveness probe, will be restarted']);
    const c = cs(h.status.last, 'web');
    assert.ok(c.state.running, 'running again');
    assert.notEqual(c.containerID, first);
    assert.equal(c.restartCount, 1);
    assert.equal(c.lastState.terminated?.exitCode, 0, 'nginx exits 0 on SIGTERM');
    assert.equal(c.lastState.terminated?.containerID, first);
  });

  it('a changed image: Killing "definition changed, will be restarted", a new instance from the new image', async () => {
    h = workerHarness();
    const pod = makePod([NGINX]);
    const w = await h.start(pod);
    w.update(makePod([{ ...NGINX, image: 'nginx:1.28' }]));
    await h.advance(2_000);
    assert.deepEqual(h.recorder.lines('Killing'), ['Killing: Container web definition changed, will be restarted']);
    const c = cs(h.status.last, 'web');
    assert.ok(c.state.running);
    assert.equal(c.image, 'docker.io/library/nginx:1.28');
    assert.equal(c.restartCount, 1);
    assert.equal(h.recorder.lines('BackOff').length, 0);
  });

  it('a changed image restarts a crash-looping container at once, without waiting for the back-off', async () => {
    h = workerHarness();
    const pod = makePod([{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }]);
    const w = await h.start(pod);
    assert.equal(waitingReason(h.status.last, 'app'), 'CrashLoopBackOff');
    await h.advance(2_000);
    w.update(makePod([{ name: 'app', image: 'busybox:1.37', command: ['sh', '-c', 'sleep 3600'] }]));
    await h.settle();
    assert.ok(cs(h.status.last, 'app').state.running);
    assert.deepEqual(h.recorder.times('Started', T0), [0, 0, 2]);
  });

  it('a dead sandbox: SandboxChanged, a new sandbox, the containers start again in it', async () => {
    h = workerHarness();
    const w = await h.start(makePod([NGINX]));
    const [old] = await h.runtime.listSandboxes();
    await h.runtime.stopSandbox(old.id);
    w.kick();
    await h.settle();
    assert.deepEqual(h.recorder.lines('SandboxChanged'), ['SandboxChanged: Pod sandbox changed, it will be killed and re-created.']);
    const sandboxes = await h.runtime.listSandboxes();
    assert.equal(sandboxes.length, 1);
    assert.notEqual(sandboxes[0].id, old.id);
    assert.ok(w.ownsSandbox(sandboxes[0].id));
    const c = cs(h.status.last, 'web');
    assert.ok(c.state.running);
    assert.equal(c.restartCount, 1);
    assert.equal(h.status.last.phase, 'Running');
  });
});

describe('PodWorker: image and configuration errors', () => {
  const BAD = 'doesnotexist/app:1';

  it('ErrImagePull: waiting with the runtime\'s error; pulls again after 10 s, then 20 s', async () => {
    h = workerHarness();
    await h.start(makePod([{ name: 'app', image: BAD }]));
    const c = cs(h.status.last, 'app');
    assert.equal(c.state.waiting?.reason, 'ErrImagePull');
    assert.match(c.state.waiting?.message ?? '', /^rpc error: code = Unknown desc = failed to pull and unpack image "docker\.io\/doesnotexist\/app:1"/);
    assert.equal(h.status.last.phase, 'Pending');
    await h.advance(30_000);
    assert.deepEqual(h.recorder.times('Pulling', T0), [0, 10, 30]);
  });

  it('ErrImagePull turns into ImagePullBackOff while the pull backs off (upstream re-syncs a failed pod every 10 s)', async () => {
    h = workerHarness();
    await h.start(makePod([{ name: 'app', image: BAD }]));
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      const w = cs(h.status.last, 'app').state.waiting;
      seen.push(`${h.secs()} ${w?.reason}`);
      if (w?.reason === 'ImagePullBackOff') assert.match(w.message ?? '', /^Back-off pulling image "doesnotexist\/app:1": ErrImagePull: rpc error: /);
      await h.advance(10_000);
    }
    assert.deepEqual(seen, ['0 ErrImagePull', '10 ErrImagePull', '20 ImagePullBackOff', '30 ErrImagePull', '40 ImagePullBackOff', '50 ImagePullBackOff', '60 ImagePullBackOff']);
  });

  it('InvalidImageName: waiting with the parse error; never pulled', async () => {
    h = workerHarness();
    await h.start(makePod([{ name: 'app', image: 'Nginx:1' }]));
    await h.advance(30_000);
    const c = cs(h.status.last, 'app');
    assert.equal(c.state.waiting?.reason, 'InvalidImageName');
    assert.equal(c.state.waiting?.message, 'Failed to apply default image tag "Nginx:1": couldn\'t parse image name "Nginx:1": invalid reference format: repository name (library/Nginx) must be lowercase');
    assert.deepEqual(h.recorder.times('Pulling', T0), []);
  });

  it('CreateContainerConfigError until the ConfigMap exists, then the container starts with its values', async () => {
    h = workerHarness();
    await h.start(makePod([{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo $(GREETING); sleep 3600'], envFrom: [{ configMapRef: { name: 'cfg' } }] }]));
    let c = cs(h.status.last, 'app');
    assert.deepEqual(c.state.waiting, { reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' });
    assert.equal(h.status.last.phase, 'Pending');
    h.setSource('ConfigMap', 'cfg', { data: { GREETING: 'hello' } });
    await h.advance(10_000);
    c = cs(h.status.last, 'app');
    assert.ok(c.state.running);
    const [ctr] = await h.runtime.listContainers();
    assert.equal(await h.runtime.logs(ctr.id), 'hello\n');
  });

  it('ErrImageNeverPull: waiting with the kubelet\'s message', async () => {
    h = workerHarness();
    await h.start(makePod([{ name: 'app', image: 'busybox:1.36', imagePullPolicy: 'Never' }]));
    assert.deepEqual(cs(h.status.last, 'app').state.waiting, { reason: 'ErrImageNeverPull', message: 'Container image "busybox:1.36" is not present with pull policy of Never' });
  });

  it('the pull time is the simulated one (Pulled … in 2s)', async () => {
    h = workerHarness({ pullMs: 2_000 });
    await h.start(makePod([NGINX]));
    await h.advance(2_000);
    assert.match(h.recorder.lines('Pulled')[0], /^Pulled: Successfully pulled image "nginx:1\.27" in 2s \(2s including waiting\)\. Image size: \d+ bytes\.$/);
    assert.equal(h.status.last.phase, 'Running');
  });

  it('two pods of one image on a node: the second finds it present', async () => {
    h = workerHarness({ pullMs: 2_000 });
    await h.start(makePod([NGINX]));
    await h.advance(2_000);
    await h.start(makePod([NGINX], {}, { name: 'web2', uid: 'uid-2' }) as ApiPod);
    assert.deepEqual(h.recorder.lines('Pulled').slice(1), ['Pulled: Container image "nginx:1.27" already present on machine']);
    assert.deepEqual([...h.ipam.allocated.values()], ['10.244.1.5', '10.244.1.6']);
  });
});
