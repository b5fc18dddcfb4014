/**
 * maxSurge / maxUnavailable as upstream resolves them (intstr.GetValueFromIntOrPercent and ResolveFenceposts):
 * an int is taken as is; a percent of the desired replicas rounds up for surge and down for unavailability; when
 * both resolve to 0, maxUnavailable becomes 1 (surge may be blocked by quota). Recreate has neither. Also the
 * number of replicas the new ReplicaSet may have next (NewRSNewReplicas).
 */
import { specReplicas, type Deployment, type ReplicaSet } from './types';

export type IntOrString = number | string;

/** intstr.GetScaledValueFromIntOrPercent; throws upstream's errors for a malformed value. */
export function valueFromIntOrPercent(v: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const body = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(body)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
  const pct = Number.parseInt(body, 10);
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** [surge, unavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrString | undefined | null, maxUnavailable: IntOrString | undefined | null, desired: number): [number, number] {
  const surge = valueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = valueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d))[0];
}

export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const u = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1];
  return Math.min(u, replicas);
}

/** Sum of spec.replicas. */
export function replicaCount(rss: readonly (ReplicaSet | null | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
}

/**
 * The replicas the new ReplicaSet should have now: RollingUpdate scales it up to the surge allowance without
 * exceeding the desired count; Recreate goes straight to the desired count.
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | null | undefined)[], newRS: ReplicaSet): number {
  const type = d.spec?.strategy?.type;
  const desired = specReplicas(d);
  if (type === 'RollingUpdate') {
    const surge = valueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, desired, true);
    const current = replicaCount(allRSs);
    const maxTotal = desired + surge;
    if (current >= maxTotal) return specReplicas(newRS);
    const up = Math.min(maxTotal - current, desired - specReplicas(newRS));
    return specReplicas(newRS) + up;
  }
  if (type === 'Recreate') return desired;
  throw new Error(`deployment type ${String(type)} isn't supported`);
}
