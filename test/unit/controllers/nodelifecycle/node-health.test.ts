/** checkNodeHealth: heartbeats from the Ready condition and the Lease, grace periods, and the Unknown status
 * upstream's tryUpdateNodeHealth writes. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNodeHealth, type NodeHealth } from '../../../../src/controllers/nodelifecycle/node-health';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const timings = { nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000 };

function node(conditions?: Record<string, unknown>[]) {
  return { metadata: { name: 'n', creationTimestamp: iso(T0) }, status: conditions ? { conditions } : {} };
}
const ready = (status: string, hb = T0, tr = T0) => ({ type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: iso(hb), lastTransitionTime: iso(tr) });
const lease = (renew: number) => ({ metadata: { name: 'n' }, spec: { renewTime: new Date(renew).toISOString() } });

describe('checkNodeHealth', () => {
  it('takes the first sight of a node as a heartbeat', () => {
    const r = checkNodeHealth(node([ready('True')]), undefined, undefined, T0 + 100_000, timings);
    assert.equal(r.health.probeTimestamp, T0 + 100_000);
    assert.equal(r.newStatus, undefined);
    assert.equal(r.observedReady.status, 'True');
  });

  it('turns Ready and the pressure conditions Unknown once no heartbeat came for more than the grace period', () => {
    const n = node([ready('True'), { type: 'MemoryPressure', status: 'False' }, { type: 'NetworkUnavailable', status: 'False' }]);
    const saved = checkNodeHealth(n, undefined, undefined, T0, timings).health;
    assert.equal(checkNodeHealth(n, saved, undefined, T0 + 50_000, timings).newStatus, undefined, 'exactly the grace period is not over it');
    const r = checkNodeHealth(n, saved, undefined, T0 + 50_001, timings);
    const conds = (r.newStatus?.conditions ?? []) as Record<string, unknown>[];
    const byType = Object.fromEntries(conds.map((c) => [c.type, c]));
    assert.equal(byType.Ready.status, 'Unknown');
    assert.equal(byType.Ready.reason, 'NodeStatusUnknown');
    assert.equal(byType.Ready.message, 'Kubelet stopped posting node status.');
    assert.equal(byType.Ready.lastTransitionTime, iso(T0 + 50_000));
    assert.equal(byType.Ready.lastHeartbeatTime, iso(T0), 'heartbeat time kept');
    assert.equal(byType.MemoryPressure.status, 'Unknown');
    assert.equal(byType.DiskPressure.reason, 'NodeStatusNeverUpdated', 'missing ones are added');
    assert.equal(byType.DiskPressure.message, 'Kubelet never posted node status.');
    assert.equal(byType.NetworkUnavailable.status, 'False', 'NetworkUnavailable is left alone');
    assert.equal(r.observedReady.status, 'True');
    assert.equal(r.currentReady?.status, 'Unknown');
    assert.equal(r.afterWrite?.readyTransitionTimestamp, T0 + 50_001);
  });

  it('counts a renewed Lease as a heartbeat, and only a renewal', () => {
    const n = node([ready('True')]);
    let h: NodeHealth = checkNodeHealth(n, undefined, lease(T0), T0, timings).health;
    h = checkNodeHealth(n, h, lease(T0 + 40_000), T0 + 40_000, timings).health;
    assert.equal(h.probeTimestamp, T0 + 40_000);
    assert.equal(checkNodeHealth(n, h, lease(T0 + 40_000), T0 + 90_000, timings).newStatus, undefined);
    assert.ok(checkNodeHealth(n, h, lease(T0 + 40_000), T0 + 90_001, timings).newStatus, 'an unrenewed Lease is no heartbeat');
  });

  it('counts a changed lastHeartbeatTime as a heartbeat and notes Ready transitions', () => {
    const h0 = checkNodeHealth(node([ready('True')]), undefined, undefined, T0, timings).health;
    const h1 = checkNodeHealth(node([ready('True', T0 + 10_000)]), h0, undefined, T0 + 10_000, timings).health;
    assert.deepEqual([h1.probeTimestamp, h1.readyTransitionTimestamp], [T0 + 10_000, T0]);
    const h2 = checkNodeHealth(node([ready('False', T0 + 20_000, T0 + 20_000)]), h1, undefined, T0 + 20_000, timings).health;
    assert.deepEqual([h2.probeTimestamp, h2.readyTransitionTimestamp], [T0 + 20_000, T0 + 20_000]);
  });

  it('gives a node without Ready the startup grace period from its creation', () => {
    const n = node();
    const r0 = checkNodeHealth(n, undefined, undefined, T0 + 30_000, timings);
    assert.equal(r0.currentReady, undefined);
    assert.equal(r0.observedReady.status, 'Unknown');
    assert.equal(checkNodeHealth(n, r0.health, undefined, T0 + 60_000, timings).newStatus, undefined);
    const r = checkNodeHealth(n, r0.health, undefined, T0 + 60_001, timings);
    const conds = (r.newStatus?.conditions ?? []) as Record<string, unknown>[];
    assert.deepEqual(conds.map((c) => c.type), ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    assert.ok(conds.every((c) => c.reason === 'NodeStatusNeverUpdated' && c.lastHeartbeatTime === iso(T0)));
  });

  it('writes nothing when Ready is already Unknown', () => {
    const n = node([{ ...ready('Unknown'), reason: 'NodeStatusUnknown' }]);
    const h = checkNodeHealth(n, undefined, undefined, T0, timings).health;
    const r = checkNodeHealth(n, h, undefined, T0 + 600_000, timings);
    assert.equal(r.newStatus, undefined);
    assert.equal(r.currentReady?.status, 'Unknown');
  });
});
