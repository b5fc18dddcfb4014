/**
 * The userspace load balancer against upstream LoadBalancerRR's behaviour (roundrobin_test.go's cases): round-robin
 * order, unchanged endpoint sets keep their position, ClientIP affinity with whole-second timeouts, affinity reset
 * after a failed dial, stale records, and the shuffle on change.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../../../src/base/clock';
import { DEFAULT_STICKY_SECONDS, LoadBalancer } from '../../../../src/proxy/userspace/load-balancer';

/** No shuffle: random() = 0.999… keeps every element in place (Fisher–Yates picks j = i). */
const keepOrder = () => 0.9999999;

const picks = (lb: LoadBalancer, key: string, n: number, ip = '10.0.0.1') => Array.from({ length: n }, () => lb.next(key, ip));

describe('LoadBalancer', () => {
  it('answers undefined for an unknown key and for a key without endpoints', () => {
    const lb = new LoadBalancer();
    assert.equal(lb.next('ns/svc:p', '10.0.0.1'), undefined);
    lb.update('ns/svc:p', []);
    assert.equal(lb.next('ns/svc:p', '10.0.0.1'), undefined);
    assert.equal(lb.has('ns/svc:p'), true);
  });

  it('round-robins in list order (upstream TestLoadBalanceWorksWithMultipleEndpoints)', () => {
    const lb = new LoadBalancer({ random: keepOrder });
    lb.update('k', ['endpoint:1', 'endpoint:2', 'endpoint:3']);
    assert.deepEqual(picks(lb, 'k', 7), ['endpoint:1', 'endpoint:2', 'endpoint:3', 'endpoint:1', 'endpoint:2', 'endpoint:3', 'endpoint:1']);
  });

  it('keeps order and position when the set is unchanged; resets both when it changes', () => {
    const lb = new LoadBalancer({ random: keepOrder });
    lb.update('k', ['a:1', 'b:1', 'c:1']);
    assert.deepEqual(picks(lb, 'k', 2), ['a:1', 'b:1']);
    lb.update('k', ['c:1', 'b:1', 'a:1']);
    assert.equal(lb.next('k', 'x'), 'c:1', 'same set: the position is kept');
    lb.update('k', ['a:1', 'b:1']);
    assert.deepEqual(picks(lb, 'k', 3), ['a:1', 'b:1', 'a:1'], 'changed: from the start again');
  });

  it('shuffles a changed list with the injected random source', () => {
    const lb = new LoadBalancer({ random: () => 0 });
    lb.update('k', ['a:1', 'b:1', 'c:1']);
    // Fisher–Yates with j = 0 each step: [a,b,c] → swap(2,0) [c,b,a] → swap(1,0) [b,c,a]
    assert.deepEqual(picks(lb, 'k', 3), ['b:1', 'c:1', 'a:1']);
    assert.deepEqual(lb.endpoints('k'), ['a:1', 'b:1', 'c:1'], 'reported sorted');
  });

  it('sticks a client to its endpoint while used within the timeout, in whole seconds as upstream truncates', () => {
    const clock = new FakeClock();
    const lb = new LoadBalancer({ clock, random: keepOrder });
    lb.update('k', ['a:1', 'b:1', 'c:1'], 10);
    assert.equal(lb.next('k', '1.1.1.1'), 'a:1');
    assert.equal(lb.next('k', '2.2.2.2'), 'b:1');
    clock.advance(9_999);
    assert.equal(lb.next('k', '1.1.1.1'), 'a:1', '9.999 s → 9 < 10: sticky (and refreshed)');
    clock.advance(9_999);
    assert.equal(lb.next('k', '1.1.1.1'), 'a:1', 'refreshed by the last use');
    clock.advance(10_000);
    assert.equal(lb.next('k', '1.1.1.1'), 'c:1', '10 s since last use: expired, next in order');
    assert.equal(lb.next('k', '1.1.1.1'), 'c:1', 'and sticky to the new one');
  });

  it('a reset (failed dial) takes the next endpoint and overwrites the record', () => {
    const lb = new LoadBalancer({ random: keepOrder });
    lb.update('k', ['a:1', 'b:1'], 100);
    assert.equal(lb.next('k', 'c'), 'a:1');
    assert.equal(lb.next('k', 'c', true), 'b:1');
    assert.equal(lb.next('k', 'c'), 'b:1');
  });

  it('drops the records of removed endpoints, keeps the others', () => {
    const lb = new LoadBalancer({ random: keepOrder });
    lb.update('k', ['a:1', 'b:1'], 100);
    lb.next('k', 'x');
    lb.next('k', 'y');
    assert.deepEqual(lb.affinityClients('k'), ['x', 'y']);
    lb.update('k', ['b:1', 'c:1'], 100);
    assert.deepEqual(lb.affinityClients('k'), ['y']);
    assert.equal(lb.next('k', 'y'), 'b:1');
  });

  it('affinity off forgets every record; timeout 0 means the default', () => {
    const lb = new LoadBalancer({ random: keepOrder });
    lb.update('k', ['a:1', 'b:1'], 0);
    assert.equal(lb.stickySeconds('k'), DEFAULT_STICKY_SECONDS);
    lb.next('k', 'x');
    lb.update('k', ['a:1', 'b:1']);
    assert.deepEqual(lb.affinityClients('k'), []);
    assert.deepEqual(picks(lb, 'k', 3, 'x'), ['b:1', 'a:1', 'b:1']);
  });

  it('cleanupStaleSessions forgets expired records only', () => {
    const clock = new FakeClock();
    const lb = new LoadBalancer({ clock });
    lb.update('k', ['a:1'], 5);
    lb.next('k', 'old');
    clock.advance(3000);
    lb.next('k', 'new');
    clock.advance(2500);
    lb.cleanupStaleSessions();
    assert.deepEqual(lb.affinityClients('k'), ['new']);
  });

  it('property: without affinity, n·k picks give each of n endpoints exactly k, whatever the shuffle', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.ipV4(), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (ips, k, r) => {
        const lb = new LoadBalancer({ random: () => r });
        const eps = ips.map((ip) => `${ip}:80`);
        lb.update('k', eps);
        const counts = new Map<string, number>();
        for (const e of picks(lb, 'k', eps.length * k)) counts.set(e!, (counts.get(e!) ?? 0) + 1);
        return eps.every((e) => counts.get(e) === k);
      }),
    );
  });
});
