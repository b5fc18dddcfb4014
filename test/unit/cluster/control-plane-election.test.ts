/**
 * ComponentElection (a control-plane component gated on its Lease) against the real in-process API server, on a
 * fake clock: the first control plane works at once, a second stands by without working; when the active one
 * crashes (stops without releasing) the standby starts working once the Lease expires; a clean stop hands over at
 * once; a component whose renewals fail stops working and campaigns again.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { silentLogger } from '../../../src/base/logger';
import { ComponentElection } from '../../../src/cluster/control-plane-election';
import { SCHEDULER_USER } from '../../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';

let tc: TestCluster;
before(async () => {
  // No scheduler in this cluster: the kube-scheduler Lease is the tests' to campaign for, as system:kube-scheduler.
  tc = await startTestCluster({ scheduler: false });
});
after(async () => {
  await tc.stop();
});

const clock = new FakeClock();

function member(identity: string) {
  const m = {
    working: false,
    starts: 0,
    election: undefined as unknown as ComponentElection,
  };
  m.election = new ComponentElection({
    name: 'kube-scheduler',
    identity,
    handle: (r) => tc.cluster.handle(r),
    user: SCHEDULER_USER,
    userAgent: 'kube-scheduler/test',
    eventSource: 'default-scheduler',
    clock,
    logger: silentLogger,
    run: {
      start: async () => {
        m.starts++;
        m.working = true;
      },
      stop: async () => {
        m.working = false;
      },
    },
  });
  members.push(m.election);
  return m;
}

const members: ComponentElection[] = [];
async function settle() {
  for (let i = 0; i < 3; i++) {
    await Promise.all(members.map((m) => m.idle()));
    await new Promise((r) => setImmediate(r));
  }
}
async function drive(ms: number) {
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    await settle();
  }
}

describe('ComponentElection', () => {
  it('one works, the other stands by; a crash hands over after the Lease expires; a clean stop at once', async () => {
    const a = member('cp-a_1');
    const b = member('cp-b_2');
    await a.election.start();
    assert.equal(a.working, true, 'start() resolves once the winner works');
    await b.election.start();
    assert.deepEqual([b.working, b.election.active, b.election.leading], [false, true, false]);
    await drive(10_000);
    assert.deepEqual([a.working, b.working], [true, false]);
    assert.equal(b.election.leader, 'cp-a_1');

    await a.election.stop({ release: false });
    assert.equal(a.working, false);
    await drive(12_000);
    assert.equal(b.working, false, 'the crashed leader\'s Lease has not expired yet');
    // The standby saw the last renewal within one retry (≤ 4.4 s with jitter) and waits 15 s more, then retries.
    await drive(14_000);
    assert.deepEqual([b.working, b.election.leading], [true, true]);

    await a.election.start();
    assert.equal(a.working, false, 'the restarted one stands by');
    await b.election.stop();
    await drive(5_000);
    assert.equal(a.working, true, 'released: taken over at the next retry (≤ 4.4 s), not after 15 s');
    assert.equal(a.starts, 2);
    await a.election.close();
    await b.election.close();
  });
});
