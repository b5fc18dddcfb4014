/** nodeSchedulingPropertiesChange: which cluster events a Node update amounts to (upstream table). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../../src/scheduler/framework';
import { nodeSchedulingPropertiesChange } from '../../../src/scheduler/node-events';
import { makeNode } from '../../helpers/scheduler-fixtures';

const labels = (evs: { label?: string }[]) => evs.map((e) => e.label);
// Loosely typed node for editing in the table below.
type Loose = { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { taints?: unknown[]; unschedulable?: boolean }; status: { allocatable: Record<string, string>; conditions: { type?: string; status: string; lastHeartbeatTime?: string }[] } };
const with_ = (n: Node, patch: (o: Loose) => void): Node => {
  const c = structuredClone(n) as unknown as Loose;
  patch(c);
  return c as unknown as Node;
};

describe('nodeSchedulingPropertiesChange', () => {
  const base = with_(makeNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), (o) => {
    o.status.conditions = [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }];
    o.metadata.annotations = { a: '1' };
  });
  const cases: [string, (o: Loose) => void, string[]][] = [
    ['nothing relevant (heartbeat only)', (o) => (o.status.conditions[0].lastHeartbeatTime = '2026-01-01T00:01:00Z'), []],
    ['allocatable', (o) => (o.status.allocatable.cpu = '8'), ['NodeAllocatableChange']],
    ['labels', (o) => (o.metadata.labels.zone = 'a'), ['NodeLabelChange']],
    ['taints', (o) => (o.spec.taints = []), ['NodeTaintChange']],
    ['condition status', (o) => (o.status.conditions[0].status = 'False'), ['NodeConditionChange']],
    ['annotations', (o) => (o.metadata.annotations.a = '2'), ['NodeAnnotationChange']],
    ['several at once, in upstream order', (o) => ((o.metadata.labels.x = 'y'), (o.status.allocatable.pods = '10')), ['NodeAllocatableChange', 'NodeLabelChange']],
  ];
  for (const [what, patch, want] of cases) {
    it(what, () => assert.deepEqual(labels(nodeSchedulingPropertiesChange(with_(base, patch), base)), want));
  }

  it('unschedulable counts only when it is turned off', () => {
    const cordoned = with_(base, (o) => (o.spec.unschedulable = true));
    assert.deepEqual(labels(nodeSchedulingPropertiesChange(base, cordoned)), ['NodeSpecUnschedulableChange']);
    assert.deepEqual(labels(nodeSchedulingPropertiesChange(cordoned, base)), []);
  });
});
