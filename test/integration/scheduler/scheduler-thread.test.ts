/**
 * kube-scheduler in a thread of its own (src/cluster/scheduler-thread.ts), as startCluster runs it with the system
 * clock: it binds pods through the API server as system:kube-scheduler (RBAC applies across the thread boundary),
 * its log records reach the owner's logger, a thread that dies is logged and started again, and close() ends the
 * thread for good. A cluster started with the system clock schedules through it end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryLogger } from '../../../src/base/logger';
import { ApiClient, type Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { startSchedulerThread, type SchedulerThread } from '../../../src/cluster/scheduler-thread';
import { defaultSchedulerConfig } from '../../../src/scheduler/config';
import { SCHEDULER_USER } from '../../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { nodeNameOf, readyNode, smallPod } from '../../helpers/scheduler-api-objects';
import { waitFor } from '../../helpers/wait';

let tc: TestCluster;
let admin: ApiClient;

const node = readyNode;
const pod = smallPod;
const nodeName = nodeNameOf;

async function bound(name: string): Promise<string> {
  const p = (await waitFor(async () => {
    const o = await admin.get(R.pods, 'default', name);
    return nodeName(o) ? o : undefined;
  }, `${name} bound`, { timeoutMs: 20_000 })) as Obj;
  return String(nodeName(p));
}

describe('kube-scheduler in its own thread', () => {
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
    for (let i = 1; i <= 2; i++) await admin.create(R.nodes, '', node(`node-${i}`));
  });

  after(async () => {
    await tc?.stop();
  });

  it('binds pods as system:kube-scheduler, relays its logs, restarts a dead thread and ends it on close', { timeout: 60_000 }, async () => {
    const { logger, records } = memoryLogger('info');
    const requests: { user?: string; path: string }[] = [];
    const sched: SchedulerThread = await startSchedulerThread({
      config: defaultSchedulerConfig(),
      logger: logger.child('kube-scheduler'),
      handle: (req) => {
        requests.push({ user: req.inProcessUser?.name, path: req.path });
        return tc.cluster.handle(req);
      },
    });
    let closed = false;
    try {
      const first = sched.worker;
      assert.ok(first, 'a thread runs');
      assert.equal(sched.healthy, true);
      await admin.create(R.pods, 'default', pod('threaded-1'));
      assert.match(await bound('threaded-1'), /^node-[12]$/);
      assert.ok(requests.some((r) => r.path.endsWith('/pods/threaded-1/binding')), 'the binding came through the handler');
      assert.ok(requests.every((r) => r.user === SCHEDULER_USER.name), 'every request ran as system:kube-scheduler');

      // The thread dies (as a crashed kube-scheduler process would): logged, and started again after 1 s.
      const exited = new Promise<number>((res) => first.once('exit', res));
      await first.terminate();
      await exited;
      assert.equal(sched.healthy, false, 'down until the new thread schedules (componentstatuses and the static pod say so)');
      await waitFor(() => (sched.restarts === 1 && sched.worker && sched.worker !== first ? true : undefined), 'the thread to be restarted', { timeoutMs: 15_000 });
      await waitFor(() => sched.healthy || undefined, 'the new thread to have started');
      assert.ok(records.some((r) => r.level === 'error' && r.component === 'kubelab/kube-scheduler' && /thread exited unexpectedly .*restarting in 1 s/.test(r.message)), JSON.stringify(records));
      await admin.create(R.pods, 'default', pod('threaded-2'));
      assert.match(await bound('threaded-2'), /^node-[12]$/);

      const last = sched.worker!;
      const lastExit = new Promise<number>((res) => last.once('exit', res));
      await sched.close();
      closed = true;
      await lastExit;
      assert.equal(sched.worker, undefined);
      // Closed for good: no restart, and no pod is bound any more.
      await admin.create(R.pods, 'default', pod('after-close'));
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(sched.restarts, 1);
      assert.equal(nodeName(await admin.get(R.pods, 'default', 'after-close')), undefined);
      assert.ok(!records.some((r) => r.level === 'error' && r.message.includes('did not stop')), 'it stopped cleanly');
    } finally {
      if (!closed) await sched.close();
    }
  });
});

describe('startCluster with the system clock', () => {
  it('runs kube-scheduler in its own thread and schedules through it', { timeout: 60_000 }, async () => {
    const c = await startTestCluster({ scheduler: true });
    try {
      const a = new ApiClient(c.inProcess());
      await a.create(R.nodes, '', node('only'));
      await a.create(R.pods, 'default', pod('via-cluster'));
      const p = (await waitFor(async () => {
        const o = await a.get(R.pods, 'default', 'via-cluster');
        return nodeName(o) ? o : undefined;
      }, 'via-cluster bound', { timeoutMs: 20_000 })) as Obj;
      assert.equal(nodeName(p), 'only');
      assert.equal(c.cluster.status().components.find((x) => x.name === 'kube-scheduler')?.state, 'running');
    } finally {
      await c.stop();
    }
  });
});
