/**
 * PodInfo (upstream framework.PodInfo): a pod with its inter-pod affinity terms parsed once — required and preferred
 * (weighted) affinity and anti-affinity. A term's namespaces default to the pod's own when neither `namespaces` nor
 * `namespaceSelector` is set (upstream getNamespacesFromPodAffinityTerm); an empty namespaceSelector `{}` selects
 * every namespace. Pods are the informer's frozen objects: never modified.
 */
import type { LabelSelector } from '../../api/selectors/label-selector';
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import type { CachedObject } from '../../client/informers';

export type Pod = CachedObject;

export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  selector: LabelSelector;
  topologyKey: string;
  /** Over namespace labels; `undefined` when the term has none (then only `namespaces` count). */
  namespaceSelector?: LabelSelector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodInfo {
  readonly pod: Pod;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
}

type RawTerm = {
  labelSelector?: unknown;
  namespaces?: string[];
  topologyKey?: string;
  namespaceSelector?: unknown;
};
type RawAffinity = {
  requiredDuringSchedulingIgnoredDuringExecution?: RawTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; podAffinityTerm?: RawTerm }[];
};

export function affinityTerm(pod: Pod, t: RawTerm): AffinityTerm {
  const ns = t.namespaces ?? [];
  const term: AffinityTerm = {
    namespaces: new Set(ns.length === 0 && t.namespaceSelector == null ? [String(pod.metadata?.namespace ?? '')] : ns),
    selector: labelSelectorAsSelector(t.labelSelector as never),
    topologyKey: t.topologyKey ?? '',
  };
  if (t.namespaceSelector != null) term.namespaceSelector = labelSelectorAsSelector(t.namespaceSelector as never);
  return term;
}

const cache = new WeakMap<object, PodInfo>();

/** The PodInfo of a pod, built once per pod object. */
export function podInfo(pod: Pod): PodInfo {
  let info = cache.get(pod);
  if (info) return info;
  const aff = (pod.spec as { affinity?: { podAffinity?: RawAffinity; podAntiAffinity?: RawAffinity } } | undefined)?.affinity;
  const req = (a: RawAffinity | undefined) => (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
  const pref = (a: RawAffinity | undefined) =>
    (a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...affinityTerm(pod, w.podAffinityTerm ?? {}), weight: w.weight ?? 0 }));
  info = {
    pod,
    requiredAffinityTerms: req(aff?.podAffinity),
    requiredAntiAffinityTerms: req(aff?.podAntiAffinity),
    preferredAffinityTerms: pref(aff?.podAffinity),
    preferredAntiAffinityTerms: pref(aff?.podAntiAffinity),
  };
  cache.set(pod, info);
  return info;
}

export function hasAffinity(p: PodInfo): boolean {
  return p.requiredAffinityTerms.length + p.requiredAntiAffinityTerms.length + p.preferredAffinityTerms.length + p.preferredAntiAffinityTerms.length > 0;
}

/** Whether `term` selects `pod` (namespace by name or by the namespace's labels, then the label selector). */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined): boolean {
  const ns = String(pod.metadata?.namespace ?? '');
  if (!term.namespaces.has(ns) && !(term.namespaceSelector && term.namespaceSelector.matches(nsLabels ?? {}))) return false;
  return term.selector.matches(pod.metadata?.labels ?? {});
}
