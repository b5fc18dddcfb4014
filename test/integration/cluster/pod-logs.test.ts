/**
 * End to end with the in-process cluster (fake clock): `pods/log` through the API server, which reaches the pod's
 * node's kubelet — what `kubectl logs` reads. The whole log, tailLines, timestamps (RFC 3339 with nine fractional
 * digits, one per line), sinceSeconds, limitBytes; previous=true after a restart (and upstream's 400 when there is
 * no previous instance); container= for a multi-container pod (and the 400s without it or with an unknown name);
 * the kubelet's 400 for a container that is still waiting (ContainerCreating, image pull failures).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { isRunningReady, startNodesCluster, type NodesCluster } from '../../helpers/cluster-nodes';

const NS = 'default';

const pod = (name: string, containers: Obj[], spec: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers, ...spec } });

describe('pods/log through the API server', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 1 });
  });
  after(async () => c.stop());

  it('reads an echoing container: all of it, tailLines, timestamps, sinceSeconds, limitBytes', async () => {
    await c.admin.create(R.pods, NS, pod('echo', [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; sleep 1; done; sleep 3600'] }]));
    await c.until('echo Running', async () => isRunningReady(await c.pod(NS, 'echo')));
    await c.until('five lines', async () => (await c.logs(NS, 'echo')).text.split('\n').length === 6);
    const lines = ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'];
    assert.deepEqual(await c.logs(NS, 'echo'), { status: 200, text: lines.map((l) => `${l}\n`).join('') });
    assert.deepEqual(await c.logs(NS, 'echo', { container: 'main' }), { status: 200, text: lines.map((l) => `${l}\n`).join('') });
    assert.deepEqual(await c.logs(NS, 'echo', { tailLines: 2 }), { status: 200, text: 'line 4\nline 5\n' });
    assert.deepEqual(await c.logs(NS, 'echo', { tailLines: 0 }), { status: 200, text: '' });

    const stamped = await c.logs(NS, 'echo', { timestamps: true });
    assert.equal(stamped.status, 200);
    const rows = stamped.text.split('\n').slice(0, -1);
    assert.equal(rows.length, 5);
    const times = rows.map((r, i) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (.*)$/.exec(r);
      assert.ok(m, `not a timestamped line: ${JSON.stringify(r)}`);
      assert.equal(m[2], lines[i]);
      return Date.parse(m[1]);
    });
    // One line a second, on the cluster's (fake) clock.
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 900 && times[i] - times[i - 1] <= 1300, `gap ${times[i] - times[i - 1]} ms`);
    assert.ok(times[4] <= c.clock.now());
    assert.deepEqual(await c.logs(NS, 'echo', { tailLines: 1, timestamps: true }), { status: 200, text: `${rows[4]}\n` });

    // sinceSeconds counts back from now: with 2.5 s more, only what was written in the last few seconds.
    const sinceLast = Math.ceil((c.clock.now() - times[3]) / 1000);
    const since = await c.logs(NS, 'echo', { sinceSeconds: sinceLast });
    assert.equal(since.status, 200);
    assert.ok(since.text.endsWith('line 5\n') && !since.text.includes('line 1'), JSON.stringify(since.text));
    assert.deepEqual(await c.logs(NS, 'echo', { limitBytes: 10 }), { status: 200, text: 'line 1\nlin' });
  });

  it('previous=true reads the instance before a restart; without one it is a 400', async () => {
    await c.admin.create(R.pods, NS, pod('restarts', [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo started; sleep 5; echo crashing; exit 3'] }]));
    await c.until('restarts Running', async () => isRunningReady(await c.pod(NS, 'restarts')));
    assert.deepEqual(await c.logs(NS, 'restarts', { previous: true }), { status: 400, text: 'previous terminated container "main" in pod "restarts" not found' });
    await c.until('one restart', async () => {
      const p = await c.pod(NS, 'restarts');
      return p?.status?.containerStatuses?.[0].restartCount === 1 && isRunningReady(p);
    });
    assert.deepEqual(await c.logs(NS, 'restarts', { previous: true }), { status: 200, text: 'started\ncrashing\n' });
    assert.deepEqual(await c.logs(NS, 'restarts'), { status: 200, text: 'started\n' });
    assert.deepEqual(await c.logs(NS, 'restarts', { previous: true, tailLines: 1 }), { status: 200, text: 'crashing\n' });
    // While it waits in CrashLoopBackOff, the log is the last run's (the kubelet reads lastState's container).
    await c.until('CrashLoopBackOff', async () => (await c.pod(NS, 'restarts'))?.status?.containerStatuses?.[0].state.waiting?.reason === 'CrashLoopBackOff', { stepMs: 250 });
    assert.deepEqual(await c.logs(NS, 'restarts'), { status: 200, text: 'started\ncrashing\n' });
  });

  it('container= picks one container of a multi-container pod; no name or an unknown one is a 400', async () => {
    await c.admin.create(
      R.pods,
      NS,
      pod('multi', [
        { name: 'web', image: 'busybox:1.36', command: ['sh', '-c', 'echo from web; sleep 3600'] },
        { name: 'sidecar', image: 'busybox:1.36', command: ['sh', '-c', 'echo from sidecar; echo again; sleep 3600'] },
      ], { initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo setting up'] }] }),
    );
    await c.until('multi Running', async () => isRunningReady(await c.pod(NS, 'multi')));
    assert.deepEqual(await c.logs(NS, 'multi', { container: 'web' }), { status: 200, text: 'from web\n' });
    assert.deepEqual(await c.logs(NS, 'multi', { container: 'sidecar' }), { status: 200, text: 'from sidecar\nagain\n' });
    assert.deepEqual(await c.logs(NS, 'multi', { container: 'setup' }), { status: 200, text: 'setting up\n' });
    assert.deepEqual(await c.logs(NS, 'multi'), { status: 400, text: 'a container name must be specified for pod multi, choose one of: [web sidecar]' });
    assert.deepEqual(await c.logs(NS, 'multi', { container: 'nope' }), { status: 400, text: 'container nope is not valid for pod multi' });
  });

  it('a container that is still waiting answers 400 with the kubelet\'s words', async () => {
    await c.admin.create(R.pods, NS, pod('pulling', [{ name: 'main', image: 'nginx:1.25-slow' }]));
    await c.until('pulling scheduled', async () => (await c.pod(NS, 'pulling'))?.spec.nodeName);
    assert.deepEqual(await c.logs(NS, 'pulling'), { status: 400, text: 'container "main" in pod "pulling" is waiting to start: ContainerCreating' });

    // Not scheduled (no such scheduler): there is no node to ask, and the log is empty (as upstream).
    await c.admin.create(R.pods, NS, pod('unscheduled', [{ name: 'main', image: 'busybox:1.36' }], { schedulerName: 'no-such-scheduler' }));
    assert.deepEqual(await c.logs(NS, 'unscheduled'), { status: 200, text: '' });

    await c.admin.create(R.pods, NS, pod('nopull', [{ name: 'main', image: 'doesnotexist:1' }]));
    await c.until('nopull scheduled', async () => (await c.pod(NS, 'nopull'))?.spec.nodeName);
    // The kubelet answers from its own state (which may be a moment ahead of the status in the API): while the
    // pull fails, each answer is one of the two, and both come up as ErrImagePull and ImagePullBackOff alternate.
    const prefix = 'container "main" in pod "nopull" is waiting to start: ';
    const allowed = new Set([`${prefix}ContainerCreating`, `${prefix}image can't be pulled`, `${prefix}trying and failing to pull image`]);
    const seen = new Set<string>();
    await c.until(
      'both pull failures answered',
      async () => {
        const r = await c.logs(NS, 'nopull');
        assert.equal(r.status, 400);
        assert.ok(allowed.has(r.text), r.text);
        seen.add(r.text);
        return seen.has(`${prefix}image can't be pulled`) && seen.has(`${prefix}trying and failing to pull image`);
      },
      { stepMs: 500 },
    );
  });
});
