/** Profile resolution as upstream NewFramework: multiPoint expansion, explicit overrides, disabled, weights, errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProfile, resolvePlugins, type ExtensionPoint } from '../../../../src/scheduler/runtime/profile';

const points: Record<string, ExtensionPoint[]> = {
  Sort: ['queueSort'],
  Bind: ['bind'],
  A: ['filter', 'score'],
  B: ['filter', 'score'],
  C: ['filter'],
};
const exists = (n: string) => n in points;
const impl = (n: string, ep: ExtensionPoint) => points[n]?.includes(ep) ?? false;
const multi = (...names: string[]) => ({ enabled: ['Sort', ...names, 'Bind'].map((name) => ({ name })) });

describe('resolvePlugins', () => {
  it('expands multiPoint to every point a plugin implements, with weight 1 by default', () => {
    const r = resolvePlugins({ plugins: { multiPoint: multi('A', 'B', 'C') } }, exists, impl);
    assert.deepEqual(r.byPoint.filter, ['A', 'B', 'C']);
    assert.deepEqual(r.byPoint.score, ['A', 'B']);
    assert.deepEqual([...r.weights], [['A', 1], ['B', 1]]);
  });

  it('explicit entries override multiPoint ones (first, in their order) and their weight wins', () => {
    const r = resolvePlugins({ plugins: { multiPoint: { enabled: [{ name: 'Sort' }, { name: 'A', weight: 2 }, { name: 'B', weight: 3 }, { name: 'Bind' }] }, score: { enabled: [{ name: 'B', weight: 7 }] } } }, exists, impl);
    assert.deepEqual(r.byPoint.score, ['B', 'A']);
    assert.equal(r.weights.get('B'), 7);
    assert.equal(r.weights.get('A'), 2);
  });

  it('disabled at a point removes a multiPoint plugin there; * disables all multiPoint ones', () => {
    const r = resolvePlugins({ plugins: { multiPoint: multi('A', 'B', 'C'), filter: { disabled: [{ name: 'B' }] }, score: { disabled: [{ name: '*' }], enabled: [{ name: 'A' }] } } }, exists, impl);
    assert.deepEqual(r.byPoint.filter, ['A', 'C']);
    assert.deepEqual(r.byPoint.score, ['A']);
  });

  it('reports upstream errors', () => {
    assert.throws(() => resolvePlugins({ plugins: { multiPoint: multi('Nope') } }, exists, impl), /QueueSortPlugin "Nope" does not exist|"Nope" does not exist/);
    assert.throws(() => resolvePlugins({ plugins: { multiPoint: multi(), filter: { enabled: [{ name: 'Sort' }] } } }, exists, impl), /plugin "Sort" does not extend FilterPlugin plugin/);
    assert.throws(() => resolvePlugins({ plugins: { multiPoint: { enabled: [{ name: 'Bind' }] } } }, exists, impl), /only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 0/);
    assert.throws(() => resolvePlugins({ plugins: { multiPoint: { enabled: [{ name: 'Sort' }] } } }, exists, impl), /at least one bind plugin is needed/);
  });

  it('takes already resolved lists (config/) as they are', () => {
    const r = resolvePlugins({ resolved: { queueSort: [{ name: 'Sort' }], bind: [{ name: 'Bind' }], filter: [{ name: 'C' }, { name: 'A' }], score: [{ name: 'A', weight: 4 }] } }, exists, impl);
    assert.deepEqual(r.byPoint.filter, ['C', 'A']);
    assert.equal(r.weights.get('A'), 4);
  });

  it('the default profile carries upstream default weights', () => {
    const w = Object.fromEntries((defaultProfile().plugins!.multiPoint!.enabled ?? []).filter((p) => p.weight).map((p) => [p.name, p.weight]));
    assert.deepEqual(w, { TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
  });
});
