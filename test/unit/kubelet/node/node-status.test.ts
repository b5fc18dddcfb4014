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

describe('computeNodeStatus: status.images', () => {
  const images = Array.from({ length: 60 }, (_, i) => ({ names: [`docker.io/library/img${i}:1`], sizeBytes: (i % 7) * 1000 + i }));

  it('reports the 50 largest images, largest first, replacing the list when it changed', () => {
    const r = computeNodeStatus(cfg, stored(), {}, T0 + 10_000, images);
    const got = (r.patch.status as { images: { names: string[]; sizeBytes: number }[] }).images;
    assert.equal(r.changed, true);
    assert.equal(got.length, 50);
    assert.ok(got.every((g, i) => i === 0 || got[i - 1].sizeBytes >= g.sizeBytes), 'largest first');
    const smallest = [...images].sort((a, b) => a.sizeBytes - b.sizeBytes).slice(0, 10).map((i) => i.names[0]);
    assert.ok(!got.some((g) => smallest.includes(g.names[0])), 'the 10 smallest are left out');
  });

  it('the same images as stored are no change', () => {
    const first = computeNodeStatus(cfg, stored(), {}, T0 + 10_000, images);
    const withImages = stored();
    (withImages.status as Record<string, unknown>).images = (first.patch.status as { images: unknown }).images;
    const again = computeNodeStatus(cfg, withImages, {}, T0 + 20_000, [...images].reverse());
    assert.equal(again.changed, false);
    assert.equal((again.patch.status as { images?: unknown }).images, undefined);
  });
});
