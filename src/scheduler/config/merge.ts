/**
 * mergePlugins (upstream apis/config/v1 default_plugins.go): a profile's `plugins` merged into the defaults per
 * extension point. Disabling `*` drops every default at that point; a default plugin the user enables again is
 * replaced in place (keeping the default order, with the user's weight); other user plugins are appended in their
 * order (duplicates are kept for the framework to reject); disabled lists are kept.
 */
import type { PluginSet, Plugins } from './types';
import { EXTENSION_POINTS } from './types';

export function emptyPluginSet(): PluginSet {
  return { enabled: [], disabled: [] };
}

export function emptyPlugins(): Plugins {
  const p = { multiPoint: emptyPluginSet() } as Plugins;
  for (const e of EXTENSION_POINTS) p[e] = emptyPluginSet();
  return p;
}

export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabledNames = new Set<string>();
  const disabled: { name: string }[] = [];
  for (const d of [...custom.disabled, ...defaults.disabled]) {
    disabled.push({ name: d.name });
    disabledNames.add(d.name);
  }
  const customByName = new Map<string, number>();
  custom.enabled.forEach((p, i) => customByName.set(p.name, i));
  const replaced = new Set<number>();
  const enabled = [];
  if (!disabledNames.has('*')) {
    for (const d of defaults.enabled) {
      if (disabledNames.has(d.name)) continue;
      const i = customByName.get(d.name);
      if (i !== undefined) {
        enabled.push({ ...custom.enabled[i] });
        replaced.add(i);
      } else enabled.push({ ...d });
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push({ ...p });
  });
  return { enabled, disabled };
}

export function mergePlugins(defaults: Plugins, custom: Plugins | undefined): Plugins {
  if (!custom) return defaults;
  const out = { multiPoint: mergePluginSet(defaults.multiPoint, custom.multiPoint) } as Plugins;
  for (const e of EXTENSION_POINTS) out[e] = mergePluginSet(defaults[e], custom[e]);
  return out;
}
