/**
 * A StatefulSet member's identity and storage (upstream stateful_set_utils.go): the pod `<set>-<ordinal>` with
 * ordinals from spec.ordinals.start (default 0) for spec.replicas, its labels (pod-name, pod-index, revision),
 * hostname/subdomain (set at creation only) and one PVC per volumeClaimTemplate named
 * `<template>-<set>-<ordinal>`, mounted as the volume named after the template. Pure functions; pods handed in are
 * never modified unless the function says it mutates its argument.
 */
import { deepCopy } from '../../api/object';
import { labelSelectorAsMap } from '../../api/selectors/label-selector-object';
import { newControllerRef } from '../framework/controller-ref';
import { podFromTemplate } from '../framework/pod-control';
import { POD_INDEX_LABEL, POD_NAME_LABEL, STATEFULSET_API_VERSION, STATEFULSET_KIND, STATEFULSET_REVISION_LABEL, type Claim, type Pod, type StatefulSet, type Volume } from './types';

const STATEFUL_POD = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** The parent set's name and the ordinal in a pod's name; '' and -1 when the name has no `-<digits>` suffix. */
export function parentNameAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1], ordinal: Number.isSafeInteger(n) && n <= MAX_INT32 ? n : -1 };
}

export function getOrdinal(pod: Pod): number {
  return parentNameAndOrdinal(String(pod.metadata.name ?? '')).ordinal;
}

export function desiredReplicas(set: StatefulSet): number {
  return set.spec.replicas ?? 1;
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** The last ordinal the set keeps (inclusive). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + desiredReplicas(set) - 1;
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function claimName(set: StatefulSet, template: Claim, ordinal: number): string {
  return `${template.metadata.name}-${set.metadata.name}-${ordinal}`;
}

export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(String(pod.metadata.name ?? '')).parent === set.metadata.name;
}

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const name = String(pod.metadata.name ?? '');
  const { parent, ordinal } = parentNameAndOrdinal(name);
  return ordinal >= 0 && parent === set.metadata.name && name === podName(set, ordinal) && pod.metadata.namespace === set.metadata.namespace && pod.metadata.labels?.[POD_NAME_LABEL] === name;
}

/** True when every volumeClaimTemplate is mounted as a volume of its name using the pod's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const v = volumes.get(String(t.metadata.name));
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, t, ordinal)) return false;
  }
  return true;
}

/** The claims the pod needs, by template name: each template's copy named for the pod, labelled with the set's
 * selector matchLabels (over the template's own labels), in the set's namespace. */
export function claimsFor(set: StatefulSet, pod: Pod): Map<string, Claim> {
  const ordinal = getOrdinal(pod);
  const matchLabels = labelSelectorAsMap(set.spec.selector) ?? {};
  const out = new Map<string, Claim>();
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const c = deepCopy(t);
    c.metadata = { ...c.metadata, name: claimName(set, t, ordinal), namespace: set.metadata.namespace };
    c.metadata.labels = { ...(c.metadata.labels ?? {}), ...matchLabels };
    out.set(String(t.metadata.name), c);
  }
  return out;
}

/** Mutates `pod`: its volumes become one PVC volume per template (replacing same-named ones) plus the others. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = claimsFor(set, pod);
  const current = pod.spec?.volumes ?? [];
  const volumes: Volume[] = [...claims].map(([name, c]) => ({ name, persistentVolumeClaim: { claimName: String(c.metadata.name) } }));
  for (const v of current) if (!claims.has(v.name)) volumes.push(v);
  pod.spec = { ...(pod.spec ?? {}), volumes };
}

/** Mutates `pod`: name, namespace and the pod-name / pod-index labels follow its ordinal. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** updateIdentity plus the fields fixed at creation: hostname = pod name, subdomain = spec.serviceName. */
export function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  pod.spec = { ...(pod.spec ?? {}), hostname: pod.metadata.name };
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
}

export function getPodRevision(pod: Pod): string {
  return pod.metadata.labels?.[STATEFULSET_REVISION_LABEL] ?? '';
}

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFULSET_REVISION_LABEL]: revision };
}

/** A new (unsaved) member with ordinal `ordinal` built from the set's template. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const ref = newControllerRef(set, STATEFULSET_API_VERSION, STATEFULSET_KIND);
  const pod = podFromTemplate(set.spec.template, set, ref) as Pod;
  pod.metadata.name = podName(set, ordinal);
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * The member `ordinal` at the right revision (upstream newVersionedStatefulSetPod, operator precedence included):
 * the current revision for ordinals below the partition (or, for RollingUpdate without rollingUpdate, below
 * start + status.currentReplicas), the update revision otherwise.
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const strategy = currentSet.spec.updateStrategy;
  const ru = strategy?.rollingUpdate;
  const start = startOrdinal(currentSet);
  const useCurrent =
    (strategy?.type === 'RollingUpdate' && !ru && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) || (!!ru && ordinal < start + (ru.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}
