/**
 * Taints and tolerations as the taint eviction controller judges them (upstream core/v1 Toleration.ToleratesTaint,
 * v1helper.GetMatchingTolerations, tainteviction getNoExecuteTaints / getMinTolerationTime). Pure functions over
 * plain API objects; nothing here reads the clock or the API.
 */

import { toleratesTaint, type Taint, type Toleration } from '../../api/tolerations';

export { toleratesTaint, type Taint, type Toleration };

/** Upstream GetMatchingTolerations: whether every taint is tolerated and, per taint, the first toleration that
 * tolerates it (empty when some taint is not tolerated). */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { all: boolean; used: Toleration[] } {
  if (taints.length === 0) return { all: true, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return { all: false, used: [] };
    used.push(t);
  }
  return { all: true, used };
}

/** Upstream getMinTolerationTime, in ms: 0 for no tolerations or any tolerationSeconds <= 0, -1 when none of them
 * sets tolerationSeconds (tolerated forever), else the smallest tolerationSeconds. */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (typeof t.tolerationSeconds !== 'number') continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

export function taintsOf(node: Readonly<Record<string, unknown>> | undefined): Taint[] {
  const taints = (node?.spec as { taints?: unknown } | undefined)?.taints;
  return Array.isArray(taints) ? (taints as Taint[]) : [];
}

export function noExecuteTaints(taints: readonly Taint[]): Taint[] {
  return taints.filter((t) => t.effect === 'NoExecute');
}

export function tolerationsOf(pod: Readonly<Record<string, unknown>> | undefined): Toleration[] {
  const tolerations = (pod?.spec as { tolerations?: unknown } | undefined)?.tolerations;
  return Array.isArray(tolerations) ? (tolerations as Toleration[]) : [];
}

/** Semantic equality of two taint or toleration lists (order matters, as upstream's DeepEqual). */
export function sameList(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => canonical(x) === canonical(b[i]));
}

function canonical(o: object): string {
  return JSON.stringify(Object.entries(o).filter(([, v]) => v !== undefined && v !== '').sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
