/** mergePluginSet / mergePlugins: upstream's TestMergePlugins table (apis/config/v1/default_plugins_test.go). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePlugins, mergePluginSet } from '../../../../src/scheduler/config';
import { emptyPlugins } from '../../../../src/scheduler/config/merge';
import type { PluginRef, PluginSet } from '../../../../src/scheduler/config';

const set = (enabled: (string | PluginRef)[], disabled: string[] = []): PluginSet => ({
  enabled: enabled.map((e) => (typeof e === 'string' ? { name: e } : e)),
  disabled: disabled.map((name) => ({ name })),
});
const d12 = () => set(['DefaultPlugin1', 'DefaultPlugin2']);
const p123 = () => set(['Plugin1', 'Plugin2', 'Plugin3']);

const cases: [string, PluginSet, PluginSet, PluginSet][] = [
  ['AppendCustomPlugin', d12(), set(['CustomPlugin']), set(['DefaultPlugin1', 'DefaultPlugin2', 'CustomPlugin'])],
  ['InsertAfterDefaultPlugins2', d12(), set(['CustomPlugin', 'DefaultPlugin2'], ['DefaultPlugin2']), set(['DefaultPlugin1', 'CustomPlugin', 'DefaultPlugin2'], ['DefaultPlugin2'])],
  ['InsertBeforeAllPlugins', d12(), set(['CustomPlugin', 'DefaultPlugin1', 'DefaultPlugin2'], ['*']), set(['CustomPlugin', 'DefaultPlugin1', 'DefaultPlugin2'], ['*'])],
  ['ReorderDefaultPlugins', d12(), set(['DefaultPlugin2', 'DefaultPlugin1'], ['*']), set(['DefaultPlugin2', 'DefaultPlugin1'], ['*'])],
  ['CustomPluginOverrideDefaultPlugin', p123(), set([{ name: 'Plugin1', weight: 2 }, { name: 'Plugin3', weight: 3 }]), set([{ name: 'Plugin1', weight: 2 }, 'Plugin2', { name: 'Plugin3', weight: 3 }])],
  ['OrderPreserveAfterOverride', p123(), set([{ name: 'Plugin2', weight: 2 }, { name: 'Plugin1', weight: 1 }]), set([{ name: 'Plugin1', weight: 1 }, { name: 'Plugin2', weight: 2 }, 'Plugin3'])],
  ['RepeatedCustomPlugin', p123(), set(['Plugin1', { name: 'Plugin2', weight: 2 }, 'Plugin3', { name: 'Plugin2', weight: 4 }]), set(['Plugin1', { name: 'Plugin2', weight: 4 }, 'Plugin3', { name: 'Plugin2', weight: 2 }])],
  ['override default MultiPoint plugins with custom value', set(['DefaultPlugin']), set([{ name: 'DefaultPlugin', weight: 5 }]), set([{ name: 'DefaultPlugin', weight: 5 }])],
  ['disabled MultiPoint plugin in default set', set(['DefaultPlugin'], ['DefaultPlugin2']), set(['CustomPlugin']), set(['DefaultPlugin', 'CustomPlugin'], ['DefaultPlugin2'])],
  ['multipoint with only disabled gets merged', set(['DefaultPlugin']), set([], ['DefaultPlugin']), set([], ['DefaultPlugin'])],
  ['Append disabled Multipoint plugins', d12(), set(['CustomPlugin', 'CustomPlugin2'], ['DefaultPlugin2']), set(['DefaultPlugin1', 'CustomPlugin', 'CustomPlugin2'], ['DefaultPlugin2'])],
];

for (const [name, defaults, custom, want] of cases) {
  test(`mergePluginSet: ${name}`, () => assert.deepEqual(mergePluginSet(defaults, custom), want));
}

test('mergePlugins: nil custom plugins keeps the defaults; each extension point merges separately', () => {
  const defaults = emptyPlugins();
  defaults.filter = d12();
  assert.equal(mergePlugins(defaults, undefined), defaults);
  const custom = emptyPlugins();
  custom.score = set([], ['CustomPlugin2']);
  custom.filter = set(['CustomPlugin']);
  const got = mergePlugins(defaults, custom);
  assert.deepEqual(got.filter, set(['DefaultPlugin1', 'DefaultPlugin2', 'CustomPlugin']));
  assert.deepEqual(got.score, set([], ['CustomPlugin2']));
  assert.deepEqual(got.multiPoint, set([]));
});
