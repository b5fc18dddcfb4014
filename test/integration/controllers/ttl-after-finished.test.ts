/** The TTL-after-finished controller against a real in-process API server on a fake clock. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import type { Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { jobControllerFactory } from '../../../src/controllers/job';
import { ttlAfterFinishedControllerFactory } from '../../../src/controllers/ttlafterfinished';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
let ct: ControllerTest;
let clock: FakeClock;

function job(name: string, ttl?: number): Obj {
  const spec: Record<string, unknown> = { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } };
  if (ttl !== undefined) spec.ttlSecondsAfterFinished = ttl;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec };
}

async function finish(name: string, type: 'Complete' | 'Failed'): Promise<void> {
  const t = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const c = (ty: string) => ({ type: ty, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason: type === 'Failed' ? 'DeadlineExceeded' : 'CompletionsReached' });
  const conditions = type === 'Complete' ? [c('SuccessCriteriaMet'), c('Complete')] : [c('FailureTarget'), c('Failed')];
  const status: Record<string, unknown> = { conditions, startTime: t, ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }) };
  await ct.admin.patch(R.jobs, NS, name, { status }, 'merge', 'status');
}

/** Gone, or being deleted in the foreground (no garbage collector runs here to finish it). */
async function deleted(name: string): Promise<Obj | 'gone' | undefined> {
  try {
    const j = await ct.admin.get(R.jobs, NS, name);
    return j.metadata?.deletionTimestamp ? j : undefined;
  } catch {
    return 'gone';
  }
}

describe('ttl-after-finished controller', () => {
  before(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    ct = await startControllerTest([ttlAfterFinishedControllerFactory], { clock });
  });
  after(async () => {
    await ct.stop();
  });

  it('deletes a finished Job ttlSecondsAfterFinished after it finished, in the foreground', async () => {
    await ct.admin.create(R.jobs, NS, job('done', 30));
    await ct.admin.create(R.jobs, NS, job('failed', 0));
    await ct.admin.create(R.jobs, NS, job('running', 1));
    await ct.admin.create(R.jobs, NS, job('keep'));
    await finish('done', 'Complete');
    await finish('failed', 'Failed');
    await finish('keep', 'Complete');
    await ct.settle();
    const f = await ct.until(() => deleted('failed'), 'ttl 0 deleted at once');
    if (f !== 'gone') assert.ok((f.metadata?.finalizers as string[]).includes('foregroundDeletion'));
    await ct.advance(29_000);
    assert.equal(await deleted('done'), undefined);
    await ct.advance(1_000);
    await ct.until(() => deleted('done'), 'done deleted after 30 s');
    await ct.advance(3_600_000);
    assert.equal(await deleted('running'), undefined);
    assert.equal(await deleted('keep'), undefined);
  });

  it('a TTL raised after the Job finished postpones the deletion', async () => {
    await ct.admin.create(R.jobs, NS, job('raised', 10));
    await finish('raised', 'Complete');
    await ct.settle();
    await ct.admin.patch(R.jobs, NS, 'raised', { spec: { ttlSecondsAfterFinished: 100 } }, 'merge');
    await ct.advance(10_000);
    assert.equal(await deleted('raised'), undefined);
    await ct.advance(90_000);
    await ct.until(() => deleted('raised'), 'deleted after the new TTL');
  });
});

describe('ttl-after-finished with the job controller', () => {
  let both: ControllerTest;
  before(async () => {
    both = await startControllerTest([jobControllerFactory, ttlAfterFinishedControllerFactory], { clock: new FakeClock(Date.UTC(2026, 0, 1)) });
  });
  after(async () => {
    await both.stop();
  });

  it('a Job that completes through its pod is deleted ttlSecondsAfterFinished later', async () => {
    await both.admin.create(R.jobs, NS, job('e2e', 5));
    const pod = await both.until(async () => {
      both.clock.advance(10);
      await both.settle();
      return (await both.list(R.pods, NS, { labelSelector: 'batch.kubernetes.io/job-name=e2e' }))[0];
    }, 'pod');
    const t = new Date(both.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const cs = { name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode: 0, startedAt: t, finishedAt: t } } };
    await both.admin.patch(R.pods, NS, String(pod.metadata?.name), { status: { phase: 'Succeeded', containerStatuses: [cs] } }, 'merge', 'status');
    await both.advance(1000);
    const done = await both.until(async () => {
      both.clock.advance(10);
      await both.settle();
      const j = await both.admin.get(R.jobs, NS, 'e2e');
      return ((j.status as { conditions?: { type: string }[] }).conditions ?? []).some((c) => c.type === 'Complete') ? j : undefined;
    }, 'Complete');
    assert.equal(done.metadata?.deletionTimestamp, undefined);
    await both.advance(5000);
    await both.until(async () => {
      try {
        return !!(await both.admin.get(R.jobs, NS, 'e2e')).metadata?.deletionTimestamp;
      } catch {
        return true;
      }
    }, 'deleted');
  });
});
