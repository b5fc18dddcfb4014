/**
 * One request against a namespace's quotas (the ResourceQuota plugin's CheckRequest): which quotas apply, whether
 * the object meets their constraints, the usage it adds (on UPDATE the increase over the stored object, never
 * negative), and whether that fits under every applying quota's hard limits. Throws upstream's 403s:
 *   `failed quota: q: must specify requests.cpu for: web`
 *   `quota usage is negative for resource(s): cpu`
 *   `exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3`
 * and returns shallow copies of the quotas whose status.used changes, with the new usage (status.hard set to
 * spec.hard); the copies share everything else with the originals, so neither may be modified in place.
 *
 * Where a quota's status.used lacks a name it limits (a quota the controller has not synced yet), the missing
 * usage is computed from scratch (computeQuotaUsage over `objectsFor`) instead of upstream's
 * `status unknown for quota` rejection.
 */
import type { StoredObject } from '../../../api/object';
import {
  addLists,
  formatResourceList,
  isZeroList,
  lessThanOrEqual,
  listsEqual,
  maskList,
  negativeNames,
  prettyPrintList,
  subtractNonNegative,
  type ResourceList,
} from '../../../api/quantity-math';
import { admissionForbidden, sub } from '../plugin-util';
import type { AdmissionAttributes } from '../types';
import type { QuotaEvaluator } from './evaluator';
import { computeQuotaUsage, frozenUsed, quotaHard, quotaMatches, quotaMatchingNames, quotaMeasurableNames, quotaUsed, type QuotaObject } from './usage';

export interface CheckDeps {
  now: Date;
  /** Every object of the resources a quota with these hard names counts, in the request's namespace. */
  objectsFor(hardNames: readonly string[]): QuotaObject[];
}

/** status.used, with names the quota can measure but has no recorded usage for filled in from scratch. */
function currentUsage(quota: Readonly<StoredObject>, deps: CheckDeps): ResourceList {
  const used = quotaUsed(quota);
  const names = quotaMeasurableNames(quota);
  if (names.every((n) => used.has(n))) return used;
  const computed = computeQuotaUsage(quota, deps.objectsFor(names), deps.now);
  const out = new Map(used);
  for (const n of names) if (!out.has(n) && computed.has(n)) out.set(n, computed.get(n)!);
  return out;
}

const sortedNames = (names: Iterable<string>): string => [...names].sort().join(',');

export function checkQuotaRequest(
  quotas: readonly Readonly<StoredObject>[],
  attrs: AdmissionAttributes,
  evaluator: QuotaEvaluator,
  deps: CheckDeps,
): StoredObject[] {
  const obj = attrs.object;
  if (!obj) return [];
  const interesting: { quota: Readonly<StoredObject>; used: ResourceList }[] = [];
  for (const quota of quotas) {
    if (!quotaMatches(evaluator, quota, obj)) continue;
    const name = quota.metadata.name ?? '';
    const restricted = quotaMatchingNames(evaluator, quota);
    const violation = evaluator.constraints(restricted, obj);
    if (violation) throw admissionForbidden(attrs, `failed quota: ${name}: ${violation}`);
    interesting.push({ quota, used: currentUsage(quota, deps) });
  }

  let delta = evaluator.usage(obj, deps.now);
  const negative = negativeNames(delta);
  if (negative.length) throw admissionForbidden(attrs, `quota usage is negative for resource(s): ${sortedNames(negative)}`);
  if (attrs.operation === 'UPDATE') {
    const old = attrs.oldObject;
    if (!old) throw admissionForbidden(attrs, 'unable to get previous usage since prior version of object was not found');
    if (old.metadata?.resourceVersion) delta = subtractNonNegative(delta, evaluator.usage(old, deps.now));
  }
  if (isZeroList(delta) || !interesting.length) return [];

  const out: StoredObject[] = [];
  for (const { quota, used } of interesting) {
    const hard = quotaHard(quota);
    const requested = maskList(delta, hard.keys());
    const newUsage = addLists(used, requested);
    const { ok, exceeded } = lessThanOrEqual(maskList(newUsage, requested.keys()), hard);
    if (!ok) {
      const failed = (l: ResourceList): string => prettyPrintList(maskList(l, exceeded));
      throw admissionForbidden(
        attrs,
        `exceeded quota: ${quota.metadata.name ?? ''}, requested: ${failed(requested)}, used: ${failed(used)}, limited: ${failed(hard)}`,
      );
    }
    if (listsEqual(quotaUsed(quota), newUsage)) continue;
    // A shallow copy: only status is new (quotas are never modified in place).
    const hardSpec = sub(quota, 'spec')?.hard as Record<string, unknown> | undefined;
    out.push({ ...quota, status: { ...sub(quota, 'status'), hard: { ...hardSpec }, used: frozenUsed(newUsage, formatResourceList(newUsage)) } } as StoredObject);
  }
  return out;
}
