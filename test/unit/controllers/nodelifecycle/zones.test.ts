/** Zones: keys, states (upstream ComputeZoneState), rates, the token bucket and the rate-limited queue, and the
 * disruption planner (handleDisruption). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planDisruption } from '../../../../src/controllers/nodelifecycle/disruption';
import { computeZoneState, RateLimitedTimedQueue, ZoneLimiter, zoneKey, zoneQPS, type ZoneState } from '../../../../src/controllers/nodelifecycle/zones';

const rates = { evictionLimiterQPS: 0.1, secondaryEvictionLimiterQPS: 0.01, largeClusterThreshold: 50 };

describe('zones', () => {
  it('keys a node by region and zone, beta labels first', () => {
    assert.equal(zoneKey({ metadata: { name: 'n' } }), '');
    assert.equal(zoneKey({ metadata: { labels: { 'topology.kubernetes.io/zone': 'z', 'topology.kubernetes.io/region': 'r' } } }), 'r:\x00:z');
    assert.equal(zoneKey({ metadata: { labels: { 'failure-domain.beta.kubernetes.io/zone': 'old', 'topology.kubernetes.io/zone': 'z' } } }), ':\x00:old');
  });

  it('computes zone states as upstream', () => {
    const cases: [(string | undefined)[], ZoneState][] = [
      [['True', 'True'], 'Normal'],
      [['Unknown'], 'FullDisruption'],
      [[undefined, 'False'], 'FullDisruption'],
      [['True', 'False', 'False'], 'Normal'],
      [['True', 'False', 'False', 'Unknown'], 'PartialDisruption'],
      [['True', 'True', 'False', 'False', 'Unknown'], 'PartialDisruption'],
      [['True', 'True', 'True', 'False', 'False', 'Unknown'], 'Normal'],
      [[], 'Normal'],
    ];
    for (const [statuses, want] of cases) assert.equal(computeZoneState(statuses, 0.55).state, want, JSON.stringify(statuses));
  });

  it('slows large partially disrupted zones and stops small ones', () => {
    assert.equal(zoneQPS('Normal', 3, rates), 0.1);
    assert.equal(zoneQPS('FullDisruption', 3, rates), 0.1);
    assert.equal(zoneQPS('PartialDisruption', 50, rates), 0);
    assert.equal(zoneQPS('PartialDisruption', 51, rates), 0.01);
  });

  it('limits to qps with a burst of one; rate 0 never accepts', () => {
    const l = new ZoneLimiter(0.1, 0);
    assert.equal(l.tryAccept(0), true);
    assert.equal(l.waitMs(9_000), 1_000);
    assert.equal(l.tryAccept(9_999), false);
    assert.equal(l.tryAccept(10_000), true);
    assert.equal(l.tryAccept(100_000), true);
    assert.equal(l.tryAccept(100_000), false, 'never more than one token');
    const zero = new ZoneLimiter(0, 0);
    assert.equal(zero.tryAccept(1e9), false);
    assert.equal(zero.waitMs(0), Infinity);
  });

  it('never lets more than 1 + elapsed × qps through (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 60 }), (steps) => {
        const l = new ZoneLimiter(0.1, 0);
        let now = 0;
        let accepted = 0;
        for (const s of steps) {
          now += s;
          if (l.tryAccept(now)) accepted++;
        }
        return accepted <= 1 + Math.floor((now / 1000) * 0.1 + 1e-9);
      }),
    );
  });

  it('drains the queue at the limiter rate, keeps processed nodes in the set, retries later on failure', async () => {
    let now = 0;
    const q = new RateLimitedTimedQueue(new ZoneLimiter(0.1, 0));
    assert.equal(q.add('a', 'ua', now), true);
    assert.equal(q.add('b', 'ub', now), true);
    assert.equal(q.add('a', 'ua', now), false);
    const seen: string[] = [];
    await q.try(() => now, async (v) => (seen.push(v), { done: true }));
    assert.deepEqual(seen, ['a']);
    assert.equal(q.nextMs(now), 10_000);
    now = 10_000;
    await q.try(() => now, async (v) => (seen.push(v), { done: false, waitMs: 50 }));
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(q.add('a', 'ua', now), false, 'a processed node stays in the set');
    assert.equal(q.remove('a'), true);
    assert.equal(q.add('a', 'ua', now), true);
    q.swapLimiter(0, now);
    assert.equal(q.nextMs(now), Infinity);
  });
});

describe('planDisruption', () => {
  it('moves zones from Initial to their state and sets rates', () => {
    const states = new Map<string, ZoneState>([['z', 'Initial']]);
    const plan = planDisruption(states, new Map([['z', ['True', 'True']]]), 0.55, rates);
    assert.equal(plan.mode, 'perZone');
    assert.deepEqual(plan.rates, [{ zone: 'z', qps: 0.1 }]);
    assert.equal(states.get('z'), 'Normal');
  });

  it('stops everything when every zone is fully disrupted, and resumes when one recovers', () => {
    const states = new Map<string, ZoneState>([['a', 'Normal'], ['b', 'Normal']]);
    const down = new Map([['a', ['Unknown']], ['b', ['False', 'Unknown']]]);
    const enter = planDisruption(states, down, 0.55, rates);
    assert.equal(enter.mode, 'enterFullDisruption');
    assert.deepEqual(enter.rates, [{ zone: 'a', qps: 0 }, { zone: 'b', qps: 0 }]);
    assert.equal(planDisruption(states, down, 0.55, rates).mode, 'unchanged');
    const exit = planDisruption(states, new Map([['a', ['True']], ['b', ['False', 'Unknown']]]), 0.55, rates);
    assert.equal(exit.mode, 'exitFullDisruption');
    assert.deepEqual(exit.rates, [{ zone: 'a', qps: 0.1 }, { zone: 'b', qps: 0.1 }]);
    assert.deepEqual([...states], [['a', 'Normal'], ['b', 'FullDisruption']]);
  });

  it('gives a partially disrupted small zone rate 0 while others keep theirs, and forgets vanished zones', () => {
    const states = new Map<string, ZoneState>([['a', 'Normal'], ['b', 'Normal'], ['gone', 'Normal']]);
    const plan = planDisruption(states, new Map([['a', ['True', 'True']], ['b', ['True', 'Unknown', 'Unknown', 'Unknown']]]), 0.55, rates);
    assert.equal(plan.mode, 'perZone');
    assert.deepEqual(plan.rates, [{ zone: 'b', qps: 0 }]);
    assert.equal(states.has('gone'), false);
  });
});
