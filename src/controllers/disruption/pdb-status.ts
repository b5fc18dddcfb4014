/**
 * PodDisruptionBudget status arithmetic (upstream pkg/controller/disruption and component-helpers
 * apps/poddisruptionbudget), pure: desired healthy pods from minAvailable / maxUnavailable (ints, or percentages of
 * the expected pods rounded up), healthy pods (ready, not being deleted, not recently evicted), the disruptedPods
 * map (entries of pods now being deleted are dropped; entries older than DeletionTimeout are dropped with a
 * NotDeleted warning), disruptionsAllowed, and the DisruptionAllowed condition (SufficientPods / InsufficientPods /
 * SyncFailed) set as apimeta.SetStatusCondition does.
 */
import type { CachedObject } from '../../client/informers';
import { isPodReady } from '../framework/pod-util';

/** DeletionTimeout: how long an eviction's entry in disruptedPods keeps the pod from counting as healthy. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

export type IntOrString = number | string;

export interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

export interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

export interface PdbSpec {
  minAvailable?: IntOrString;
  maxUnavailable?: IntOrString;
  selector?: unknown;
  unhealthyPodEvictionPolicy?: string;
}

/** intstr.GetScaledValueFromIntOrPercent; throws upstream's errors for a malformed value. */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const s = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const x = (Number(s) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** getExpectedPodCount, given how to compute the expected scale (the sum of the pods' controllers' replicas). */
export function expectedPodCount(spec: PdbSpec, pods: readonly CachedObject[], expectedScale: () => { expected: number; unmanaged: string[] }): { expectedCount: number; desiredHealthy: number; unmanaged: string[] } {
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expected, unmanaged } = expectedScale();
    const maxUnavailable = scaledValue(spec.maxUnavailable, expected, true);
    return { expectedCount: expected, desiredHealthy: Math.max(0, expected - maxUnavailable), unmanaged };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanaged: [] };
    const { expected, unmanaged } = expectedScale();
    return { expectedCount: expected, desiredHealthy: scaledValue(spec.minAvailable, expected, true), unmanaged };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanaged: [] };
}

function timeOf(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** countHealthyPods. */
export function countHealthyPods(pods: readonly CachedObject[], disrupted: Readonly<Record<string, string>>, now: number): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const at = disrupted[String(p.metadata?.name ?? '')];
    if (at !== undefined && timeOf(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(p)) n++;
  }
  return n;
}

/** buildDisruptedPodMap: the entries to keep, the pods whose entries expired, and when to look again. */
export function buildDisruptedPodMap(pods: readonly CachedObject[], status: PdbStatus | undefined, now: number): { disrupted: Record<string, string>; expired: CachedObject[]; recheckAt?: number } {
  const disrupted: Record<string, string> = {};
  const expired: CachedObject[] = [];
  const current = status?.disruptedPods;
  let recheckAt: number | undefined;
  if (!current) return { disrupted, expired };
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const name = String(p.metadata?.name ?? '');
    const at = current[name];
    if (at === undefined) continue;
    const expectedDeletion = timeOf(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) expired.push(p);
    else {
      if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
      disrupted[name] = at;
    }
  }
  return { disrupted, expired, recheckAt };
}

/** metav1.Time text (RFC 3339, seconds). */
export function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** apimeta.SetStatusCondition (in place); true when something changed. */
export function setStatusCondition(conds: Condition[], c: Omit<Condition, 'lastTransitionTime'>, now: number): boolean {
  const cur = conds.find((x) => x.type === c.type);
  if (!cur) {
    const added: Condition = { type: c.type, status: c.status, lastTransitionTime: metaTime(now), reason: c.reason, message: c.message };
    if (c.observedGeneration) added.observedGeneration = c.observedGeneration;
    conds.push(added);
    return true;
  }
  let changed = false;
  if (cur.status !== c.status) {
    cur.status = c.status;
    cur.lastTransitionTime = metaTime(now);
    changed = true;
  }
  if (cur.reason !== c.reason) {
    cur.reason = c.reason;
    changed = true;
  }
  if (cur.message !== c.message) {
    cur.message = c.message;
    changed = true;
  }
  if ((cur.observedGeneration ?? 0) !== (c.observedGeneration ?? 0)) {
    if (c.observedGeneration) cur.observedGeneration = c.observedGeneration;
    else delete cur.observedGeneration;
    changed = true;
  }
  return changed;
}

/** UpdateDisruptionAllowedCondition. */
export function updateDisruptionAllowedCondition(status: PdbStatus, now: number): void {
  status.conditions ??= [];
  const allowed = status.disruptionsAllowed > 0;
  setStatusCondition(
    status.conditions,
    { type: DISRUPTION_ALLOWED, status: allowed ? 'True' : 'False', reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS, message: '', observedGeneration: status.observedGeneration },
    now,
  );
}

/** ConditionsAreUpToDate. */
export function conditionsAreUpToDate(status: PdbStatus | undefined, generation: number): boolean {
  const c = status?.conditions?.find((x) => x.type === DISRUPTION_ALLOWED);
  if (!c || (status?.observedGeneration ?? 0) !== generation) return false;
  if ((status?.disruptionsAllowed ?? 0) > 0) return c.status === 'True' && c.reason === SUFFICIENT_PODS;
  return c.status === 'False' && c.reason === INSUFFICIENT_PODS;
}

/** The status updatePdbStatus would write, or undefined when the current one is already right. */
export function nextStatus(
  cur: PdbStatus | undefined,
  generation: number,
  v: { currentHealthy: number; desiredHealthy: number; expectedCount: number; disrupted: Record<string, string> },
  now: number,
): PdbStatus | undefined {
  let disruptionsAllowed = v.currentHealthy - v.desiredHealthy;
  if (v.expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>) =>
    Object.keys(a ?? {}).length === Object.keys(b).length && Object.entries(b).every(([k, t]) => a?.[k] !== undefined && timeOf(a[k]) === timeOf(t));
  if (
    cur &&
    cur.currentHealthy === v.currentHealthy &&
    cur.desiredHealthy === v.desiredHealthy &&
    cur.expectedPods === v.expectedCount &&
    cur.disruptionsAllowed === disruptionsAllowed &&
    sameMap(cur.disruptedPods, v.disrupted) &&
    (cur.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(cur, generation)
  ) {
    return undefined;
  }
  const next: PdbStatus = {
    disruptionsAllowed,
    currentHealthy: v.currentHealthy,
    desiredHealthy: v.desiredHealthy,
    expectedPods: v.expectedCount,
  };
  if (generation) next.observedGeneration = generation;
  if (Object.keys(v.disrupted).length) next.disruptedPods = v.disrupted;
  next.conditions = structuredClone(cur?.conditions ?? []);
  updateDisruptionAllowedCondition(next, now);
  return next;
}

/** failSafe's status: no disruptions allowed, DisruptionAllowed=False SyncFailed with the error. */
export function failSafeStatus(cur: PdbStatus | undefined, err: string, now: number): PdbStatus {
  const next: PdbStatus = structuredClone(cur ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  next.disruptionsAllowed = 0;
  next.conditions ??= [];
  setStatusCondition(next.conditions, { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message: err, observedGeneration: next.observedGeneration }, now);
  return next;
}
