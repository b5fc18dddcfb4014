/**
 * The CronJob controller against a real in-process API server on a fake clock (no Job controller: the test marks
 * Jobs finished by writing their status).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { cronJobControllerFactory } from '../../../src/controllers/cronjob';
import type { Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const START = Date.UTC(2026, 0, 1);
const MIN = 60_000;
let ct: ControllerTest;
let clock: FakeClock;
let nsSeq = 0;

function cronJob(name: string, spec: Record<string, unknown>): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      ...spec,
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    },
  };
}

async function newNamespace(): Promise<string> {
  const ns = `cj${++nsSeq}`;
  await ct.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return ns;
}

function eventually<T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return ct.until(async () => {
    clock.advance(10);
    await ct.settle();
    return check();
  }, what);
}

const names = async (ns: string) => (await ct.list(R.jobs, ns)).map((j) => String(j.metadata?.name)).sort();
const events = async (ns: string, reason: string) => (await ct.list(R.events, ns)).filter((e) => e.reason === reason).map((e) => String(e.message));
const status = async (ns: string, name: string) => ((await ct.admin.get(R.cronjobs, ns, name)).status ?? {}) as { active?: { name: string }[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
const minuteName = (cj: string, t: number) => `${cj}-${Math.floor(t / MIN)}`;

async function finishJob(ns: string, name: string, type: 'Complete' | 'Failed', at: number): Promise<void> {
  const t = new Date(at).toISOString().replace('.000Z', 'Z');
  const conditions = type === 'Complete'
    ? [{ type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: t, lastTransitionTime: t }, { type: 'Complete', status: 'True', lastProbeTime: t, lastTransitionTime: t }]
    : [{ type: 'FailureTarget', status: 'True', lastProbeTime: t, lastTransitionTime: t, reason: 'BackoffLimitExceeded' }, { type: 'Failed', status: 'True', lastProbeTime: t, lastTransitionTime: t, reason: 'BackoffLimitExceeded' }];
  const st: Record<string, unknown> = { conditions, startTime: t, ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }) };
  await ct.admin.patch(R.jobs, ns, name, { status: st }, 'merge', 'status');
}

describe('cronjob controller', () => {
  before(async () => {
    clock = new FakeClock(START);
    ct = await startControllerTest([cronJobControllerFactory], { clock });
  });
  after(async () => {
    await ct.stop();
  });

  it('creates <name>-<minutes> Jobs on schedule, tracks active / lastScheduleTime / lastSuccessfulTime, cleans history', async () => {
    const ns = await newNamespace();
    const t0 = clock.now();
    await ct.admin.create(R.cronjobs, ns, cronJob('tick', { schedule: '*/1 * * * *', successfulJobsHistoryLimit: 1 }));
    await ct.settle();
    assert.deepEqual(await names(ns), []);
    const first = Math.floor(t0 / MIN) * MIN + MIN;
    await ct.advance(first - clock.now() + 200);
    await eventually(async () => (await names(ns)).includes(minuteName('tick', first)), 'first job');
    const job = await ct.admin.get(R.jobs, ns, minuteName('tick', first));
    assert.equal((job.metadata?.annotations as Record<string, string>)['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(first).toISOString().replace('.000Z', 'Z'));
    assert.equal((job.metadata?.labels as Record<string, string>).app, 'tick');
    const owner = (job.metadata?.ownerReferences as { kind: string; name: string; controller: boolean }[])[0];
    assert.deepEqual([owner.kind, owner.name, owner.controller], ['CronJob', 'tick', true]);
    let st = await status(ns, 'tick');
    assert.deepEqual(st.active?.map((a) => a.name), [minuteName('tick', first)]);
    assert.equal(st.lastScheduleTime, new Date(first).toISOString().replace('.000Z', 'Z'));
    assert.ok((await events(ns, 'SuccessfulCreate')).includes(`Created job ${minuteName('tick', first)}`));

    await finishJob(ns, minuteName('tick', first), 'Complete', clock.now());
    st = await eventually(async () => {
      const s = await status(ns, 'tick');
      return !s.active?.length ? s : undefined;
    }, 'active emptied');
    assert.ok(st.lastSuccessfulTime);
    assert.ok((await events(ns, 'SawCompletedJob')).includes(`Saw completed job: ${minuteName('tick', first)}, status: Complete`));

    // The next minute: a second Job; once it completes, the first is beyond the history limit of 1.
    const second = first + MIN;
    await ct.advance(second - clock.now() + 200);
    await eventually(async () => (await names(ns)).includes(minuteName('tick', second)), 'second job');
    await finishJob(ns, minuteName('tick', second), 'Complete', clock.now());
    await eventually(async () => !(await names(ns)).includes(minuteName('tick', first)), 'first job deleted');
    assert.ok((await events(ns, 'SuccessfulDelete')).includes(`Deleted job ${minuteName('tick', first)}`));
  });

  it('Forbid skips a run while one is active; Replace deletes the active Job', async () => {
    const ns = await newNamespace();
    const base = Math.floor(clock.now() / MIN) * MIN;
    await ct.admin.create(R.cronjobs, ns, cronJob('forbid', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }));
    await ct.admin.create(R.cronjobs, ns, cronJob('replace', { schedule: '* * * * *', concurrencyPolicy: 'Replace' }));
    await ct.advance(base + MIN - clock.now() + 200);
    await eventually(async () => (await names(ns)).length === 2, 'two jobs');
    await ct.advance(MIN);
    await eventually(async () => (await events(ns, 'JobAlreadyActive')).length > 0, 'JobAlreadyActive');
    assert.ok((await events(ns, 'JobAlreadyActive')).includes('Not starting job because prior execution is running and concurrency policy is Forbid'));
    const js = await eventually(async () => {
      const n = await names(ns);
      return n.includes(minuteName('replace', base + 2 * MIN)) ? n : undefined;
    }, 'replacement');
    assert.ok(!js.includes(minuteName('replace', base + MIN)) || (await ct.admin.get(R.jobs, ns, minuteName('replace', base + MIN))).metadata?.deletionTimestamp);
    assert.deepEqual(js.filter((n) => n.startsWith('forbid-')), [minuteName('forbid', base + MIN)]);
    assert.deepEqual((await status(ns, 'replace')).active?.map((a) => a.name), [minuteName('replace', base + 2 * MIN)]);
  });

  it('spec.timeZone: the schedule and the annotation are in the zone', async () => {
    const ns = await newNamespace();
    await ct.admin.create(R.cronjobs, ns, cronJob('tokyo', { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }));
    await ct.settle();
    // 09:00 JST is 00:00 UTC: the next one after now.
    const now = clock.now();
    const next = Math.floor(now / (24 * 60 * MIN)) * 24 * 60 * MIN + 24 * 60 * MIN;
    await ct.advance(next - now - MIN);
    assert.deepEqual(await names(ns), []);
    await ct.advance(MIN + 200);
    await eventually(async () => (await names(ns)).includes(minuteName('tokyo', next)), 'tokyo job');
    const job = await ct.admin.get(R.jobs, ns, minuteName('tokyo', next));
    const day = new Date(next).toISOString().slice(0, 10);
    assert.equal((job.metadata?.annotations as Record<string, string>)['batch.kubernetes.io/cronjob-scheduled-timestamp'], `${day}T09:00:00+09:00`);
  });

  it('suspend: nothing runs; after a long suspension, one Job for the latest time and TooManyMissedTimes', async () => {
    const ns = await newNamespace();
    await ct.admin.create(R.cronjobs, ns, cronJob('sleepy', { schedule: '* * * * *', suspend: true }));
    await ct.advance(150 * MIN);
    assert.deepEqual(await names(ns), []);
    await ct.admin.patch(R.cronjobs, ns, 'sleepy', { spec: { suspend: false } }, 'merge');
    const latest = Math.floor(clock.now() / MIN) * MIN;
    await eventually(async () => (await names(ns)).length === 1, 'one job');
    assert.deepEqual(await names(ns), [minuteName('sleepy', latest)]);
    await eventually(async () => (await events(ns, 'TooManyMissedTimes')).length > 0, 'warning');
    assert.ok((await events(ns, 'TooManyMissedTimes')).includes('too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  });
  it('an active Job that disappears leaves status.active (MissingJob)', async () => {
    const ns = await newNamespace();
    await ct.admin.create(R.cronjobs, ns, cronJob('lost', { schedule: '0 0 1 1 *' }));
    await ct.settle();
    // A schedule far away: only the Job made by hand (as `kubectl create job --from=cronjob/…` would) is there.
    const cj = await ct.admin.get(R.cronjobs, ns, 'lost');
    const owner = { apiVersion: 'batch/v1', kind: 'CronJob', name: 'lost', uid: cj.metadata?.uid, controller: true, blockOwnerDeletion: true };
    const made = await ct.admin.create(R.jobs, ns, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'lost-manual', ownerReferences: [owner] }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
    await eventually(async () => (await events(ns, 'UnexpectedJob')).includes('Saw a job that the controller did not create or forgot: lost-manual'), 'UnexpectedJob');
    const ref = { kind: 'Job', namespace: ns, name: 'lost-manual', uid: made.metadata?.uid, apiVersion: 'batch/v1' };
    await ct.admin.updateStatus(R.cronjobs, ns, { ...(await ct.admin.get(R.cronjobs, ns, 'lost')), status: { active: [ref] } });
    await ct.settle();
    await ct.admin.delete(R.jobs, ns, 'lost-manual');
    await eventually(async () => !(await status(ns, 'lost')).active?.length, 'active emptied');
    assert.ok((await events(ns, 'MissingJob')).includes('Active job went missing: lost-manual'));
  });
});
