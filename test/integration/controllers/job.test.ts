/**
 * The Job controller against a real in-process API server on a fake clock; the test plays the kubelet by writing
 * pods/status (phase, containerStatuses with terminated.finishedAt).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import type { Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { jobControllerFactory } from '../../../src/controllers/job';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
let ct: ControllerTest;
let clock: FakeClock;

type Cond = { type: string; status: string; reason?: string; message?: string };

function job(name: string, spec: Record<string, unknown>): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

async function podsOf(name: string): Promise<Obj[]> {
  return ct.list(R.pods, NS, { labelSelector: `batch.kubernetes.io/job-name=${name}` });
}

async function getJob(name: string): Promise<Obj & { status?: Record<string, unknown> }> {
  return (await ct.admin.get(R.jobs, NS, name)) as never;
}

/** Plays the kubelet: the pod ends with this phase, its container terminated at the clock's now. */
async function finish(pod: Obj, phase: 'Succeeded' | 'Failed'): Promise<void> {
  const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const exitCode = phase === 'Succeeded' ? 0 : 1;
  const status = {
    phase,
    containerStatuses: [
      { name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', started: false, state: { terminated: { exitCode, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } } },
    ],
  };
  await ct.admin.patch(R.pods, NS, String(pod.metadata?.name), { status }, 'merge', 'status');
}

const conds = (j: Obj): Cond[] => (((j.status as { conditions?: Cond[] } | undefined)?.conditions ?? []) as Cond[]);
const cond = (j: Obj, type: string) => conds(j).find((c) => c.type === type && c.status === 'True');

/** Polls, nudging the fake clock by 10 ms each time so rate-limited retries (after a Conflict) happen. */
function eventually<T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return ct.until(async () => {
    clock.advance(10);
    await ct.settle();
    return check();
  }, what);
}

async function activePods(name: string, n: number): Promise<Obj[]> {
  return eventually(async () => {
    const pods = (await podsOf(name)).filter((p) => !p.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(String((p.status as { phase?: string })?.phase)));
    return pods.length === n ? pods : undefined;
  }, `${n} active pods of ${name}`);
}

async function events(reason: string): Promise<string[]> {
  const list = await ct.list({ group: '', version: 'v1', resource: 'events' }, NS);
  return list.filter((e) => e.reason === reason).map((e) => String(e.message));
}

