/** computeNodeStatus: what changed apart from heartbeats, and the strategic-merge patch the kubelet sends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNode, type NodeConfig } from '../../../../src/kubelet/node/node-object';
import { computeNodeStatus } from '../../../../src/kubelet/node/node-status';

const T0 = Date.UTC(2026, 0, 1);
const cfg: NodeConfig = { name: 'n1', internalIP: '10.0.0.1', capacity: { cpu: '2', memory: '4Gi' }, containerRuntimeVersion: 'sim://1.0.0' };
const stored = () => JSON.parse(JSON.stringify(buildNode(cfg, T0))) as Record<string, unknown>;

describe('computeNodeStatus', () => {
  it('only heartbeats moved: unchanged, patch carries the fresh heartbeats', () => {
    const r = computeNodeStatus(cfg, stored(), {}, T0 + 10_000);
    assert.equal(r.changed, false);
    assert.equal(r.labelsMissing, false);
    assert.deepEqual(Object.keys(r.patch.status as object), ['conditions']);
    for (const c of (r.patch.status as { conditions: { lastHeartbeatTime: string }[] }).conditions) assert.equal(c.lastHeartbeatTime, '2026-01-01T00:00:10Z');
  });

  it('a condition change is a change', () => {
    const r = computeNodeStatus(cfg, stored(), { diskPressure: true }, T0 + 10_000);
    assert.equal(r.changed, true);
    assert.deepEqual(r.transitions, [{ type: 'DiskPressure', status: 'True' }]);
  });

  it('capacity and nodeInfo changes are sent; addresses replace the whole list', () => {
    const r = computeNodeStatus({ ...cfg, internalIP: '10.0.0.9', capacity: { cpu: '8', memory: '4Gi' } }, stored(), {}, T0 + 10_000);
    assert.equal(r.changed, true);
    const st = r.patch.status as Record<string, unknown>;
    assert.deepEqual(Object.keys(st).sort(), ['addresses', 'allocatable', 'capacity', 'conditions']);
    assert.deepEqual(st.addresses, [{ $patch: 'replace' }, { type: 'InternalIP', address: '10.0.0.9' }, { type: 'Hostname', address: 'n1' }]);
  });

  it('missing os/arch labels are put back', () => {
    const s = stored();
    delete (s.metadata as { labels: Record<string, string> }).labels['kubernetes.io/os'];
    const r = computeNodeStatus(cfg, s, {}, T0 + 10_000);
    assert.equal(r.labelsMissing, true);
    assert.deepEqual(r.patch.metadata, { labels: { 'kubernetes.io/os': 'linux' } });
  });
});
