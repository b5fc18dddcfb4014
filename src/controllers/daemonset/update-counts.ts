/**
 * RollingUpdate arithmetic (upstream daemon util SurgeCount / UnavailableCount / AllowsSurge over intstr
 * GetScaledValueFromIntOrPercent): maxSurge and maxUnavailable as ints or percentages of the nodes that should run
 * the set, percentages rounded up. Both are 0 for OnDelete. Throws upstream's message for a malformed value. Pure.
 */
import type { DaemonSet } from './types';

/** GetScaledValueFromIntOrPercent (undefined stands for a nil IntOrString). */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${digits}": invalid syntax`);
  const pct = Number(digits);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

function rollingUpdate(ds: DaemonSet): { maxSurge?: number | string; maxUnavailable?: number | string } | undefined {
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return undefined;
  return ds.spec?.updateStrategy?.rollingUpdate ?? undefined;
}

export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const r = rollingUpdate(ds);
  return r && r.maxSurge !== undefined ? scaledValue(r.maxSurge, numberToSchedule, true) : 0;
}

export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const r = rollingUpdate(ds);
  return r ? scaledValue(r.maxUnavailable, numberToSchedule, true) : 0;
}

export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}
