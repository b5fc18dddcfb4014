/**
 * startContainer with the real SimRuntime on a FakeClock, against upstream pkg/kubelet/images/image_manager.go
 * (EnsureImageExists / pullImage: Pulled, Pulling, Failed, BackOff, InspectFailed, ErrImageNeverPull and their
 * words) and kuberuntime_container.go startContainer (Created, Started, "Error: <reason>" Failed events, waiting
 * reasons and messages). Every event carries the container's field path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { Backoff } from '../../../../src/kubelet/pod/backoff';
import { goDuration } from '../../../../src/kubelet/pod/backoff';
import { startContainer, type StartDeps, type StartInput, type StartResult } from '../../../../src/kubelet/pod/container-start';
import { SimRuntime } from '../../../../src/kubelet/runtime/sim/sim-runtime';
import { FakeRecorder, T0 } from './harness';

type Obj = Record<string, unknown>;
const FIELD = 'spec.containers{app}';
const BUSYBOX_SIZE = 17064872;

async function setup(pullMs = 2000) {
  const clock = new FakeClock(T0);
  const runtime = new SimRuntime({ clock, pullMs });
  const recorder = new FakeRecorder(clock);
  const sources = new Map<string, Obj>();
  const deps: StartDeps = { runtime, clock, recorder, pullBackoff: new Backoff(), read: async (kind, _ns, name) => sources.get(`${kind}/${name}`) };
  const sandboxId = await runtime.createSandbox('uid-1', { ip: '10.244.1.5', name: 'web', namespace: 'default' });
  const pod = { metadata: { name: 'web', namespace: 'default', uid: 'uid-1' }, spec: {} };
  const input = (container: Obj): StartInput => ({ pod, container: { name: 'app', ...container } as StartInput['container'], fieldPath: FIELD, sandboxId, podIP: '10.244.1.5', hostIP: '172.18.0.3' });
  /** Runs startContainer, moving the clock in 1 s steps until it settles (a pull takes pullMs). */
  const start = async (container: Obj): Promise<StartResult> => {
    let done: StartResult | undefined;
    let failed: unknown;
    void startContainer(deps, input(container)).then((r) => (done = r), (e) => (failed = e));
    for (let i = 0; i < 600 && !done && !failed; i++) {
      await new Promise<void>((r) => setImmediate(r));
      if (!done && !failed) clock.advance(i === 0 ? 0 : 1000);
    }
    if (failed) throw failed;
    assert.ok(done, 'startContainer settled');
    return done;
  };
  const take = () => {
    const out = recorder.events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
    assert.ok(recorder.events.every((e) => e.fieldPath === FIELD), 'every event on the container\'s field path');
    recorder.events.length = 0;
    return out;
  };
  return { clock, runtime, recorder, deps, sources, start, take };
}

