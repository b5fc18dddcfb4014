/**
 * The prober manager across a pod's life: verdicts without probes, regular and restartable init containers,
 * deletion (liveness/startup stop, readiness goes on), finished containers under restartPolicy Never, removal and
 * dispose leaving no timer on the clock, and the errored / warning events upstream records.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execProbe, httpProbe, makePod, proberHarness, sh, UID } from './harness';

const AGE = 60_000;

describe('prober manager: pods', () => {
  it('without probes: ready and started while running, neither once exited; nothing before setContainer', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'app', ...sh('sleep 5') }]);
    assert.equal(h.manager.verdict(UID, 'app'), undefined, 'unknown pod');
    h.manager.addPod(pod);
    assert.equal(h.manager.verdict(UID, 'app'), undefined, 'no instance yet');
    assert.equal(h.manager.verdict(UID, 'other'), undefined);
    await h.run(pod, 'app');
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: true, started: true });
    await h.advance(5_000);
    await h.sync('app');
    assert.deepEqual(h.manager.verdict(UID, 'app'), { ready: false, started: false });
    assert.equal(h.clock.pendingTimers(), 0, 'no workers, no timers');
    h.manager.setContainer(UID, 'app', undefined);
    assert.equal(h.manager.verdict(UID, 'app'), undefined);
    h.manager.setContainer('other-pod', 'app', undefined); // ignored
    h.dispose();
  });

  it('init containers: a regular one is ready once it exited 0; a sidecar is probed and restarted like a container', async () => {
    const h = await proberHarness({ age: AGE });
    const failing = [{ name: 'KUBELAB_SIM_HTTP_STATUS', value: '503' }];
    const pod = makePod([{ name: 'app', ...sh('sleep 3600') }], {
      initContainers: [
        { name: 'setup', ...sh('sleep 0.05'), livenessProbe: execProbe(['false']) },
        { name: 'proxy', image: 'nginx', restartPolicy: 'Always', env: failing, livenessProbe: httpProbe(80, '/', { periodSeconds: 1, failureThreshold: 2 }), readinessProbe: httpProbe(80) },
      ],
    });
    h.manager.addPod(pod);
    await h.run(pod, 'setup');
    assert.deepEqual(h.manager.verdict(UID, 'setup'), { ready: false, started: true });
    await h.advance(100);
    await h.sync('setup');
    assert.deepEqual(h.manager.verdict(UID, 'setup'), { ready: true, started: false });
    await h.run(pod, 'proxy');
    await h.advance(2_000);
    assert.deepEqual(h.manager.mustRestart(UID, 'proxy'), { probe: 'liveness', message: 'Init container proxy failed liveness probe' });
    assert.ok(h.events.every((e) => e.fieldPath === 'spec.initContainers{proxy}'), 'no probe of the regular init container');
    assert.deepEqual(h.manager.verdict(UID, 'proxy'), { ready: false, started: true });
    await h.flush();
    assert.ok(h.messages().includes('Readiness probe failed: HTTP probe failed with statuscode: 503'));
    h.dispose();
  });

  it('a pod being deleted: liveness and startup stop (no restart verdict), readiness goes on', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'app', ...sh('sleep 3600'), livenessProbe: execProbe(['false'], { periodSeconds: 1 }), readinessProbe: execProbe(['false'], { periodSeconds: 1 }) }]);
    h.manager.addPod(pod);
    await h.run(pod, 'app');
    await h.advance(1_500);
    assert.equal(h.messages().filter((m) => m.startsWith('Liveness')).length, 1);
    const deleting = { ...pod, metadata: Object.assign({}, pod.metadata, { deletionTimestamp: '2026-01-01T00:01:01Z' }) };
    h.manager.addPod(deleting);
    await h.advance(10_000);
    assert.equal(h.messages().filter((m) => m.startsWith('Liveness')).length, 1);
    assert.equal(h.manager.mustRestart(UID, 'app'), undefined);
    assert.ok(h.messages().filter((m) => m.startsWith('Readiness')).length >= 10);
    h.manager.addPod(deleting);
    await h.advance(3_000);
    assert.equal(h.messages().filter((m) => m.startsWith('Liveness')).length, 1, 'a refresh does not bring them back');
    h.dispose();
  });

  it('restartPolicy Never: the workers of a container that has finished end with it', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'job', ...sh('sleep 2; exit 1'), readinessProbe: execProbe(['true'], { periodSeconds: 1 }) }], { restartPolicy: 'Never' });
    h.manager.addPod(pod);
    await h.run(pod, 'job');
    const programTimers = 1;
    assert.equal(h.clock.pendingTimers(), programTimers + 1);
    await h.advance(2_000);
    await h.sync('job');
    await h.advance(1_000);
    assert.equal(h.clock.pendingTimers(), 0);
    assert.deepEqual(h.manager.verdict(UID, 'job'), { ready: false, started: false });
    h.dispose();
  });

  it('removePod and dispose stop every worker: no timer left, no event after, even with a probe in flight', async () => {
    const h = await proberHarness({ random: () => 0.3 });
    const pod = makePod([
      { name: 'web', image: 'nginx', readinessProbe: httpProbe(80), livenessProbe: httpProbe(80, '/', { periodSeconds: 3 }), startupProbe: httpProbe(80, '/', { periodSeconds: 1 }) },
      { name: 'slow', image: 'nginx', readinessProbe: { grpc: { port: 7070 }, timeoutSeconds: 5, periodSeconds: 1 } },
    ]);
    const before = h.clock.pendingTimers();
    h.manager.addPod(pod);
    assert.equal(h.clock.pendingTimers(), before + 4, 'four jittered first probes');
    await h.run(pod, 'web');
    await h.run(pod, 'slow');
    await h.advance(12_500); // the grpc probe is waiting for its 5 s deadline
    const events = h.events.length;
    h.manager.removePod(UID);
    assert.equal(h.clock.pendingTimers(), before);
    assert.equal(h.manager.verdict(UID, 'web'), undefined);
    await h.advance(30_000);
    assert.equal(h.events.length, events, 'the abandoned probe records nothing');

    h.manager.addPod(pod);
    assert.ok(h.clock.pendingTimers() > before);
    h.manager.dispose();
    assert.equal(h.clock.pendingTimers(), before);
    h.runtime.dispose();
  });

  it('errored probes record "errored and resulted in unknown state" and leave the result alone; redirects warn', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([
      { name: 'a', image: 'nginx', readinessProbe: httpProbe('metrics') },
      { name: 'b', image: 'nginx', env: [{ name: 'KUBELAB_SIM_HTTP_STATUS', value: '302' }], readinessProbe: httpProbe(80) },
    ]);
    h.manager.addPod(pod);
    await h.run(pod, 'a');
    await h.run(pod, 'b');
    await h.advance(10_000);
    assert.deepEqual(
      h.events.map((e) => [e.fieldPath, e.type, e.reason, e.message]),
      [
        ['spec.containers{a}', 'Warning', 'Unhealthy', 'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax'],
        ['spec.containers{b}', 'Warning', 'ProbeWarning', 'Readiness probe warning: Probe terminated redirects, Response body: '],
      ],
    );
    assert.deepEqual([h.manager.verdict(UID, 'a'), h.manager.verdict(UID, 'b')], [{ ready: false, started: true }, { ready: true, started: true }]);
    h.dispose();
  });

  it('listeners that throw do not break probing', async () => {
    const h = await proberHarness({ age: AGE });
    const pod = makePod([{ name: 'web', image: 'nginx', env: [{ name: 'KUBELAB_SIM_HTTP_STATUS', value: '500' }], livenessProbe: httpProbe(80, '/', { periodSeconds: 1, failureThreshold: 2 }) }]);
    const { manager } = h;
    const o = (manager as unknown as { o: { event: unknown; onChange: unknown } }).o;
    o.event = () => {
      throw new Error('boom');
    };
    o.onChange = o.event;
    manager.addPod(pod);
    await h.run(pod, 'web');
    await h.advance(2_000);
    assert.equal(manager.mustRestart(UID, 'web')?.probe, 'liveness');
    h.dispose();
  });
});
