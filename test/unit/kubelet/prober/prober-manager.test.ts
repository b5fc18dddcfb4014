/**
 * The prober manager's probing over time, on a FakeClock with the real SimRuntime: periods, initial delay,
 * consecutive-result thresholds, the liveness → restart verdict with the kubelet's message, startup gating, the
 * readiness flip and its immediate trigger, first-probe jitter, and exec / httpGet probes end to end. Expected times
 * and messages are upstream's (pkg/kubelet/prober worker.go, prober.go, pkg/probe).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execProbe, httpProbe, makePod, proberHarness, sh, UID } from './harness';

const AGE = 60_000; // the manager is older than every period: no first-probe jitter

describe('prober manager: liveness', () => {
  it('the classic exec example: cat /tmp/healthy fails after the file is removed; restart after 3 failures', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([
      {
        name: 'liveness',
        ...sh('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'),
        livenessProbe: execProbe(['cat', '/tmp/healthy'], { initialDelaySeconds: 5, periodSeconds: 5 }),
      },
    ]);
    const t0 = h.clock.now();
    h.manager.addPod(pod); // ticks at t0 + 5 s, 10 s, …
    await h.advance(1000);
    await h.run(pod, 'liveness'); // started at t0 + 1 s: the file goes at t0 + 31 s
    await h.advance(43_900); // t0 + 44.9 s: failures at 35 and 40
    assert.equal(h.manager.mustRestart(UID, 'liveness'), undefined);
    const failed = "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n";
    assert.deepEqual(h.messages(), [failed, failed]);
    await h.advance(100); // the third at 45
    assert.deepEqual(h.manager.mustRestart(UID, 'liveness'), { probe: 'liveness', message: 'Container liveness failed liveness probe, will be restarted' });
    assert.deepEqual(h.events.map((e) => [e.time - t0, e.type, e.reason, e.fieldPath]), [
      [35_000, 'Warning', 'Unhealthy', 'spec.containers{liveness}'],
      [40_000, 'Warning', 'Unhealthy', 'spec.containers{liveness}'],
      [45_000, 'Warning', 'Unhealthy', 'spec.containers{liveness}'],
    ]);
    assert.deepEqual(h.changes.map((t) => t - t0), [45_000], 'onChange once, when the threshold is passed');
    assert.equal(h.manager.verdict(UID, 'liveness')?.ready, true, 'liveness does not touch readiness');

    await h.advance(20_000);
    assert.equal(h.events.length, 3, 'on hold until a new container: no more probes');
    await h.runtime.stopContainer(h.ids.get('liveness')!, 0);
    await h.run(pod, 'liveness'); // the restart
    assert.equal(h.manager.mustRestart(UID, 'liveness'), undefined, 'a new instance starts healthy');
    await h.advance(25_000);
    assert.equal(h.events.length, 3, 'the new container has its file');
    await h.advance(20_000);
    assert.equal(h.events.length, 6);
    assert.ok(h.manager.mustRestart(UID, 'liveness'));
    h.dispose();
  });

  it('httpGet against a server answering 500 (KUBELAB_SIM_HTTP_STATUS): upstream\'s message, default period 10 s and threshold 3', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod(
      [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'KUBELAB_SIM_HTTP_STATUS', value: '500' }], livenessProbe: httpProbe(80, '/healthz') }],
      { restartPolicy: 'Never' },
    );
    const t0 = h.clock.now();
    h.manager.addPod(pod);
    await h.run(pod, 'web');
    await h.advance(30_000);
    assert.deepEqual(h.messages(), Array(3).fill('Liveness probe failed: HTTP probe failed with statuscode: 500'));
    assert.deepEqual(h.events.map((e) => e.time - t0), [10_000, 20_000, 30_000]);
    assert.deepEqual(h.manager.mustRestart(UID, 'web'), { probe: 'liveness', message: 'Container web failed liveness probe' }, 'restartPolicy Never: no ", will be restarted"');
    h.dispose();
  });
});

describe('prober manager: readiness', () => {
  it('starts not ready; flips after successThreshold successes and back after failureThreshold failures', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([
      {
        name: 'app',
        ...sh('sleep 22; touch /tmp/ready; sleep 30; rm /tmp/ready; sleep 3600'),
        readinessProbe: execProbe(['cat', '/tmp/ready'], { periodSeconds: 5, successThreshold: 2, failureThreshold: 3 }),
      },
    ]);
    const t0 = h.clock.now();
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(31_000);
    // probes at 5…20 fail (already not ready: no change), 25 and 30 succeed → ready at 30
    assert.deepEqual(h.changes.map((t) => t - t0), [30_000]);
    assert.deepEqual(h.events.map((e) => e.time - t0), [5_000, 10_000, 15_000, 20_000]);
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: true, started: true });
    await h.advance(35_000); // the file goes at 52; failures at 55, 60, 65
    assert.deepEqual(h.changes.map((t) => t - t0), [30_000, 65_000]);
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: false, started: true });
    assert.equal(h.manager.mustRestart(UID, 'app'), undefined, 'readiness never restarts');
    h.dispose();
  });

  it('asking for the verdict of a started, not-ready container probes readiness at once (upstream UpdatePodStatus)', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'web', image: 'nginx', readinessProbe: httpProbe(80) }]);
    h.manager.addPod(pod);
    await h.run(pod, 'web');
    assert.deepEqual(h.manager.verdict(UID, 'web'), { ready: false, started: true });
    await h.flush();
    assert.equal(h.changes.length, 1, 'the flip is announced without waiting a period');
    assert.deepEqual(h.manager.verdict(UID, 'web'), { ready: true, started: true });
    h.dispose();
  });

  it('nothing is probed before initialDelaySeconds (whole seconds since the container started)', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'app', ...sh('sleep 3600'), readinessProbe: execProbe(['true'], { initialDelaySeconds: 10, periodSeconds: 1 }) }]);
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    const started = h.clock.now();
    await h.advance(5_000);
    h.manager.verdict(UID, 'app'); // a trigger inside the delay does nothing either
    await h.advance(4_900);
    assert.deepEqual(h.changes, []);
    await h.advance(100);
    assert.deepEqual(h.changes.map((t) => t - started), [10_000]);
    h.dispose();
  });

  it('a new container instance resets readiness', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'web', image: 'nginx', readinessProbe: httpProbe(80) }]);
    h.manager.addPod(pod);
    await h.run(pod, 'web');
    h.manager.verdict(UID, 'web');
    await h.flush();
    assert.equal(h.manager.verdict(UID, 'web')?.ready, true);
    await h.runtime.stopContainer(h.ids.get('web')!, 0);
    await h.sync('web');
    assert.deepEqual(h.manager.verdict(UID, 'web'), { ready: false, started: false }, 'exited');
    await h.run(pod, 'web');
    assert.deepEqual(h.manager.verdict(UID, 'web'), { ready: false, started: true }, 'the new instance starts not ready');
    h.dispose();
  });
});

describe('prober manager: startup', () => {
  it('liveness and readiness wait for startup; startup stops probing once it succeeded', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([
      {
        name: 'app',
        ...sh('sleep 7; touch /tmp/started; sleep 3600'),
        startupProbe: execProbe(['cat', '/tmp/started'], { periodSeconds: 2, failureThreshold: 10 }),
        livenessProbe: execProbe(['false'], { periodSeconds: 1, failureThreshold: 100 }),
        readinessProbe: execProbe(['true'], { periodSeconds: 1 }),
      },
    ]);
    const t0 = h.clock.now();
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(7_900);
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: false, started: false });
    assert.deepEqual(h.events.map((e) => [e.time - t0, e.message.split(':')[0]]), [
      [2_000, 'Startup probe failed'],
      [4_000, 'Startup probe failed'],
      [6_000, 'Startup probe failed'],
    ]);
    await h.advance(100);
    assert.deepEqual(h.changes.map((t) => t - t0), [8_000]);
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: false, started: true });
    await h.flush();
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: true, started: true });
    await h.advance(3_000);
    const kinds = h.events.map((e) => e.message.split(' ')[0]);
    assert.equal(kinds.filter((k) => k === 'Startup').length, 3, 'no startup probe after success');
    assert.ok(kinds.filter((k) => k === 'Liveness').length >= 3, 'liveness runs once started');
    assert.ok(h.messages().includes('Liveness probe failed: '), 'exec failure with no output');
    h.dispose();
  });

  it('a startup probe failing failureThreshold times asks for a restart', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'app', ...sh('sleep 3600'), startupProbe: execProbe(['cat', '/tmp/never'], { periodSeconds: 1, failureThreshold: 3 }) }]);
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(2_900);
    assert.equal(h.manager.mustRestart(UID, 'app'), undefined);
    await h.advance(100);
    assert.deepEqual(h.manager.mustRestart(UID, 'app'), { probe: 'startup', message: 'Container app failed startup probe, will be restarted' });
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: false, started: false });
    await h.advance(5_000);
    assert.equal(h.events.length, 3, 'on hold until the next instance');
    h.dispose();
  });
});

describe('prober manager: first-probe jitter and timeouts', () => {
  it('a manager younger than a period delays each worker\'s first probe by random × period', async () => {
    const h = await proberHarness({ random: () => 0.5 });
    const pod = makePod([{ name: 'app', ...sh('sleep 3600'), readinessProbe: execProbe(['false']) }]);
    const t0 = h.clock.now();
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(26_000);
    assert.deepEqual(h.events.map((e) => e.time - t0), [5_000, 15_000, 25_000]);
    h.dispose();
  });

  it('an older manager does not jitter: the period runs from addPod', async () => {
    const h = await proberHarness({ random: () => 0.5, age: AGE });
    const pod = makePod([{ name: 'app', ...sh('sleep 3600'), readinessProbe: execProbe(['false']) }]);
    const t0 = h.clock.now();
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(21_000);
    assert.deepEqual(h.events.map((e) => e.time - t0), [10_000, 20_000]);
    h.dispose();
  });

  it('an exec probe outliving timeoutSeconds fails with the kubelet\'s "timed out" message', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'app', ...sh('sleep 3600'), readinessProbe: execProbe(['sh', '-c', 'sleep 5'], { timeoutSeconds: 2 }) }]);
    const t0 = h.clock.now();
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(12_500);
    assert.deepEqual(h.events.map((e) => [e.time - t0, e.message]), [[12_000, 'Readiness probe failed: command "sh -c sleep 5" timed out']]);
    h.dispose();
  });
});