describe('startContainer: image pull policies', () => {
  it('IfNotPresent, absent: Pulling, Pulled with the time it took and the size, Created, Started; the container runs', async () => {
    const s = await setup(2000);
    const r = await s.start({ image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] });
    assert.ok('id' in r);
    assert.deepEqual(s.take(), [
      'Normal Pulling: Pulling image "busybox:1.36"',
      `Normal Pulled: Successfully pulled image "busybox:1.36" in 2s (2s including waiting). Image size: ${BUSYBOX_SIZE} bytes.`,
      'Normal Created: Created container: app',
      'Normal Started: Started container app',
    ]);
    assert.equal((await s.runtime.containerStatus(r.id)).state, 'running');
    assert.equal(r.imageId, (await s.runtime.imageStatus('busybox:1.36'))?.imageId);
  });

  it('IfNotPresent, present: "already present on machine", no pull, no time spent', async () => {
    const s = await setup(2000);
    await s.start({ image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' });
    s.take();
    const before = s.clock.now();
    await s.start({ image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' });
    assert.deepEqual(s.take(), ['Normal Pulled: Container image "busybox:1.36" already present on machine', 'Normal Created: Created container: app', 'Normal Started: Started container app']);
    assert.equal(s.clock.now(), before);
  });

  it('no imagePullPolicy (the API server always sets one): treated as IfNotPresent', async () => {
    const s = await setup(2000);
    await s.start({ image: 'busybox:1.36' });
    s.take();
    await s.start({ image: 'busybox:1.36' });
    assert.equal(s.take()[0], 'Normal Pulled: Container image "busybox:1.36" already present on machine');
  });

  it('Always, present: pulls again', async () => {
    const s = await setup(3000);
    await s.start({ image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' });
    s.take();
    await s.start({ image: 'busybox:1.36', imagePullPolicy: 'Always' });
    assert.deepEqual(s.take().slice(0, 2), [
      'Normal Pulling: Pulling image "busybox:1.36"',
      `Normal Pulled: Successfully pulled image "busybox:1.36" in 3s (3s including waiting). Image size: ${BUSYBOX_SIZE} bytes.`,
    ]);
  });

  it('Never, absent: ErrImageNeverPull (event, then "Error: ErrImageNeverPull"), waiting with the kubelet\'s message', async () => {
    const s = await setup();
    const r = await s.start({ image: 'busybox:1.36', imagePullPolicy: 'Never' });
    const msg = 'Container image "busybox:1.36" is not present with pull policy of Never';
    assert.deepEqual(r, { waiting: { reason: 'ErrImageNeverPull', message: msg } });
    assert.deepEqual(s.take(), [`Warning ErrImageNeverPull: ${msg}`, 'Warning Failed: Error: ErrImageNeverPull']);
    assert.equal(await s.runtime.imageStatus('busybox:1.36'), undefined, 'nothing pulled');
  });

  it('Never, present: "already present on machine"', async () => {
    const s = await setup();
    await s.start({ image: 'busybox:1.36' });
    s.take();
    const r = await s.start({ image: 'busybox:1.36', imagePullPolicy: 'Never' });
    assert.ok('id' in r);
    assert.equal(s.take()[0], 'Normal Pulled: Container image "busybox:1.36" already present on machine');
  });
});

describe('startContainer: pull failures', () => {
  const IMAGE = 'doesnotexist/app:1';
  const ERR =
    'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/doesnotexist/app:1": failed to resolve reference "docker.io/doesnotexist/app:1": ' +
    'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';

  it('ErrImagePull: Pulling, Failed with the runtime\'s error, "Error: ErrImagePull"; retried after 10 s', async () => {
    const s = await setup(0);
    const r = await s.start({ image: IMAGE, imagePullPolicy: 'IfNotPresent' });
    assert.deepEqual(r, { waiting: { reason: 'ErrImagePull', message: ERR }, retryAt: s.clock.now() + 10_000 });
    assert.deepEqual(s.take(), ['Normal Pulling: Pulling image "doesnotexist/app:1"', `Warning Failed: Failed to pull image "doesnotexist/app:1": ${ERR}`, 'Warning Failed: Error: ErrImagePull']);
  });

  it('within the back-off: BackOff event, "Error: ImagePullBackOff", no pull', async () => {
    const s = await setup(0);
    await s.start({ image: IMAGE });
    s.take();
    s.clock.advance(5_000);
    const r = await s.start({ image: IMAGE });
    assert.ok('waiting' in r);
    assert.equal(r.waiting.reason, 'ImagePullBackOff');
    assert.deepEqual(s.take(), ['Normal BackOff: Back-off pulling image "doesnotexist/app:1"', 'Warning Failed: Error: ImagePullBackOff']);
  });

  it('the ImagePullBackOff waiting message carries the last pull error (image_manager.go prevPullErrMsg, 1.32+); retried after 10 s', async () => {
    const s = await setup(0);
    await s.start({ image: IMAGE });
    s.clock.advance(5_000);
    const r = await s.start({ image: IMAGE });
    assert.deepEqual(r, { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "doesnotexist/app:1": ErrImagePull: ${ERR}` }, retryAt: s.clock.now() + 10_000 });
  });

  it('after the back-off the pull is tried again, and the back-off doubles (10 s, 20 s); the worker retries every 10 s meanwhile', async () => {
    const s = await setup(0);
    await s.start({ image: IMAGE });
    s.clock.advance(10_000);
    s.take();
    const r = await s.start({ image: IMAGE });
    assert.ok('waiting' in r);
    assert.equal(r.waiting.reason, 'ErrImagePull');
    assert.equal(r.retryAt, s.clock.now() + 10_000, 'pod_workers backOffPeriod');
    assert.equal(s.deps.pullBackoff.get('uid-1/doesnotexist/app:1'), 20_000);
    assert.equal(s.take()[0], 'Normal Pulling: Pulling image "doesnotexist/app:1"');
    s.clock.advance(19_000);
    const again = await s.start({ image: IMAGE });
    assert.ok('waiting' in again && again.waiting.reason === 'ImagePullBackOff');
  });

  it('the back-off is per pod and image: another image pulls at once', async () => {
    const s = await setup(0);
    await s.start({ image: IMAGE });
    s.take();
    const r = await s.start({ image: 'busybox:1.36' });
    assert.ok('id' in r);
  });

  it('a tag the registry does not have: ErrImagePull with containerd\'s NotFound words', async () => {
    const s = await setup(0);
    const r = await s.start({ image: 'busybox:doesnotexist' });
    assert.ok('waiting' in r);
    assert.equal(r.waiting.reason, 'ErrImagePull');
    assert.match(r.waiting.message ?? '', /^rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/busybox:doesnotexist": .*: not found$/);
  });

  const invalid: [string, string][] = [
    ['Nginx:1', 'Failed to apply default image tag "Nginx:1": couldn\'t parse image name "Nginx:1": invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['nginx::1', 'Failed to apply default image tag "nginx::1": couldn\'t parse image name "nginx::1": invalid reference format'],
  ];
  for (const [image, msg] of invalid) {
    for (const policy of ['IfNotPresent', 'Always', 'Never']) {
      it(`InvalidImageName (${image}, ${policy}): InspectFailed with the parse error, "Error: InvalidImageName", not retried on a timer`, async () => {
        const s = await setup(0);
        const r = await s.start({ image, imagePullPolicy: policy });
        assert.deepEqual(r, { waiting: { reason: 'InvalidImageName', message: msg } });
        assert.deepEqual(s.take(), [`Warning InspectFailed: ${msg}`, 'Warning Failed: Error: InvalidImageName']);
      });
    }
  }
});

describe('startContainer: configuration errors and the created container', () => {
  it('a missing ConfigMap: CreateContainerConfigError with the kubelet\'s words, "Error: …" event, retry in 10 s', async () => {
    const s = await setup(0);
    const r = await s.start({ image: 'busybox:1.36', envFrom: [{ configMapRef: { name: 'cfg' } }] });
    assert.deepEqual(r, { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' }, retryAt: s.clock.now() + 10_000 });
    assert.deepEqual(s.take().slice(-1), ['Warning Failed: Error: configmap "cfg" not found']);
    assert.deepEqual(await s.runtime.listContainers(), [], 'nothing created');
  });

  it('a missing Secret key', async () => {
    const s = await setup(0);
    s.sources.set('Secret/s', { data: {} });
    const r = await s.start({ image: 'busybox:1.36', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } }] });
    assert.ok('waiting' in r);
    assert.deepEqual(r.waiting, { reason: 'CreateContainerConfigError', message: "couldn't find key password in Secret default/s" });
  });

  it('the runtime gets the resolved environment and expanded command/args', async () => {
    const s = await setup(0);
    s.sources.set('ConfigMap/cfg', { data: { GREETING: 'hi' } });
    const r = await s.start({
      image: 'busybox:1.36',
      envFrom: [{ configMapRef: { name: 'cfg' } }],
      env: [{ name: 'WHO', value: 'world' }],
      command: ['sh', '-c', 'echo $(GREETING) $(WHO); echo "$GREETING"'],
      workingDir: '/tmp',
    });
    assert.ok('id' in r);
    assert.equal(await s.runtime.logs(r.id), 'hi world\nhi\n');
  });
});

describe('goDuration (Go time.Duration String of a pull time truncated to ms)', () => {
  const cases: [number, string][] = [
    [523, '523ms'],
    [1, '1ms'],
    [1000, '1s'],
    [2003, '2.003s'],
    [2500, '2.5s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [65_200, '1m5.2s'],
    [0, '0s'],
  ];
  for (const [ms, want] of cases) it(`${ms} → ${want}`, () => assert.equal(goDuration(ms), want));
});
