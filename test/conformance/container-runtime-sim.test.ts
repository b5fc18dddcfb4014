/**
 * The `sim` runtime: the ContainerRuntime conformance suite on a FakeClock, then what only the simulation has —
 * simulated pull times and failure patterns, its version, OOMKilled by convention, HTTP/TCP probes, SIGTERM
 * behaviour of servers and applications, and exact timing.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/base/clock';
import { SimRuntime, type SimRuntimeOptions } from '../../src/kubelet/runtime/sim/sim-runtime';
import { createIn, pull, rejectsWithReason, runToExit, shellSpec, T, waitExited, type RuntimeHarness } from './container-runtime-assert';
import { containerRuntimeConformance } from './container-runtime.conformance';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function simHarness(options: Partial<SimRuntimeOptions> = {}): RuntimeHarness & { clock: FakeClock; runtime: SimRuntime } {
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock, ...options });
  return {
    clock,
    runtime,
    pullMs: 2000,
    images: { shell: 'busybox:1.36', other: 'nginx', missing: 'example.com/team/doesnotexist:v1' },
    advance: async (ms) => {
      for (let done = 0; done < ms; done += 50) {
        clock.advance(Math.min(50, ms - done));
        await flush();
      }
    },
    cleanup: async () => undefined,
  };
}

containerRuntimeConformance('sim', async () => simHarness());

const sim = (fn: (h: ReturnType<typeof simHarness>) => Promise<void>, options?: Partial<SimRuntimeOptions>) => async () => {
  const h = simHarness(options);
  try {
    await fn(h);
  } finally {
    h.runtime.dispose();
  }
};

describe('sim runtime', () => {
  it('says it is simulated', () => {
    const v = new SimRuntime({ clock: new FakeClock() }).version();
    assert.deepEqual(v, { runtimeName: 'kubelab-sim', runtimeVersion: '0.1.0 (simulated)', runtimeApiVersion: 'v1' });
  });

  it('a pull takes 2 s by default and nothing when cached; the time is configurable per image', T, sim(async (h) => {
    let done = false;
    const p = h.runtime.pullImage('nginx:1.27').then(() => (done = true));
    await h.advance(1950);
    assert.equal(done, false);
    await h.advance(50);
    await p;
    const t0 = h.clock.now();
    assert.equal((await h.runtime.pullImage('docker.io/library/nginx:1.27')).cached, true, 'the same image under its full name');
    assert.equal(h.clock.now(), t0);

    const custom = simHarness({ pullMs: (ref) => (ref.includes('big') ? 10_000 : 0) });
    const small = custom.runtime.pullImage('small');
    custom.clock.advance(0);
    assert.equal((await small).cached, false);
    let bigDone = false;
    const big = custom.runtime.pullImage('big').then(() => (bigDone = true));
    await custom.advance(9_000);
    assert.equal(bigDone, false);
    await custom.advance(1_000);
    await big;
  }));

  it('unknown-image patterns: the defaults and a configured list', T, sim(async (h) => {
    for (const ref of ['doesnotexist', 'my/invalid-image', 'quay.io/nonexistent/app:1']) {
      const normalized = ref.includes('/') && ref.includes('.') ? `${ref}` : `docker.io/${ref.includes('/') ? '' : 'library/'}${ref}:latest`;
      await rejectsWithReason(pull(h, ref), 'ErrImagePull', [
        `rpc error: code = Unknown desc = failed to pull and unpack image "${normalized}": failed to resolve reference "${normalized}": ` +
          'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      ]);
    }
    await rejectsWithReason(pull(h, 'nginx:doesnotexist'), 'ErrImagePull', [
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference ' +
        '"docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found',
    ]);
    const custom = simHarness({ failPatterns: [/^quay\.io\//, 'private'] });
    await rejectsWithReason(pull(custom, 'quay.io/x/y'), 'ErrImagePull', ['"quay.io/x/y:latest"']);
    await rejectsWithReason(pull(custom, 'corp/private-app'), 'ErrImagePull');
    assert.equal((await pull(custom, 'doesnotexist')).cached, false, 'a configured list replaces the defaults');
  }));

  it('exact timing on the fake clock: sleep 2 exits 2,000 ms after start', T, sim(async (h) => {
    const r = await runToExit(h, shellSpec(h, 's', 'sleep 1.5; sleep 0.5'));
    assert.equal(r.finishedAt! - r.startedAt!, 2000);
  }));

  it('OOMKilled when KUBELAB_SIM_MEMORY passes the memory limit; fine within it', T, sim(async (h) => {
    const over = await runToExit(h, shellSpec(h, 'm', 'sleep 10', { env: [{ name: 'KUBELAB_SIM_MEMORY', value: '512Mi' }], resources: { limits: { memory: '256Mi' } } }));
    assert.deepEqual([over.exitCode, over.reason], [137, 'OOMKilled']);
    const within = await runToExit(h, shellSpec(h, 'm2', 'true', { env: [{ name: 'KUBELAB_SIM_MEMORY', value: '200Mi' }], resources: { limits: { memory: '1Gi' } } }));
    assert.deepEqual([within.exitCode, within.reason], [0, 'Completed']);
  }));

  it('an HTTP server image runs until stopped and answers probes on 80 and its declared ports', T, sim(async (h) => {
    const { id } = await createIn(h, { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] });
    await rejectsWithReason(h.runtime.probeHttp(id, 80, '/'), 'ConnectionRefused', ['connection refused']);
    await h.runtime.startContainer(id);
    await h.advance(3_600_000);
    assert.equal((await h.runtime.containerStatus(id)).state, 'running');
    assert.equal(await h.runtime.probeHttp(id, 80, '/'), 200);
    assert.equal(await h.runtime.probeHttp(id, 8080, '/index.html'), 200);
    assert.equal(await h.runtime.probeHttp(id, 80, '/healthz'), 404);
    await rejectsWithReason(h.runtime.probeHttp(id, 9090, '/'), 'ConnectionRefused');
    await h.runtime.probeTcp(id, 80);
    // nginx exits on SIGTERM after the stop delay, with 0
    const stop = h.runtime.stopContainer(id, 30_000);
    await h.advance(100);
    await stop;
    const s = await h.runtime.containerStatus(id);
    assert.deepEqual([s.exitCode, s.reason, s.finishedAt! - h.clock.now() <= 0], [0, 'Completed', true]);
    await rejectsWithReason(h.runtime.probeHttp(id, 80, '/'), 'ConnectionRefused');
  }));

  it('KUBELAB_SIM_HTTP_STATUS fixes the answer; *http* images answer 200 everywhere', T, sim(async (h) => {
    const failing = await createIn(h, { name: 'w', image: 'hashicorp/http-echo', env: [{ name: 'KUBELAB_SIM_HTTP_STATUS', value: '503' }] });
    await h.runtime.startContainer(failing.id);
    assert.equal(await h.runtime.probeHttp(failing.id, 80, '/healthz'), 503);
    const echo = await createIn(h, { name: 'w2', image: 'hashicorp/http-echo', ports: [{ containerPort: 5678 }] });
    await h.runtime.startContainer(echo.id);
    assert.equal(await h.runtime.probeHttp(echo.id, 5678, '/anything'), 200);
  }));

  it('an application the sim cannot interpret runs until stopped and listens on its declared ports', T, sim(async (h) => {
    const { id } = await createIn(h, { name: 'app', image: 'registry.example.com/app:1', command: ['/app/server', '--port=8080'], ports: [{ containerPort: 8080 }] });
    await h.runtime.startContainer(id);
    await h.advance(60_000);
    assert.equal(await h.runtime.probeHttp(id, 8080, '/ready'), 200);
    const stop = h.runtime.stopContainer(id, 30_000);
    await h.advance(100);
    await stop;
    assert.deepEqual([(await h.runtime.containerStatus(id)).exitCode], [0], 'an application exits on SIGTERM');
  }));

  it('an interpreted program ignores SIGTERM (PID 1) and is killed at the grace period with 137', T, sim(async (h) => {
    const { id } = await createIn(h, shellSpec(h, 'x', 'sleep 3600'));
    await h.runtime.startContainer(id);
    const started = h.clock.now();
    const stop = h.runtime.stopContainer(id, 30_000);
    await h.advance(29_950);
    assert.equal((await h.runtime.containerStatus(id)).state, 'running');
    await h.advance(50);
    await stop;
    const s = await h.runtime.containerStatus(id);
    assert.deepEqual([s.exitCode, s.finishedAt! - started], [137, 30_000]);
  }));

  it('KUBELAB_SIM_ON_SIGTERM=exit with KUBELAB_SIM_STOP_DELAY ends it early with 0', T, sim(async (h) => {
    const env = [{ name: 'KUBELAB_SIM_ON_SIGTERM', value: 'exit' }, { name: 'KUBELAB_SIM_STOP_DELAY', value: '2s' }];
    const { id } = await createIn(h, shellSpec(h, 'x', 'sleep 3600', { env }));
    await h.runtime.startContainer(id);
    const t0 = h.clock.now();
    const stop = h.runtime.stopContainer(id, 30_000);
    await h.advance(2000);
    await stop;
    const s = await waitExited(h, id, 0);
    assert.deepEqual([s.exitCode, s.reason, s.finishedAt! - t0], [0, 'Completed', 2000]);
  }));

  it('a busy loop does not block: it yields to the clock', T, sim(async (h) => {
    const { id } = await createIn(h, shellSpec(h, 'busy', 'while true; do echo x >/dev/null; done'));
    await h.runtime.startContainer(id);
    await h.advance(100);
    assert.equal((await h.runtime.containerStatus(id)).state, 'running');
    await h.runtime.stopContainer(id, 0);
  }));
});
