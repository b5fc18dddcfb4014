/**
 * Taints and tolerations as upstream's core/v1 helpers judge them (Toleration.ToleratesTaint,
 * FindMatchingUntoleratedTaint), shared by the controllers (DaemonSet, taint eviction) and the scheduler.
 */

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** ToleratesTaint: effect and key must match when set; operator '' / Equal compares values, Exists matches any
 * value, anything else matches nothing. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(ts: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (ts ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint passing `filter` that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, ts: readonly Toleration[] | undefined, filter: (t: Taint) => boolean): Taint | undefined {
  return (taints ?? []).find((taint) => filter(taint) && !tolerationsTolerateTaint(ts, taint));
}
