/**
 * End to end with the in-process cluster (fake clock): what the kubelet reports when containers fail or are
 * probed, as the API shows it. CrashLoopBackOff with upstream's waiting message, a restart count growing on the
 * 10 s / 20 s back-off and lastState.terminated exit code 1 reason Error; a liveness probe failure restarting a
 * container (the classic touch/sleep/rm example); a readiness probe gating Ready without restarts; ErrImagePull →
 * ImagePullBackOff for an image that does not exist; CreateContainerConfigError for a missing ConfigMap that clears
 * once it is created; graceful deletion with a preStop hook ending with the pod object gone.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNotFound, R, type Obj } from '../../../src/controllers/framework';
import { condition, isRunningReady, startNodesCluster, type ContainerStatusLike, type NodesCluster, type PodLike } from '../../helpers/cluster-nodes';

const NS = 'default';

const pod = (name: string, container: Obj, spec: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { test: name } },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36', ...container }], ...spec },
});

const main = (p: PodLike | undefined): ContainerStatusLike | undefined => p?.status?.containerStatuses?.find((c) => c.name === 'main');
const podName = (p: PodLike) => `${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`;

describe('container failures, probes and deletion on a cluster with kubelets', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 2 });
  });
  after(async () => c.stop());

  it('sh -c "exit 1" ends in CrashLoopBackOff: restart count 1, 2, 3 on a 10 s then 20 s back-off', async () => {
    await c.admin.create(R.pods, NS, pod('crash', { command: ['sh', '-c', 'exit 1'] }));
    // When each restart count was first seen (fake time), and the back-off message seen with each count.
    const firstSeen = new Map<number, number>();
    const waiting = new Map<number, string | undefined>();
    let last: PodLike | undefined;
    await c.until(
      'restart count 3',
      async () => {
        last = await c.pod(NS, 'crash');
        const cs = main(last);
        if (!cs) return false;
        if (!firstSeen.has(cs.restartCount)) firstSeen.set(cs.restartCount, c.clock.now());
        if (cs.state.waiting?.reason === 'CrashLoopBackOff') waiting.set(cs.restartCount, cs.state.waiting.message);
        return cs.restartCount >= 3;
      },
      { stepMs: 250 },
    );
    const p = last!;
    assert.ok(firstSeen.has(1) && firstSeen.has(2) && firstSeen.has(3), `restart counts seen: ${[...firstSeen.keys()].join(', ')}`);
    const gap12 = firstSeen.get(2)! - firstSeen.get(1)!;
    const gap23 = firstSeen.get(3)! - firstSeen.get(2)!;
    assert.ok(gap12 >= 9_500 && gap12 <= 12_000, `restart 1 → 2 took ${gap12} ms (10 s back-off)`);
    assert.ok(gap23 >= 19_500 && gap23 <= 22_000, `restart 2 → 3 took ${gap23} ms (20 s back-off)`);
    assert.equal(waiting.get(1), `back-off 10s restarting failed container=main pod=${podName(p)}`);
    assert.equal(waiting.get(2), `back-off 20s restarting failed container=main pod=${podName(p)}`);

    // Back in back-off after the third run: upstream's waiting reason and message, the last run's exit.
    const backoff = await c.until('CrashLoopBackOff after 3 restarts', async () => {
      const q = await c.pod(NS, 'crash');
      return main(q)?.state.waiting?.reason === 'CrashLoopBackOff' ? q : undefined;
    });
    const cs = main(backoff)!;
    assert.equal(cs.restartCount, 3);
    assert.equal(cs.state.waiting?.message, `back-off 40s restarting failed container=main pod=${podName(p)}`);
    assert.equal(cs.lastState.terminated?.exitCode, 1);
    assert.equal(cs.lastState.terminated?.reason, 'Error');
    assert.ok(cs.lastState.terminated?.startedAt && cs.lastState.terminated.finishedAt);
    assert.equal(cs.ready, false);
    assert.equal(cs.started, false);
    assert.equal(backoff!.status?.phase, 'Running');
    assert.deepEqual([condition(backoff, 'Ready')?.status, condition(backoff, 'Ready')?.reason, condition(backoff, 'Ready')?.message], ['False', 'ContainersNotReady', 'containers with unready status: [main]']);
    // Events are written asynchronously: wait for the fourth Started (the first run and three restarts).
    const events = await c.until('four Started, counted', async () => {
      const es = await c.events(NS, 'crash');
      return (es.find((e) => e.reason === 'Started')?.count ?? 0) >= 4 ? es : undefined;
    });
    const bo = events.filter((e) => e.reason === 'BackOff');
    assert.equal(bo.length, 1, 'one BackOff event, counted');
    assert.equal(bo[0].type, 'Warning');
    assert.equal(bo[0].message, `Back-off restarting failed container main in pod ${podName(p)}`);
    assert.ok((bo[0].count ?? 0) >= 2, `BackOff count ${bo[0].count}`);
    const started = events.filter((e) => e.reason === 'Started');
    assert.equal(started.length, 1);
    assert.ok((started[0].count ?? 0) >= 4, `Started count ${started[0].count}`);
  });

  it('a failing liveness probe restarts the container (exec cat /tmp/healthy after rm)', async () => {
    await c.admin.create(
      R.pods,
      NS,
      pod('liveness', {
        args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
      }),
    );
    const running = await c.until('liveness running', async () => {
      const p = await c.pod(NS, 'liveness');
      return isRunningReady(p) ? p : undefined;
    });
    const t0 = c.clock.now();
    // Healthy while the file is there.
    await c.advance(25_000, 500);
    assert.equal(main(await c.pod(NS, 'liveness'))?.restartCount, 0);
    const restarted = await c.until(
      'liveness restarted',
      async () => {
        const p = await c.pod(NS, 'liveness');
        return main(p)?.restartCount === 1 && isRunningReady(p) ? p : undefined;
      },
      { stepMs: 500 },
    );
    const took = c.clock.now() - t0;
    // rm at 30 s, then three failures 5 s apart (failureThreshold 3): the kill starts at about 40–46 s; sh as PID 1
    // ignores SIGTERM, so the container only ends at the 30 s grace period (as on a real node), and restarts at once.
    assert.ok(took >= 68_000 && took <= 80_000, `restarted after ${took} ms`);
    const cs = main(restarted)!;
    assert.equal(cs.lastState.terminated?.exitCode, 137);
    assert.equal(cs.lastState.terminated?.reason, 'Error');
    assert.notEqual(cs.containerID, main(running)!.containerID);
    const events = await c.events(NS, 'liveness');
    const unhealthy = events.filter((e) => e.reason === 'Unhealthy');
    assert.equal(unhealthy.length, 1);
    assert.equal(unhealthy[0].type, 'Warning');
    assert.match(unhealthy[0].message, /^Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory\n?$/);
    assert.equal(unhealthy[0].count, 3);
    assert.equal(unhealthy[0].involvedObject.fieldPath, 'spec.containers{main}');
    const killing = events.filter((e) => e.reason === 'Killing');
    assert.deepEqual(killing.map((e) => [e.type, e.message]), [['Normal', 'Container main failed liveness probe, will be restarted']]);
  });

  it('a readiness probe gates Ready: not Ready until it passes, not Ready again when it fails, never restarted', async () => {
    await c.admin.create(
      R.pods,
      NS,
      pod('ready', {
        command: ['sh', '-c', 'sleep 10; touch /tmp/ready; sleep 20; rm /tmp/ready; sleep 3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 2, failureThreshold: 1 },
      }),
    );
    const notYet = await c.until('ready pod Running', async () => {
      const p = await c.pod(NS, 'ready');
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(condition(notYet, 'Ready')?.status, 'False');
    assert.equal(condition(notYet, 'ContainersReady')?.status, 'False');
    assert.equal(main(notYet)?.ready, false);
    assert.equal(main(notYet)?.started, true);
    await c.until('ready pod Ready', async () => isRunningReady(await c.pod(NS, 'ready')));
    const gone = await c.until('ready pod not Ready again', async () => {
      const p = await c.pod(NS, 'ready');
      return condition(p, 'Ready')?.status === 'False' ? p : undefined;
    });
    assert.equal(gone.status?.phase, 'Running');
    assert.equal(main(gone)?.restartCount, 0);
    assert.ok(main(gone)?.state.running);
    assert.deepEqual([condition(gone, 'Ready')?.reason, condition(gone, 'Ready')?.message], ['ContainersNotReady', 'containers with unready status: [main]']);
    const unhealthy = await c.until('an Unhealthy event', async () => {
      const es = (await c.events(NS, 'ready')).filter((e) => e.reason === 'Unhealthy');
      return es.length ? es : undefined;
    });
    for (const e of unhealthy) assert.match(e.message, /^Readiness probe failed: cat: can't open '\/tmp\/ready': No such file or directory\n?$/);
    assert.equal((await c.events(NS, 'ready')).filter((e) => e.reason === 'Killing').length, 0);
  });

  it('an image that does not exist: ErrImagePull, then ImagePullBackOff, with upstream messages and events', async () => {
    await c.admin.create(R.pods, NS, pod('nopull', { image: 'doesnotexist:1', command: ['sleep', '3600'] }));
    const ref = 'docker.io/library/doesnotexist:1';
    const pullErr = `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    const reasons = new Map<string, string | undefined>();
    const p = await c.until(
      'ErrImagePull, then ImagePullBackOff',
      async () => {
        const q = await c.pod(NS, 'nopull');
        const w = main(q)?.state.waiting;
        if (w?.reason) reasons.set(w.reason, w.message);
        return w?.reason === 'ImagePullBackOff' && reasons.has('ErrImagePull') ? q : undefined;
      },
      { stepMs: 250 },
    );
    // ContainerCreating while the first pull runs (when a poll catches it), then the two pull failures.
    assert.deepEqual([...reasons.keys()].filter((r) => r !== 'ContainerCreating'), ['ErrImagePull', 'ImagePullBackOff']);
    assert.equal(reasons.get('ErrImagePull'), pullErr);
    // 1.32+: the back-off message carries the last pull error.
    assert.equal(reasons.get('ImagePullBackOff'), `Back-off pulling image "doesnotexist:1": ErrImagePull: ${pullErr}`);
    assert.equal(p.status?.phase, 'Pending');
    const cs = main(p)!;
    assert.equal(cs.image, 'doesnotexist:1');
    assert.equal(cs.imageID, '');
    assert.equal(cs.ready, false);
    assert.equal(cs.restartCount, 0);
    assert.equal(cs.containerID, undefined);
    const wanted = [
      ['Normal', 'Pulling', 'Pulling image "doesnotexist:1"'],
      ['Warning', 'Failed', `Failed to pull image "doesnotexist:1": ${pullErr}`],
      ['Warning', 'Failed', 'Error: ErrImagePull'],
      ['Normal', 'BackOff', 'Back-off pulling image "doesnotexist:1"'],
      ['Warning', 'Failed', 'Error: ImagePullBackOff'],
    ].map((w) => w.join('|'));
    // The kubelet records events asynchronously (its broadcaster), so the status may show ImagePullBackOff before
    // the last event is written: wait for them, then report any that never came.
    let msgs: string[] = [];
    await c
      .until('the pull failure events', async () => {
        msgs = (await c.events(NS, 'nopull')).map((e) => [e.type, e.reason, e.message].join('|'));
        return wanted.every((w) => msgs.includes(w)) || undefined;
      })
      .catch(() => undefined);
    for (const want of wanted) assert.ok(msgs.includes(want), `missing event ${want} in ${JSON.stringify(msgs)}`);
  });

  it('a missing ConfigMap is CreateContainerConfigError until the ConfigMap is created', async () => {
    await c.admin.create(
      R.pods,
      NS,
      pod('needs-config', {
        command: ['sh', '-c', 'echo "greeting=$GREETING"; sleep 3600'],
        env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'greeting' } } }],
      }),
    );
    const waiting = await c.until('CreateContainerConfigError', async () => {
      const p = await c.pod(NS, 'needs-config');
      return main(p)?.state.waiting?.reason === 'CreateContainerConfigError' ? p : undefined;
    });
    assert.equal(main(waiting)?.state.waiting?.message, 'configmap "app-config" not found');
    assert.equal(waiting.status?.phase, 'Pending');
    const failed = await c.until('the Failed event', async () => {
      const f = (await c.events(NS, 'needs-config')).filter((e) => e.reason === 'Failed');
      return f.length ? f : undefined;
    });
    assert.deepEqual(failed.map((e) => [e.type, e.message]), [['Warning', 'Error: configmap "app-config" not found']]);
    // Still failing a while later (the kubelet retries).
    await c.advance(15_000, 500);
    assert.equal(main(await c.pod(NS, 'needs-config'))?.state.waiting?.reason, 'CreateContainerConfigError');

    await c.admin.create(R.configmaps, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { greeting: 'hello' } });
    const running = await c.until('needs-config Running', async () => {
      const p = await c.pod(NS, 'needs-config');
      return isRunningReady(p) ? p : undefined;
    });
    assert.equal(main(running)?.restartCount, 0);
    assert.deepEqual(await c.logs(NS, 'needs-config'), { status: 200, text: 'greeting=hello\n' });
  });

  it('graceful deletion runs the preStop hook, waits the grace period and ends with the pod object gone', async () => {
    await c.admin.create(
      R.pods,
      NS,
      pod('graceful', { command: ['sleep', '3600'], lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }, { terminationGracePeriodSeconds: 20 }),
    );
    const running = await c.until('graceful running', async () => {
      const p = await c.pod(NS, 'graceful');
      return isRunningReady(p) ? p : undefined;
    });
    const t0 = c.clock.now();
    await c.admin.delete(R.pods, NS, 'graceful');
    const terminating = (await c.pod(NS, 'graceful'))!;
    assert.ok(terminating.metadata.deletionTimestamp);
    assert.equal((terminating.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds, 20);
    // preStop (5 s), then SIGTERM, which `sleep` as PID 1 ignores: it is killed at the end of the 20 s grace period.
    await c.advance(10_000, 250);
    const during = await c.pod(NS, 'graceful');
    assert.ok(during, 'the pod object is still there during its grace period');
    assert.equal(during.metadata.uid, running.metadata.uid);
    await c.until(
      'graceful gone',
      async () => {
        try {
          await c.admin.get(R.pods, NS, 'graceful');
          return false;
        } catch (e) {
          if (isNotFound(e)) return true;
          throw e;
        }
      },
      { stepMs: 250 },
    );
    const took = c.clock.now() - t0;
    assert.ok(took >= 19_000 && took <= 25_000, `gone after ${took} ms (20 s grace)`);
    const killing = (await c.events(NS, 'graceful')).filter((e) => e.reason === 'Killing');
    assert.deepEqual(killing.map((e) => [e.type, e.message, e.involvedObject.fieldPath]), [['Normal', 'Stopping container main', 'spec.containers{main}']]);
  });
});
