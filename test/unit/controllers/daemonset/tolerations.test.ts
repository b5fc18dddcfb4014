import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1';
import { addDaemonPodTolerations, addOrUpdateToleration, findUntoleratedTaint, toleratesTaint } from '../../../../src/controllers/daemonset/tolerations';

describe('toleratesTaint (core/v1 Toleration.ToleratesTaint)', () => {
  const taint: Taint = { key: 'foo', value: 'bar', effect: 'NoSchedule' };
  const cases: [string, Toleration, boolean][] = [
    ['Exists without a key tolerates every taint', { operator: 'Exists' }, true],
    ['Equal with same key, value, effect', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, true],
    ['empty operator means Equal', { key: 'foo', value: 'bar', effect: 'NoSchedule' }, true],
    ['Equal with another value', { key: 'foo', operator: 'Equal', value: 'baz', effect: 'NoSchedule' }, false],
    ['Exists ignores the value', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, true],
    ['empty effect matches every effect', { key: 'foo', operator: 'Exists' }, true],
    ['another effect', { key: 'foo', operator: 'Exists', effect: 'NoExecute' }, false],
    ['another key', { key: 'other', operator: 'Exists', effect: 'NoSchedule' }, false],
    ['unknown operator', { key: 'foo', operator: 'Gt', value: 'bar' }, false],
    ['Equal with empty key and matching value', { operator: 'Equal', value: 'bar' }, true],
  ];
  for (const [name, t, want] of cases) it(name, () => assert.equal(toleratesTaint(t, taint), want));

  it('findUntoleratedTaint applies the filter', () => {
    const taints: Taint[] = [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'NoExecute' }];
    assert.equal(findUntoleratedTaint(taints, [], (x) => x.effect === 'NoSchedule'), undefined);
    assert.equal(findUntoleratedTaint(taints, [], (x) => x.effect === 'NoExecute')?.key, 'b');
    assert.equal(findUntoleratedTaint(taints, [{ key: 'b', operator: 'Exists' }], () => true)?.key, 'a');
  });
});

describe('daemon pod tolerations (AddOrUpdateDaemonPodTolerations)', () => {
  it('adds the six defaults in order, and network-unavailable for hostNetwork', () => {
    const spec: PodSpec = { containers: [] };
    addDaemonPodTolerations(spec);
    assert.deepEqual(spec.tolerations?.map((t) => `${t.key}:${t.effect}`), [
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    assert.ok(spec.tolerations?.every((t) => t.operator === 'Exists' && t.tolerationSeconds === undefined));
    const host: PodSpec = { containers: [], hostNetwork: true };
    addDaemonPodTolerations(host);
    assert.equal(host.tolerations?.at(-1)?.key, 'node.kubernetes.io/network-unavailable');
  });

  it('replaces a matching toleration that has tolerationSeconds, in place', () => {
    const spec: PodSpec = { containers: [], tolerations: [{ key: 'x', operator: 'Exists' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] };
    addDaemonPodTolerations(spec);
    assert.deepEqual(spec.tolerations?.[0], { key: 'x', operator: 'Exists' });
    assert.deepEqual(spec.tolerations?.[1], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
    assert.equal(spec.tolerations?.length, 7);
  });

  it('is idempotent and keeps user tolerations (property)', () => {
    const tol = fc.record({ key: fc.constantFrom('a', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unschedulable'), operator: fc.constantFrom('Exists', 'Equal'), effect: fc.constantFrom('NoSchedule', 'NoExecute'), tolerationSeconds: fc.option(fc.nat(600), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(tol, { maxLength: 5 }), fc.boolean(), (ts, hostNetwork) => {
        const spec: PodSpec = { containers: [], hostNetwork, tolerations: ts.map((t) => JSON.parse(JSON.stringify(t))) };
        addDaemonPodTolerations(spec);
        const once = JSON.stringify(spec.tolerations);
        addDaemonPodTolerations(spec);
        assert.equal(JSON.stringify(spec.tolerations), once);
        for (const t of ts) if (t.key === 'a') assert.ok(spec.tolerations?.some((x) => x.key === 'a'));
      }),
    );
  });

  it('addOrUpdateToleration appends when nothing matches', () => {
    const spec: PodSpec = { containers: [] };
    addOrUpdateToleration(spec, { key: 'k', operator: 'Exists' });
    assert.deepEqual(spec.tolerations, [{ key: 'k', operator: 'Exists' }]);
  });
});
