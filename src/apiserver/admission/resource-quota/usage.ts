/**
 * Quota usage from scratch, as the resourcequota controller's CalculateUsage does it: for every hard resource name
 * some evaluator tracks, the sum of the usage of the quota namespace's objects that fall under all of the quota's
 * scopes, 0 when none does; names no evaluator tracks are left out. Pure: the caller supplies the objects (all
 * objects of the resources `trackedResources(hardNames)` lists, in the quota's namespace) and the clock.
 *
 * Also the pieces the admission plugin shares with it: the quota's hard limits (spec.hard — status.hard mirrors
 * it), its recorded usage (status.used) and whether a quota applies to an object (generic.Matches).
 */
import { Quantity } from '../../../api/quantity';
import { addLists, maskList, parseFrozenResourceList, rememberParsed, type ResourceList } from '../../../api/quantity-math';
import { str, sub, type Obj } from '../plugin-util';
import { evaluatorFor, trackedResources, type QuotaEvaluator } from './evaluator';
import { quotaScopeSelectors } from './scopes';

export interface QuotaObject {
  group: string;
  resource: string;
  object: Readonly<Obj>;
}

/** A frozen status.used map for `list`, with `list` remembered as its parsed form. */
export function frozenUsed(list: ResourceList, formatted: Record<string, string>): Readonly<Record<string, string>> {
  const used = Object.freeze(formatted);
  rememberParsed(used, list);
  return used;
}

/** The quota's hard limits: spec.hard (status.hard mirrors it). The list must not be modified. */
export function quotaHard(quota: Readonly<Obj>): ResourceList {
  return parseFrozenResourceList(sub(quota, 'spec')?.hard);
}

/** The usage recorded in status.used. The list must not be modified. */
export function quotaUsed(quota: Readonly<Obj>): ResourceList {
  return parseFrozenResourceList(sub(quota, 'status')?.used);
}

/** What the names of one parsed hard list lead to, worked out once per (frozen) quota spec. */
interface HardNames {
  names: readonly string[];
  measurable?: readonly string[];
  matching: Map<QuotaEvaluator, readonly string[]>;
}
const hardNamesOf = new WeakMap<ResourceList, HardNames>();

function hardNames(quota: Readonly<Obj>): HardNames {
  const hard = quotaHard(quota);
  let info = hardNamesOf.get(hard);
  if (!info) hardNamesOf.set(hard, (info = { names: [...hard.keys()], matching: new Map() }));
  return info;
}

/** The hard names this evaluator measures (evaluator.matchingResources over spec.hard's names). */
export function quotaMatchingNames(evaluator: QuotaEvaluator, quota: Readonly<Obj>): readonly string[] {
  const info = hardNames(quota);
  let names = info.matching.get(evaluator);
  if (!names) info.matching.set(evaluator, (names = evaluator.matchingResources(info.names)));
  return names;
}

/** measurableNames over spec.hard's names. */
export function quotaMeasurableNames(quota: Readonly<Obj>): readonly string[] {
  const info = hardNames(quota);
  return (info.measurable ??= measurableNames(info.names));
}

/** generic.Matches: the quota limits something this evaluator tracks and the object is in all of its scopes. */
export function quotaMatches(evaluator: QuotaEvaluator, quota: Readonly<Obj>, obj: Readonly<Obj>): boolean {
  if (!quotaMatchingNames(evaluator, quota).length) return false;
  return quotaScopeSelectors(quota).every((s) => evaluator.matchesScope(s, obj));
}

/** The hard names some evaluator can measure. */
export function measurableNames(hardNames: readonly string[]): string[] {
  const matched = new Set<string>();
  for (const { group, resource } of trackedResources(hardNames))
    for (const n of evaluatorFor(group, resource)!.matchingResources(hardNames)) matched.add(n);
  return hardNames.filter((n) => matched.has(n));
}

/** The usage a quota should record, computed from the objects it counts. */
export function computeQuotaUsage(quota: Readonly<Obj>, objects: readonly QuotaObject[], now: Date = new Date()): ResourceList {
  const hardNames = [...quotaHard(quota).keys()];
  const matched = measurableNames(hardNames);
  const namespace = str(sub(quota, 'metadata'), 'namespace');
  const scopes = quotaScopeSelectors(quota);
  let usage: ResourceList = new Map();
  for (const { group, resource } of trackedResources(matched)) {
    const evaluator = evaluatorFor(group, resource)!;
    const names = evaluator.matchingResources(matched);
    if (!names.length) continue;
    let stats: ResourceList = new Map(names.map((n) => [n, Quantity.zero()]));
    for (const o of objects) {
      if (o.group !== group || o.resource !== resource) continue;
      const ns = str(sub(o.object, 'metadata'), 'namespace');
      if (namespace && ns && ns !== namespace) continue;
      if (scopes.every((s) => evaluator.matchesScope(s, o.object))) stats = addLists(stats, evaluator.usage(o.object, now));
    }
    usage = addLists(usage, stats);
  }
  return maskList(usage, matched);
}
