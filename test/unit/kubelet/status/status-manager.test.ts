/**
 * StatusManager against the real in-process API server (Node authorizer and NodeRestriction in force) as
 * `system:node:n1`, on a fake clock: coalesced PATCHes of only what changed with the uid precondition, no rewrite
 * of an identical status, pacing, terminal phases kept, resync after someone else changed the status, retries with
 * backoff, deletion once terminated (grace 0, uid precondition), and forgetting pods the API no longer has.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { memoryLogger } from '../../../../src/base/logger';
import { InProcessTransport } from '../../../../src/client/in-process';
import type { RestRequest, RestResponse, Transport, WatchStream } from '../../../../src/client/transport';
import { ApiClient, R, type Obj } from '../../../../src/controllers/framework';
import { nodeUser } from '../../../../src/kubelet/node/identity';
import type { ContainerRecord, PodView } from '../../../../src/kubelet/pod/pod-view';
import type { ContainerStatus } from '../../../../src/kubelet/runtime/runtime';
import { generatePodStatus } from '../../../../src/kubelet/status/generate';
import { StatusManager } from '../../../../src/kubelet/status/status-manager';
import type { PodStatus } from '../../../../src/kubelet/status/types';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';
import { waitFor } from '../../../helpers/wait';

const NS = 'default';
const NODE = 'n1';

/** The node's transport, recording requests, counting concurrency, optionally failing PATCHes or holding requests. */
class Recorder implements Transport {
  log: RestRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failPatches = 0;
  hold: Promise<void> | undefined;
  constructor(private readonly inner: Transport) {}
  async request(req: RestRequest): Promise<RestResponse> {
    this.log.push(req);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.hold) await this.hold;
      if (req.method === 'PATCH' && this.failPatches > 0) {
        this.failPatches--;
        return { status: 500, headers: {}, body: { kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'injected failure', code: 500 } };
      }
      return await this.inner.request(req);
    } finally {
      this.inFlight--;
    }
  }
  watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    return this.inner.watch(req);
  }
  close(): void {
    this.inner.close();
  }
  count(method: string, name?: string): number {
    return this.log.filter((r) => r.method === method && (!name || r.path.includes(`/pods/${name}`))).length;
  }
  reset(): void {
    this.log = [];
    this.maxInFlight = 0;
  }
}

