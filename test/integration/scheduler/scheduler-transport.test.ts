/**
 * The scheduler as its own process would run it: over HTTPS with a static token of user system:kube-scheduler (so
 * RBAC holds it to that role), and a scheduling loop that leaves the event loop a turn every few milliseconds, so
 * bindings complete while pods are still queued (kube-scheduler binds in goroutines beside its loop).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/base/logger';
import { tokensFile } from '../../../src/apiserver/pki/tokens';
import { HttpsTransport } from '../../../src/client/https-transport';
import { ApiClient, type Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { startScheduler, type RunningScheduler } from '../../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { nodeNameOf, readyNode, smallPod } from '../../helpers/scheduler-api-objects';
import { waitFor } from '../../helpers/wait';

let tc: TestCluster;
let admin: ApiClient;

const node = readyNode;
const pod = smallPod;
const nodeName = nodeNameOf;

describe('scheduler transports', () => {
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
    for (let i = 1; i <= 3; i++) await admin.create(R.nodes, '', node(`node-${i}`));
  });

  after(async () => {
    await tc?.stop();
  });

  it('needs exactly one of handle and transport', async () => {
    await assert.rejects(startScheduler({ logger: silentLogger }), /either handle or transport/);
    const t = tc.https();
    await assert.rejects(startScheduler({ logger: silentLogger, transport: t, handle: (r) => tc.cluster.handle(r) }), /either handle or transport/);
  });

  it('schedules over HTTPS as system:kube-scheduler, held to its RBAC role', async () => {
    const token = randomBytes(24).toString('base64url');
    appendFileSync(tokensFile(tc.dir), `${token},system:kube-scheduler,system:kube-scheduler,"system:authenticated"\n`);
    // The token file is re-read at most once a second.
    await waitFor(async () => (await tc.https(token).request({ method: 'GET', path: '/api/v1/nodes' })).status === 200, 'the scheduler token to be loaded', { timeoutMs: 5000 });
    const transport = new HttpsTransport({ url: tc.cluster.url, caCert: tc.cluster.caCert, token });
    const sched = await startScheduler({ transport, logger: silentLogger });
    try {
      await admin.create(R.pods, 'default', pod('over-https'));
      const bound = (await waitFor(async () => {
        const p = await admin.get(R.pods, 'default', 'over-https');
        return nodeName(p) ? p : undefined;
      }, 'over-https bound', { timeoutMs: 15_000 })) as Obj;
      assert.match(String(nodeName(bound)), /^node-[123]$/);
      // The role lets the scheduler bind and record events, not delete namespaces.
      const res = await transport.request({ method: 'DELETE', path: '/api/v1/namespaces/default' });
      assert.equal(res.status, 403);
      assert.match(String((res.body as { message?: string }).message), /User "system:kube-scheduler" cannot delete resource "namespaces"/);
    } finally {
      await sched.close();
    }
  });

  it('bindings complete while pods are still queued (the loop yields to the event loop)', async () => {
    const N = 300;
    for (let i = 0; i < N; i++) await admin.create(R.pods, 'default', pod(`queued-${i}`));
    let sched: RunningScheduler | undefined;
    let bindingsWhileQueued = 0;
    let bindings = 0;
    sched = await startScheduler({
      logger: silentLogger,
      handle: async (req) => {
        const res = await tc.cluster.handle(req);
        if (req.method === 'POST' && req.path.endsWith('/binding')) {
          bindings++;
          if ((sched?.pendingPods().active ?? 0) > 0) bindingsWhileQueued++;
        }
        return res;
      },
    });
    try {
      await sched.idle();
      assert.ok(bindings >= N, `${bindings} bindings`);
      assert.ok(bindingsWhileQueued > 0, 'no binding completed before the queue was empty: the scheduling loop starved them');
    } finally {
      await sched.close();
      sched = undefined;
    }
  });
});
