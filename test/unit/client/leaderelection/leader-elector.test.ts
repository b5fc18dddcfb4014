/**
 * LeaderElector against the real in-process API server, on a fake clock: one leader among candidates, takeover
 * after a crash only once leaseDuration has passed, stepping down after renewDeadline of failed renewals, release
 * on a clean stop, optimistic-concurrency conflicts, and the Lease's fields as client-go writes them.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { validateConfig, type LeaderElectionConfig } from '../../../../src/client/leaderelection';
import type { Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';
import { drive, leaders, makeElector, settle, type TestElector } from './harness';

let tc: TestCluster;
let api: Transport;
let seq = 0;

before(async () => {
  tc = await startTestCluster();
  api = tc.inProcess();
});
after(async () => {
  await tc.stop();
});

/** The Lease fields these tests read. */
interface LeaseT {
  apiVersion: string;
  kind: string;
  metadata: { name: string; uid: string; resourceVersion: string; labels?: Record<string, string> };
  spec: { holderIdentity: string; leaseDurationSeconds: number; acquireTime: string; renewTime: string; leaseTransitions: number };
}

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

async function getLease(name: string): Promise<LeaseT> {
  const r = await api.request({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as LeaseT;
}

/** A fresh lease name and clock per test; electors started in order (each settled before the next). */
async function scene(ids: string[], opts: { releaseOnCancel?: boolean } = {}) {
  const name = `lock-${++seq}`;
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const es: TestElector[] = [];
  for (const id of ids) {
    es.push(makeElector({ id, transport: api, clock, name, releaseOnCancel: opts.releaseOnCancel }));
    await settle(es);
  }
  return { name, clock, es };
}

async function stopAll(es: TestElector[]) {
  await Promise.all(es.map((e) => e.elector.stop({ release: false })));
}

describe('LeaderElector', () => {
  it('two electors on one lease: exactly one leads, the other stays standby while the leader renews', async () => {
    const { name, clock, es } = await scene(['host_a', 'host_b']);
    const [a, b] = es;
    assert.deepEqual(leaders(es), ['host_a']);
    assert.equal(await a.elector.firstAttempt, true);
    assert.equal(await b.elector.firstAttempt, false);
    assert.equal(a.started, 1);
    assert.equal(b.started, 0);
    assert.equal(b.elector.getLeader(), 'host_a');
    const first = await getLease(name);
    for (let i = 0; i < 6; i++) {
      await drive(clock, es, 10_000);
      assert.deepEqual(leaders(es), ['host_a'], `after ${(i + 1) * 10} s`);
    }
    const later = await getLease(name);
    assert.equal(later.spec.acquireTime, first.spec.acquireTime, 'renewals keep acquireTime');
    assert.notEqual(later.spec.renewTime, first.spec.renewTime, 'renewals move renewTime');
    assert.equal(later.spec.leaseTransitions, 0);
    assert.equal(b.started, 0);
    assert.deepEqual(b.newLeaders, ['host_a']);
    await stopAll(es);
  });

  it('the Lease holds what client-go writes: holder, 15 s, MicroTime acquire/renew, transitions 0', async () => {
    const { name, clock, es } = await scene(['node-1_0f8d7e4c-1111-4d6a-9a65-2f7a1c3b5e77']);
    const lease = await getLease(name);
    assert.equal(lease.apiVersion, 'coordination.k8s.io/v1');
    assert.equal(lease.kind, 'Lease');
    assert.deepEqual(Object.keys(lease.spec).sort(), ['acquireTime', 'holderIdentity', 'leaseDurationSeconds', 'leaseTransitions', 'renewTime']);
    assert.equal(lease.spec.holderIdentity, 'node-1_0f8d7e4c-1111-4d6a-9a65-2f7a1c3b5e77');
    assert.equal(lease.spec.leaseDurationSeconds, 15);
    assert.equal(lease.spec.leaseTransitions, 0);
    assert.match(lease.spec.acquireTime, MICRO);
    assert.equal(lease.spec.acquireTime, '2026-01-01T12:00:00.000000Z');
    assert.equal(lease.spec.renewTime, lease.spec.acquireTime);
    await drive(clock, es, 2_000);
    assert.equal((await getLease(name)).spec.renewTime, '2026-01-01T12:00:02.000000Z');
    await stopAll(es);
  });

  it('a leader that dies (stopped without releasing) is replaced after leaseDuration, leaseTransitions +1', async () => {
    const { name, clock, es } = await scene(['host_a', 'host_b'], { releaseOnCancel: true });
    const [a, b] = es;
    await drive(clock, es, 4_000);
    const before = await getLease(name);
    await a.elector.stop({ release: false });
    assert.equal(a.stopped, 1);
    assert.equal(a.signal?.aborted, true);
    assert.equal((await getLease(name)).spec.holderIdentity, 'host_a', 'a crash leaves the lease held');
    await drive(clock, [b], 12_000);
    assert.equal(b.elector.isLeader(), false, 'not before leaseDuration has passed');
    await drive(clock, [b], 8_000);
    assert.equal(b.elector.isLeader(), true);
    assert.equal(b.started, 1);
    const after = await getLease(name);
    assert.equal(after.spec.holderIdentity, 'host_b');
    assert.equal(after.spec.leaseTransitions, before.spec.leaseTransitions + 1);
    assert.notEqual(after.spec.acquireTime, before.spec.acquireTime);
    // a last renewed at 4 s; b saw that record change at its poll at 4 or 6 s and waited 15 s more from there.
    const acquired = Date.parse(after.spec.acquireTime.replace(/(\.\d{3})\d+/, '$1')) - Date.UTC(2026, 0, 1, 12);
    assert.ok(acquired >= 19_000 && acquired <= 22_000, `acquired at ${acquired} ms`);
    await stopAll(es);
  });

  it('renewals failing for renewDeadline make the leader step down (OnStoppedLeading), and not sooner', async () => {
    const { clock, es } = await scene(['host_a']);
    const [a] = es;
    await drive(clock, es, 3_000);
    a.transport.fail = (req) => (req.method === 'PUT' ? 'status' : req.method === 'GET' ? 'throw' : undefined);
    await drive(clock, es, 9_900);
    assert.equal(a.stopped, 0, 'still leading before renewDeadline');
    assert.equal(a.signal?.aborted, false);
    await drive(clock, es, 2_200);
    assert.equal(a.stopped, 1, 'stepped down after renewDeadline');
    assert.equal(a.signal?.aborted, true);
    assert.ok(a.logs.some((l) => l.message === 'failed to renew lease default/' + 'lock-' + seq + ': timed out waiting for the condition'));
    assert.ok(a.logs.some((l) => l.level === 'error' && l.message.startsWith('Failed to update lock optimitically: etcdserver: request timed out')));
    await a.done;
  });

  it('release on a clean stop: holder cleared with leaseDurationSeconds 1; the standby takes over at its next retry', async () => {
    const { name, clock, es } = await scene(['host_a', 'host_b']);
    const [a, b] = es;
    await drive(clock, es, 2_000);
    await a.elector.stop();
    const released = await getLease(name);
    assert.equal(released.spec.holderIdentity, '');
    assert.equal(released.spec.leaseDurationSeconds, 1);
    assert.equal(released.spec.leaseTransitions, 0);
    await drive(clock, [b], 2_100);
    assert.equal(b.elector.isLeader(), true, 'no need to wait for leaseDuration');
    const taken = await getLease(name);
    assert.equal(taken.spec.holderIdentity, 'host_b');
    assert.equal(taken.spec.leaseDurationSeconds, 15);
    assert.equal(taken.spec.leaseTransitions, 1);
    await stopAll(es);
  });

  it('concurrent creates: both see no Lease, one create wins (AlreadyExists for the other), one leader', async () => {
    const name = `lock-${++seq}`;
    const clock = new FakeClock();
    const es = ['host_a', 'host_b', 'host_c'].map((id) => makeElector({ id, transport: api, clock, name }));
    const firsts = await Promise.all(es.map((e) => e.elector.firstAttempt));
    await settle(es);
    assert.equal(firsts.filter(Boolean).length, 1);
    assert.equal(leaders(es).length, 1);
    const losers = es.filter((e) => !e.elector.isLeader());
    for (const l of losers) assert.ok(l.logs.some((r) => r.message.startsWith('error initially creating leader election record: ') || r.message.startsWith('lock is held by')));
    await drive(clock, es, 30_000);
    assert.equal(leaders(es).length, 1);
    assert.equal((await getLease(name)).spec.leaseTransitions, 0);
    await stopAll(es);
  });

  it('concurrent takeovers of an expired lease: the update with the stale resourceVersion gets 409, one leader, one transition', async () => {
    const { name, clock, es } = await scene(['host_a', 'host_b', 'host_c'], { releaseOnCancel: false });
    const [a, b, c] = es;
    await a.elector.stop({ release: false });
    await drive(clock, [b, c], 20_000);
    assert.equal(leaders([b, c]).length, 1);
    const lease = await getLease(name);
    assert.equal(lease.spec.leaseTransitions, 1);
    const loser = b.elector.isLeader() ? c : b;
    assert.ok(
      loser.logs.some((r) => r.message.startsWith('Failed to update lock: ') && r.message.includes('the object has been modified')) || loser.logs.some((r) => r.message.startsWith('lock is held by')),
      'the loser either hit the conflict or saw the winner first',
    );
    await stopAll(es);
  });

  it('a write behind the leader\'s back makes its optimistic update conflict; the slow path renews in the same attempt', async () => {
    const { name, clock, es } = await scene(['host_a']);
    const [a] = es;
    const cur = await getLease(name);
    const put = await api.request({ method: 'PUT', path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}`, body: { ...cur, metadata: { ...cur.metadata, labels: { touched: 'yes' } } } });
    assert.equal(put.status, 200);
    await drive(clock, es, 2_000);
    assert.ok(a.logs.some((l) => l.message.startsWith('Failed to update lock optimitically: ') && l.message.includes('Operation cannot be fulfilled on leases.coordination.k8s.io')));
    assert.equal(a.stopped, 0);
    const lease = await getLease(name);
    assert.equal(lease.metadata.labels?.touched, 'yes', 'the slow path updates the Lease it re-read');
    assert.equal(lease.spec.renewTime, '2026-01-01T12:00:02.000000Z');
    assert.equal(lease.spec.leaseTransitions, 0);
    await stopAll(es);
  });

  it('a standby stopped before it ever leads still calls OnStoppedLeading once and never OnStartedLeading', async () => {
    const { es } = await scene(['host_a', 'host_b']);
    const [, b] = es;
    await b.elector.stop();
    assert.deepEqual([b.started, b.stopped], [0, 1]);
    await stopAll(es);
  });
});

describe('validateConfig (NewLeaderElector)', () => {
  const base = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
  const cases: [Partial<LeaderElectionConfig>, string | undefined][] = [
    [{}, undefined],
    [{ leaseDurationMs: 10_000 }, 'leaseDuration must be greater than renewDeadline'],
    [{ retryPeriodMs: 9_000 }, 'renewDeadline must be greater than retryPeriod*JitterFactor'],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }, 'renewDeadline must be greater than retryPeriod*JitterFactor'],
    [{ retryPeriodMs: 0 }, 'retryPeriod must be greater than zero'],
  ];
  for (const [patch, want] of cases) {
    it(`${JSON.stringify(patch)} → ${want ?? 'ok'}`, () => {
      const run = () => validateConfig({ ...base, ...patch } as LeaderElectionConfig);
      if (want) assert.throws(run, { message: want });
      else assert.doesNotThrow(run);
    });
  }
});
