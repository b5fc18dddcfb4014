import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { toTable } from '../../../../src/apiserver/table';
import { builtinResources } from '../../../../src/api/resources';

const now = new Date('2026-11-25T12:00:00Z');
const res = (r: string) => builtinResources().find((x) => x.resource === r)!;
const cells = (r: string, o: object) => (toTable(res(r), [o as never], { now, includeObject: 'None' }) as { rows: { cells: unknown[] }[] }).rows[0].cells;
const header = (r: string) => (toTable(res(r), [], { now, includeObject: 'None' }) as { columnDefinitions: { name: string }[] }).columnDefinitions.map((c) => c.name);
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2026-11-25T11:55:00Z' };

test('HorizontalPodAutoscaler rows: reference, targets with <unknown> until measured, MINPODS <unset>', () => {
  assert.deepEqual(header('horizontalpodautoscalers'), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  const hpa = {
    metadata: meta,
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
    },
    status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 35 } } }] },
  };
  assert.deepEqual(cells('horizontalpodautoscalers', hpa), ['web', 'Deployment/web', 'cpu: 35%/80%, memory: <unknown>/100Mi (avg) + 1 more...', '<unset>', 5, 2, '5m']);
  assert.equal(cells('horizontalpodautoscalers', { metadata: meta, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 3 } })[2], '<none>');
});

test('PodDisruptionBudget rows: N/A for the unset bound', () => {
  assert.deepEqual(header('poddisruptionbudgets'), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
  assert.deepEqual(cells('poddisruptionbudgets', { metadata: meta, spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }), ['web', '50%', 'N/A', 1, '5m']);
});