describe('StatusManager against the API server', () => {
  let tc: TestCluster;
  let clock: FakeClock;
  let admin: ApiClient;
  let rec: Recorder;
  let sm: StatusManager;
  const logs = memoryLogger();

  before(async () => {
    clock = new FakeClock();
    tc = await startTestCluster({ clock });
    admin = new ApiClient(tc.inProcess());
    await admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } });
    rec = new Recorder(new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: nodeUser(NODE) }));
    sm = new StatusManager({ client: new ApiClient(rec), clock, logger: logs.logger, nodeName: NODE });
  });
  after(async () => {
    await sm.close();
    rec.close();
    await tc.stop();
  });

  /** Create a pod as admin and bind it to the node; returns the API object. */
  async function createPod(name: string, spec: Obj = {}): Promise<Obj> {
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec } };
    await waitFor(async () => admin.create(R.pods, NS, body).then(() => true, () => false), `pod ${name} created`);
    await admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } }, { name, subresource: 'binding' });
    return admin.get(R.pods, NS, name);
  }
  const get = (name: string) => admin.get(R.pods, NS, name);
  const statusOf = (p: Obj) => p.status as PodStatus;

  const T = () => clock.now();
  const ctr = (id: string, state: ContainerStatus['state'], o: Partial<ContainerStatus> = {}): ContainerStatus => ({
    id,
    sandboxId: 'sb',
    name: 'web',
    image: 'nginx',
    imageId: `sha256:${'c'.repeat(64)}`,
    state,
    createdAt: T(),
    startedAt: state === 'created' ? undefined : T(),
    ...(state === 'exited' ? { finishedAt: T(), exitCode: 0, reason: 'Completed' as const } : {}),
    ...o,
  });
  const viewOf = (pod: Obj, web: Partial<ContainerRecord>, o: Partial<PodView> = {}): PodView => ({
    pod: pod as PodView['pod'],
    sandbox: { id: 'sb', podUid: String(pod.metadata?.uid), state: 'ready', ip: '10.244.0.7', createdAt: T(), config: { ip: '10.244.0.7' } },
    containers: [{ name: 'web', kind: 'regular', restartCount: 0, ...web }],
    probes: new Map(),
    hostIP: '172.18.0.2',
    podIP: '10.244.0.7',
    ...o,
  });
  const gen = (pod: Obj, web: Partial<ContainerRecord>, o: Partial<PodView> = {}) => generatePodStatus(viewOf(pod, web, o), clock.now());

  it('coalesces several updates into one PATCH of only what changed, with the uid precondition', async () => {
    const pod = await createPod('coalesce');
    rec.reset();
    sm.setPodStatus(pod, gen(pod, {}, { sandbox: undefined, podIP: undefined }));
    sm.setPodStatus(pod, gen(pod, { current: ctr('c0', 'created') }));
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    await sm.idle();
    assert.equal(rec.count('PATCH'), 1);
    assert.equal(rec.count('GET'), 0, 'the pod handed in is the base: no GET');
    const patch = rec.log.find((r) => r.method === 'PATCH')!;
    assert.equal(patch.path, '/api/v1/namespaces/default/pods/coalesce/status');
    assert.equal(patch.contentType, 'application/strategic-merge-patch+json');
    const body = patch.body as { metadata: Obj; status: Obj };
    assert.deepEqual(body.metadata, { uid: pod.metadata?.uid });
    assert.ok(!('qosClass' in body.status), 'qosClass unchanged, not sent');
    const stored = statusOf(await get('coalesce'));
    assert.equal(stored.phase, 'Running');
    assert.equal(stored.containerStatuses?.[0].containerID, 'kubelab-sim://c1');
    assert.deepEqual(stored.conditions?.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    assert.equal(stored.podIP, '10.244.0.7');
    assert.equal(stored.hostIP, '172.18.0.2');
    assert.deepEqual(sm.status(String(pod.metadata?.uid))?.phase, 'Running');
  });

  it('updates while a PATCH is in flight make exactly one more PATCH with the latest', async () => {
    const pod = await createPod('inflight');
    rec.reset();
    let release!: () => void;
    rec.hold = new Promise((r) => (release = r));
    sm.setPodStatus(pod, gen(pod, { current: ctr('c0', 'created') }));
    await waitFor(() => rec.count('PATCH', 'inflight') === 1, 'first PATCH in flight');
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'exited', { exitCode: 1, reason: 'Error' }), waiting: { reason: 'CrashLoopBackOff' }, restartCount: 0 }));
    rec.hold = undefined;
    release();
    await sm.idle();
    assert.equal(rec.count('PATCH', 'inflight'), 2);
    const web = statusOf(await get('inflight')).containerStatuses?.[0];
    assert.deepEqual(web?.state, { waiting: { reason: 'CrashLoopBackOff' } });
    assert.equal(web?.lastState.terminated?.exitCode, 1);
  });

  it('does not rewrite an identical status, nor one that differs only in transition times', async () => {
    const pod = await createPod('same');
    const web = { current: ctr('c1', 'running') };
    sm.setPodStatus(pod, gen(pod, web));
    await sm.idle();
    rec.reset();
    const fresh = await get('same');
    sm.setPodStatus(fresh, gen(fresh, web));
    clock.advance(5_000);
    const later = gen(fresh, web);
    for (const c of later.conditions ?? []) c.lastTransitionTime = '2030-01-01T00:00:00Z';
    sm.setPodStatus(fresh, later);
    await sm.idle();
    clock.advance(10_000); // a resync finds nothing to do either
    await sm.idle();
    assert.equal(rec.count('PATCH'), 0);
    assert.equal(rec.count('GET'), 0);
    // a real change is still written
    sm.setPodStatus(fresh, gen(fresh, { current: ctr('c1', 'exited', { exitCode: 1, reason: 'Error' }) }));
    await sm.idle();
    assert.equal(rec.count('PATCH'), 1);
  });

  it('paces writes: at most 4 in flight, every pod written', async () => {
    const pods = [];
    for (let i = 0; i < 12; i++) pods.push(await createPod(`pace-${i}`));
    rec.reset();
    for (const p of pods) sm.setPodStatus(p, gen(p, { current: ctr(`c-${String(p.metadata?.name)}`, 'running') }));
    await sm.idle();
    assert.equal(rec.count('PATCH'), 12);
    assert.equal(rec.maxInFlight, 4);
    for (const p of pods) assert.equal(statusOf(await get(String(p.metadata?.name))).phase, 'Running');
  });

  it('never moves a pod out of a terminal phase the API has, nor reports it Ready', async () => {
    const pod = await createPod('terminal');
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    await sm.idle();
    await admin.patch(R.pods, NS, 'terminal', { status: { phase: 'Succeeded' } }, 'merge', 'status');
    const fresh = await get('terminal');
    sm.setPodStatus(fresh, { ...gen(fresh, { current: ctr('c1', 'running') }), phase: 'Running' });
    clock.advance(1_000);
    sm.setPodStatus(fresh, { ...gen(fresh, { current: ctr('c2', 'running') }), phase: 'Running' });
    await sm.idle();
    const st = statusOf(await get('terminal'));
    assert.equal(st.phase, 'Succeeded');
    const ready = st.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.status, ready?.reason], ['False', 'PodCompleted']);
  });

  it('resync: a kubelet-owned condition changed by someone else is written back within 10 s', async () => {
    const pod = await createPod('resync');
    const status = gen(pod, { current: ctr('c1', 'running') });
    sm.setPodStatus(pod, status);
    await sm.idle();
    // e.g. the node lifecycle controller marking the pod not ready
    await admin.patch(R.pods, NS, 'resync', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'NodeNotReady' }] } }, 'strategic', 'status');
    const seen = await get('resync');
    rec.reset();
    sm.setPodStatus(seen, status); // the pod worker hands the fresh pod over with the same status: nothing queued
    await sm.idle();
    assert.equal(rec.count('PATCH'), 0);
    clock.advance(10_000);
    await waitFor(() => rec.count('PATCH', 'resync') === 1, 'the resync PATCH');
    await sm.idle();
    assert.equal(statusOf(await get('resync')).conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });

  it('retries failed writes with backoff (re-reading the pod first)', async () => {
    const pod = await createPod('retry');
    rec.reset();
    rec.failPatches = 2;
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    await sm.idle();
    assert.equal(rec.count('PATCH'), 1);
    clock.advance(999);
    await sm.idle();
    assert.equal(rec.count('PATCH'), 1, 'not before 1 s');
    clock.advance(1);
    await waitFor(() => rec.count('PATCH') === 2, 'second try after 1 s');
    await sm.idle();
    clock.advance(2_000);
    await waitFor(() => rec.count('PATCH') === 3, 'third try after 2 more s');
    await sm.idle();
    assert.equal(rec.count('GET', 'retry'), 2, 'the pod is re-read before each retry');
    assert.equal(statusOf(await get('retry')).phase, 'Running');
    assert.ok(logs.records.some((r) => r.message.includes('Failed to update status for pod default/retry: injected failure')));
  });

  it('refuses to move a container out of terminated when it may not restart', async () => {
    const pod = await createPod('never', { restartPolicy: 'Never' });
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'exited', { exitCode: 0 }) }));
    await sm.idle();
    rec.reset();
    const fresh = await get('never');
    sm.setPodStatus(fresh, gen(fresh, { current: ctr('c2', 'running') }));
    await sm.idle();
    assert.equal(rec.count('PATCH'), 0);
    assert.ok(logs.records.some((r) => r.message.includes('terminated container web attempted illegal transition to non-terminated state')));
    assert.equal(statusOf(await get('never')).phase, 'Succeeded');
  });

  it('terminated(): writes the final status, then deletes the pod with grace 0 and the uid precondition', async () => {
    const pod = await createPod('bye');
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    await sm.idle();
    await admin.delete(R.pods, NS, 'bye', { gracePeriodSeconds: 30 });
    const deleting = await get('bye');
    assert.ok(deleting.metadata?.deletionTimestamp, 'graceful deletion keeps the pod for the kubelet');
    rec.reset();
    const stopped = gen(deleting, { current: ctr('c1', 'exited', { exitCode: 143, reason: 'Error' }) }, { terminated: true, sandbox: undefined });
    assert.equal(stopped.phase, 'Failed');
    sm.setPodStatus(deleting, stopped);
    sm.terminated(deleting);
    await sm.idle();
    assert.deepEqual(rec.log.map((r) => r.method), ['PATCH', 'DELETE']);
    assert.deepEqual(rec.log[1].body, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    await assert.rejects(get('bye'), /not found/);
    assert.equal(sm.status(String(pod.metadata?.uid)), undefined, 'forgotten');
  });

  it('terminated() of a pod that is not being deleted makes it terminal but keeps it', async () => {
    const pod = await createPod('done');
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    await sm.idle();
    rec.reset();
    sm.terminated(await get('done'));
    await sm.idle();
    assert.equal(rec.count('DELETE'), 0);
    const st = statusOf(await get('done'));
    assert.equal(st.phase, 'Failed');
    assert.deepEqual(st.containerStatuses?.[0].state, {
      terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' },
    });
  });

  it('a pod gone from the API (404) is forgotten, and not retried', async () => {
    const pod = await createPod('gone');
    await admin.delete(R.pods, NS, 'gone', { gracePeriodSeconds: 0 });
    rec.reset();
    sm.setPodStatus(pod, gen(pod, { current: ctr('c1', 'running') }));
    await sm.idle();
    assert.equal(rec.count('PATCH'), 1);
    assert.equal(sm.status(String(pod.metadata?.uid)), undefined);
    clock.advance(30_000);
    await sm.idle();
    assert.equal(rec.log.length, 1);
  });

  it('a pod recreated under the same name is not written with the old pod status', async () => {
    const old = await createPod('again');
    await admin.delete(R.pods, NS, 'again', { gracePeriodSeconds: 0 });
    const fresh = await createPod('again');
    rec.reset();
    sm.setPodStatus(old, gen(old, { current: ctr('c1', 'running') }));
    await sm.idle();
    clock.advance(30_000);
    await sm.idle();
    assert.notEqual(statusOf(await get('again')).phase, 'Running');
    assert.equal(sm.status(String(old.metadata?.uid)), undefined, 'forgotten');
    assert.ok(rec.log.length <= 3, `few requests: ${rec.log.map((r) => r.method).join(',')}`);
    assert.equal(fresh.metadata?.name, 'again');
  });
});
