/**
 * CycleState (upstream framework.CycleState): per-scheduling-cycle scratch space plugins share, keyed by a string
 * (by convention `PreFilter<PluginName>` / `PreScore<PluginName>`). PreFilter/PreScore compute once per pod what
 * Filter/Score then read for every node. `clone()` copies the map (values that preemption changes through
 * AddPod/RemovePod must implement `clone()`), so a preemption dry-run never disturbs the real cycle.
 */
import type { FilterPlugin } from './interfaces';

export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter returned Skip: their Filter is not called this cycle. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not called this cycle. */
  readonly skipScorePlugins = new Set<string>();
  /** The profile's Filter plugins minus skipFilterPlugins, listed once by PreFilter (Filter runs per node). */
  filterPluginsToRun: readonly FilterPlugin[] | undefined;

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** Like read, but a missing key is an Error status upstream: throws, for the framework to turn into one. */
  mustRead<T extends StateData>(key: string): T {
    const v = this.data.get(key);
    if (!v) throw new Error(`error reading "${key}" from cycleState: not found`);
    return v as T;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    c.filterPluginsToRun = this.filterPluginsToRun;
    return c;
  }
}
