/**
 * What InterPodAffinity's filtering and scoring share: topology-pair counters (topologyKey → value → count, entries
 * dropped when they reach 0, as upstream's topologyToMatchedTermCount), the incoming pod's terms with their
 * namespaceSelector unrolled into namespace names (mergeAffinityTermNamespacesIfNotEmpty), the incoming pod's
 * namespace labels (GetNamespaceLabelsSnapshot), podMatchesAllAffinityTerms, and the signatures of what per-node work
 * depends on (keys of the incremental NodeSum in ../podtopologyspread/node-sum.ts).
 */
import type { LabelSelector } from '../../../api/selectors';
import type { Lister } from '../../../client/informers';
import { termMatches, type AffinityTerm, type Pod, type PodInfo, type WeightedAffinityTerm } from '../../framework';

export class TopologyCounts {
  readonly byKey = new Map<string, Map<string, number>>();
  /** Number of (key, value) pairs held. */
  size = 0;

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  add(key: string, value: string, delta: number): void {
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    const prev = m.get(value);
    const next = (prev ?? 0) + delta;
    if (next === 0) {
      if (prev !== undefined) {
        m.delete(value);
        this.size--;
        if (m.size === 0) this.byKey.delete(key);
      }
      return;
    }
    if (prev === undefined) this.size++;
    m.set(value, next);
  }

  /** `delta` on the pair (key, node's value for key) when the node has the label. */
  addForNode(labels: Readonly<Record<string, string>>, key: string, delta: number): void {
    if (Object.prototype.hasOwnProperty.call(labels, key)) this.add(key, labels[key], delta);
  }

  /** A copy of NodeSum totals (key → value → count). */
  static fromTotals(totals: ReadonlyMap<string, ReadonlyMap<string, number>>): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, m] of totals) {
      c.byKey.set(k, new Map(m));
      c.size += m.size;
    }
    return c;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, m] of this.byKey) c.byKey.set(k, new Map(m));
    c.size = this.size;
    return c;
  }
}

export function labelsOf(o: { metadata?: { labels?: unknown } } | undefined): Readonly<Record<string, string>> {
  return (o?.metadata?.labels ?? {}) as Record<string, string>;
}

/** The namespace's labels from the lister, or undefined when it is not known. */
export function namespaceLabelsSnapshot(ns: string, namespaces: Lister): Readonly<Record<string, string>> | undefined {
  const obj = namespaces.get('', ns);
  return obj ? { ...labelsOf(obj) } : undefined;
}

/** An incoming pod's term with a non-empty namespaceSelector unrolled into namespace names (selector dropped). */
export function mergeTermNamespaces<T extends AffinityTerm>(t: T, namespaces: Lister): T {
  const sel: LabelSelector | undefined = t.namespaceSelector;
  if (!sel || sel.empty()) return t;
  const names = new Set(t.namespaces);
  for (const n of namespaces.list('', sel)) names.add(String(n.metadata?.name ?? ''));
  const copy = { ...t, namespaces: names };
  delete copy.namespaceSelector;
  return copy;
}

/** The incoming pod's PodInfo with every term's namespaceSelector merged (a new object; the cached one is shared). */
export function mergedPodInfo(pi: PodInfo, namespaces: Lister): PodInfo {
  const m = <T extends AffinityTerm>(ts: readonly T[]) => ts.map((t) => mergeTermNamespaces(t, namespaces));
  return {
    pod: pi.pod,
    requiredAffinityTerms: m(pi.requiredAffinityTerms),
    requiredAntiAffinityTerms: m(pi.requiredAntiAffinityTerms),
    preferredAffinityTerms: m<WeightedAffinityTerm>(pi.preferredAffinityTerms),
    preferredAntiAffinityTerms: m<WeightedAffinityTerm>(pi.preferredAntiAffinityTerms),
  };
}

/** True iff `pod` matches every term (false for no terms). Incoming terms have their selectors merged: no nsLabels. */
export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, undefined)) return false;
  return true;
}

/** A stable text for what matching against a term depends on. */
export function termSignature(t: AffinityTerm, weight?: number): string {
  const sel = t.selector.selectable ? t.selector.toString() : '\u0000nothing';
  const nsSel = t.namespaceSelector ? (t.namespaceSelector.selectable ? `{${t.namespaceSelector.toString()}}` : '{\u0000}') : '';
  return `${[...t.namespaces].sort().join(',')}|${nsSel}|${sel}|${t.topologyKey}|${weight ?? ''}`;
}

export function labelsSignature(l: Readonly<Record<string, string>> | undefined): string {
  if (!l) return '\u0000';
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');
}
