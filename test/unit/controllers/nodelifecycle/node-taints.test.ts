/** The node lifecycle controller's taints: NoSchedule taints from conditions, set differences and the merged
 * taint list it patches. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTaints, managedNoScheduleTaints, taintSetDiff, wantedNoScheduleTaints } from '../../../../src/controllers/nodelifecycle/node-taints';
import { labelsToReconcile } from '../../../../src/controllers/nodelifecycle/node-labels';

const T = Date.UTC(2026, 0, 1);
const cond = (type: string, status: string) => ({ type, status });

describe('node taints', () => {
  it('maps conditions and spec.unschedulable to NoSchedule taints (TaintNodesByCondition)', () => {
    const cases: [Record<string, unknown>[], boolean, string[]][] = [
      [[cond('Ready', 'True')], false, []],
      [[cond('Ready', 'False')], false, ['node.kubernetes.io/not-ready']],
      [[cond('Ready', 'Unknown')], false, ['node.kubernetes.io/unreachable']],
      [[cond('Ready', 'True'), cond('MemoryPressure', 'True'), cond('DiskPressure', 'True'), cond('PIDPressure', 'True')], false, [
        'node.kubernetes.io/memory-pressure',
        'node.kubernetes.io/disk-pressure',
        'node.kubernetes.io/pid-pressure',
      ]],
      [[cond('NetworkUnavailable', 'True'), cond('MemoryPressure', 'Unknown')], true, ['node.kubernetes.io/network-unavailable', 'node.kubernetes.io/unschedulable']],
    ];
    for (const [conditions, unschedulable, want] of cases) {
      const got = wantedNoScheduleTaints({ spec: { unschedulable }, status: { conditions } });
      assert.deepEqual(got.map((t) => t.key), want);
      assert.ok(got.every((t) => t.effect === 'NoSchedule'));
    }
  });

  it('only manages its own NoSchedule taints', () => {
    const node = { spec: { taints: [
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      { key: 'example.com/mine', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ] } };
    assert.deepEqual(managedNoScheduleTaints(node).map((t) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unschedulable']);
  });

  it('diffs by key and effect', () => {
    const a = { key: 'x', effect: 'NoSchedule' };
    const b = { key: 'y', effect: 'NoSchedule' };
    assert.deepEqual(taintSetDiff([a], [{ ...b }, { ...a, timeAdded: 'then' }]), { add: [], remove: [b] });
  });

  it('adds missing taints with timeAdded, keeps present ones, drops removed ones, and says when nothing changes', () => {
    const other = { key: 'example.com/x', value: 'v', effect: 'NoExecute' };
    const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
    const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
    assert.deepEqual(applyTaints([other, { ...notReady, timeAdded: 'old' }], [unreachable], [notReady], T), [other, { ...unreachable, timeAdded: '2026-01-01T00:00:00Z' }]);
    assert.equal(applyTaints([other, { ...unreachable, timeAdded: 'old' }], [unreachable], [notReady], T), undefined);
    assert.deepEqual(applyTaints([notReady], [], [notReady, unreachable], T), []);
  });

  it('reconciles the beta os/arch labels from the stable ones', () => {
    assert.deepEqual(labelsToReconcile({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'arm64' }), {
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': 'amd64',
    });
    assert.deepEqual(labelsToReconcile({ 'beta.kubernetes.io/os': 'linux' }), {});
    assert.deepEqual(labelsToReconcile({ 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/os': 'linux' }), {});
  });
});