describe('job controller', () => {
  before(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    ct = await startControllerTest([jobControllerFactory], { clock });
  });
  after(async () => {
    await ct.stop();
  });

  it('runs completions pods, parallelism at a time, with the tracking finalizer and labels, then completes', async () => {
    await ct.admin.create(R.jobs, NS, job('two', { completions: 2, parallelism: 1 }));
    const [p1] = await activePods('two', 1);
    assert.ok((p1.metadata?.finalizers as string[]).includes('batch.kubernetes.io/job-tracking'));
    const labels = p1.metadata?.labels as Record<string, string>;
    assert.equal(labels['batch.kubernetes.io/job-name'], 'two');
    assert.equal(labels['job-name'], 'two');
    assert.ok(labels['batch.kubernetes.io/controller-uid']);
    assert.match(String(p1.metadata?.name), /^two-[a-z0-9]{5}$/);
    let j = await eventually(async () => ((await getJob('two')).status?.active === 1 ? getJob('two') : undefined), 'active 1');
    assert.ok(j.status?.startTime);
    await finish(p1, 'Succeeded');
    await ct.advance(1000);
    const [p2] = await activePods('two', 1);
    assert.notEqual(p2.metadata?.name, p1.metadata?.name);
    j = await getJob('two');
    assert.equal(j.status?.succeeded, 1);
    // The counted pod lost its finalizer.
    const p1now = (await podsOf('two')).find((p) => p.metadata?.name === p1.metadata?.name);
    assert.ok(!((p1now?.metadata?.finalizers as string[] | undefined) ?? []).includes('batch.kubernetes.io/job-tracking'));
    await finish(p2, 'Succeeded');
    await ct.advance(1000);
    j = await eventually(async () => {
      const x = await getJob('two');
      return cond(x, 'Complete') ? x : undefined;
    }, 'Complete');
    assert.equal(j.status?.succeeded, 2);
    assert.equal(j.status?.active, undefined);
    assert.ok(j.status?.completionTime);
    const met = cond(j, 'SuccessCriteriaMet');
    assert.equal(met?.reason, 'CompletionsReached');
    assert.equal(cond(j, 'Complete')?.message, 'Reached expected number of succeeded pods');
    await ct.settle();
    assert.ok((await events('Completed')).includes('Job completed'));
    assert.equal((await events('SuccessfulCreate')).filter((m) => m.startsWith('Created pod: two-')).length, 2);
  });

  it('fails with BackoffLimitExceeded after backoffLimit+1 failures, waiting 10 s then 20 s between pods', async () => {
    await ct.admin.create(R.jobs, NS, job('flaky', { backoffLimit: 2 }));
    let [p] = await activePods('flaky', 1);
    await finish(p, 'Failed');
    await ct.advance(1000);
    // Backoff: no new pod before 10 s after the failure.
    await ct.advance(5000);
    assert.equal((await activePods('flaky', 0)).length, 0);
    await ct.advance(5000);
    [p] = await activePods('flaky', 1);
    assert.equal((await getJob('flaky')).status?.failed, 1);
    await finish(p, 'Failed');
    await ct.advance(1000);
    await ct.advance(15_000);
    assert.equal((await activePods('flaky', 0)).length, 0);
    await ct.advance(5000);
    [p] = await activePods('flaky', 1);
    await finish(p, 'Failed');
    await ct.advance(1000);
    const j = await eventually(async () => {
      const x = await getJob('flaky');
      return cond(x, 'Failed') ? x : undefined;
    }, 'Failed');
    assert.equal(j.status?.failed, 3);
    assert.equal(cond(j, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(cond(j, 'Failed')?.message, 'Job has reached the specified backoff limit');
    assert.equal(cond(j, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(j.status?.completionTime, undefined);
    await ct.settle();
    assert.ok((await events('BackoffLimitExceeded')).includes('Job has reached the specified backoff limit'));
  });

  it('Indexed: one pod per index with annotation, label, hostname and env; completedIndexes', async () => {
    await ct.admin.create(R.jobs, NS, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await activePods('idx', 3);
    const byIndex = new Map(pods.map((p) => [String((p.metadata?.annotations as Record<string, string>)['batch.kubernetes.io/job-completion-index']), p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    for (const [ix, p] of byIndex) {
      assert.equal((p.metadata?.labels as Record<string, string>)['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal((p.spec as { hostname?: string }).hostname, `idx-${ix}`);
      assert.match(String(p.metadata?.name), new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      const env = (p.spec as { containers: { env?: { name: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[] }[] }).containers[0].env ?? [];
      assert.equal(env.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.labels['batch.kubernetes.io/job-completion-index']");
    }
    await finish(byIndex.get('0')!, 'Succeeded');
    await finish(byIndex.get('2')!, 'Succeeded');
    await ct.advance(1000);
    let j = await eventually(async () => {
      const x = await getJob('idx');
      return x.status?.completedIndexes === '0,2' ? x : undefined;
    }, 'completedIndexes 0,2');
    assert.equal(j.status?.succeeded, 2);
    // Index 1 fails: it is recreated (after the backoff) with the same index.
    await finish(byIndex.get('1')!, 'Failed');
    await ct.advance(1000);
    await ct.advance(10_000);
    const [again] = await activePods('idx', 1);
    assert.equal((again.metadata?.annotations as Record<string, string>)['batch.kubernetes.io/job-completion-index'], '1');
    await finish(again, 'Succeeded');
    await ct.advance(1000);
    j = await eventually(async () => {
      const x = await getJob('idx');
      return cond(x, 'Complete') ? x : undefined;
    }, 'Complete');
    assert.equal(j.status?.completedIndexes, '0-2');
    assert.equal(j.status?.succeeded, 3);
    assert.equal(j.status?.failed, 1);
  });

  it('activeDeadlineSeconds: DeadlineExceeded on the clock, active pods deleted', async () => {
    await ct.admin.create(R.jobs, NS, job('slow', { parallelism: 2, completions: 4, activeDeadlineSeconds: 30 }));
    await activePods('slow', 2);
    await ct.advance(29_000);
    assert.equal(cond(await getJob('slow'), 'Failed'), undefined);
    await ct.advance(1_000);
    const j = await eventually(async () => {
      await ct.settle();
      const x = await getJob('slow');
      return cond(x, 'Failed') ? x : undefined;
    }, 'Failed');
    assert.equal(cond(j, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(cond(j, 'Failed')?.message, 'Job was active longer than specified deadline');
    assert.equal(j.status?.failed, 2);
    assert.equal((await podsOf('slow')).length, 0);
  });

  it('suspend deletes active pods and sets Suspended; resume recreates them', async () => {
    await ct.admin.create(R.jobs, NS, job('sus', { parallelism: 2, completions: 2 }));
    await activePods('sus', 2);
    await ct.admin.patch(R.jobs, NS, 'sus', { spec: { suspend: true } }, 'merge');
    let j = await eventually(async () => {
      const x = await getJob('sus');
      return cond(x, 'Suspended') ? x : undefined;
    }, 'Suspended');
    assert.equal(cond(j, 'Suspended')?.reason, 'JobSuspended');
    await ct.settle();
    assert.equal((await podsOf('sus')).length, 0);
    await ct.admin.patch(R.jobs, NS, 'sus', { spec: { suspend: false } }, 'merge');
    await activePods('sus', 2);
    j = await eventually(async () => {
      const x = await getJob('sus');
      return conds(x).find((c) => c.type === 'Suspended' && c.status === 'False') ? x : undefined;
    }, 'resumed');
    assert.equal(conds(j).find((c) => c.type === 'Suspended')?.reason, 'JobResumed');
    await ct.settle();
    assert.ok((await events('Suspended')).includes('Job suspended'));
    assert.ok((await events('Resumed')).includes('Job resumed'));
  });
  it('no completions: pods run in parallel until one succeeds, then the rest finish (work-queue Job)', async () => {
    await ct.admin.create(R.jobs, NS, job('queue', { parallelism: 2 }));
    const [a, b] = await activePods('queue', 2);
    await finish(a, 'Succeeded');
    await ct.advance(1000);
    await eventually(async () => (await getJob('queue')).status?.succeeded === 1, 'one succeeded');
    await ct.advance(20_000);
    assert.equal((await activePods('queue', 1)).length, 1);
    assert.equal(cond(await getJob('queue'), 'Complete'), undefined);
    await finish(b, 'Succeeded');
    await ct.advance(1000);
    const j = await eventually(async () => {
      const x = await getJob('queue');
      return cond(x, 'Complete') ? x : undefined;
    }, 'Complete');
    assert.equal(j.status?.succeeded, 2);
  });

  it('counts ready pods; a deleted active pod counts as failed and is replaced after the backoff', async () => {
    await ct.admin.create(R.jobs, NS, job('del', { completions: 1 }));
    const [p] = await activePods('del', 1);
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await ct.admin.patch(R.pods, NS, String(p.metadata?.name), { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, 'merge', 'status');
    await ct.advance(1000);
    await eventually(async () => (await getJob('del')).status?.ready === 1, 'ready 1');
    await ct.admin.delete(R.pods, NS, String(p.metadata?.name));
    await ct.advance(1000);
    const j = await eventually(async () => {
      const x = await getJob('del');
      return x.status?.failed === 1 ? x : undefined;
    }, 'failed 1');
    assert.equal(j.status?.ready, 0);
    // The deleted pod is gone once its finalizer is removed.
    await eventually(async () => !(await podsOf('del')).some((x) => x.metadata?.name === p.metadata?.name), 'old pod gone');
    await ct.advance(10_000);
    const [q] = await activePods('del', 1);
    assert.notEqual(q.metadata?.name, p.metadata?.name);
  });

  it('a deleted Job leaves no pod stuck on the tracking finalizer', async () => {
    await ct.admin.create(R.jobs, NS, job('gone', { parallelism: 2, completions: 2 }));
    const pods = await activePods('gone', 2);
    await ct.admin.delete(R.jobs, NS, 'gone', { propagationPolicy: 'Background' });
    await eventually(async () => {
      const now = await podsOf('gone');
      return now.length === 2 && now.every((x) => !((x.metadata?.finalizers as string[] | undefined) ?? []).includes('batch.kubernetes.io/job-tracking'));
    }, 'finalizers removed');
    assert.equal(pods.length, 2);
  });

  it('adopts a matching orphan pod (manualSelector)', async () => {
    const labels = { app: 'adopt' };
    await ct.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const spec = { parallelism: 1, completions: 1, manualSelector: true, selector: { matchLabels: labels } };
    const body = job('adopt', spec);
    (body.spec as { template: Record<string, unknown> }).template.metadata = { labels };
    await ct.admin.create(R.jobs, NS, body);
    const j = await getJob('adopt');
    const p = await eventually(async () => {
      const x = await ct.admin.get(R.pods, NS, 'stray');
      return (x.metadata?.ownerReferences as unknown[] | undefined)?.length ? x : undefined;
    }, 'adopted');
    const ref = (p.metadata?.ownerReferences as { uid: string; controller: boolean }[])[0];
    assert.deepEqual([ref.uid, ref.controller], [j.metadata?.uid, true]);
    await eventually(async () => ((await ct.admin.get(R.pods, NS, 'stray')).metadata?.finalizers as string[] | undefined)?.includes('batch.kubernetes.io/job-tracking'), 'finalizer added');
    await ct.advance(1000);
    assert.equal((await ct.list(R.pods, NS, { labelSelector: 'app=adopt' })).length, 1);
    assert.equal((await getJob('adopt')).status?.active, 1);
    // The adopted pod counts when it succeeds.
    await finish(p, 'Succeeded');
    await ct.advance(1000);
    await eventually(async () => cond(await getJob('adopt'), 'Complete'), 'Complete');
  });
});
