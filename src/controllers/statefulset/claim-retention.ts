/**
 * persistentVolumeClaimRetentionPolicy as ownerReferences on a member's claims (upstream stateful_set_utils.go):
 *   whenScaled Retain, whenDeleted Retain  → no reference to the set or the pod;
 *   whenScaled Retain, whenDeleted Delete  → the set is the claim's controller (GC deletes it with the set);
 *   whenScaled Delete, whenDeleted Retain  → the pod is the controller once the pod is scaled down (out of range);
 *   whenScaled Delete, whenDeleted Delete  → the set while in range, the pod once scaled down.
 * A claim whose reference to the set or pod carries another uid (stale), or that another controller owns, is left
 * alone. Pure functions over plain objects.
 */
import type { OwnerReference } from '../framework/controller-ref';
import { podInOrdinalRange } from './identity';
import { POD_API_VERSION, POD_KIND, POLICY_DELETE, POLICY_RETAIN, STATEFULSET_API_VERSION, STATEFULSET_KIND, type Claim, type Pod, type RetentionPolicy, type StatefulSet } from './types';

type Owner = { metadata: { name?: string; uid?: string } };
type Kind = { apiVersion: string; kind: string };

export const SET_KIND: Kind = { apiVersion: STATEFULSET_API_VERSION, kind: STATEFULSET_KIND };
export const POD_OWNER_KIND: Kind = { apiVersion: POD_API_VERSION, kind: POD_KIND };

/** The set's policy; Retain/Retain when unset. */
export function retentionPolicy(set: StatefulSet): Required<RetentionPolicy> {
  const p = set.spec.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? POLICY_RETAIN, whenScaled: p?.whenScaled ?? POLICY_RETAIN };
}

function refsOf(claim: Claim): readonly OwnerReference[] {
  return (claim.metadata.ownerReferences ?? []) as readonly OwnerReference[];
}

/** The reference names this object with this kind (uid not compared). */
export function matchesRef(ref: OwnerReference, obj: Owner, k: Kind): boolean {
  return ref.apiVersion === k.apiVersion && ref.kind === k.kind && ref.name === obj.metadata.name;
}

export function hasOwnerRef(claim: Claim, owner: Owner): boolean {
  const uid = owner.metadata.uid;
  return uid !== undefined && refsOf(claim).some((r) => r.uid === uid);
}

/** The first reference naming `obj` carries a different uid: it belonged to an earlier object of that name. */
export function hasStaleOwnerRef(claim: Claim, obj: Owner, k: Kind): boolean {
  const ref = refsOf(claim).find((r) => matchesRef(r, obj, k));
  return ref !== undefined && ref.uid !== obj.metadata.uid;
}

/** Under a non-Retain policy: a controller other than this set or pod, or a reference to them with a wrong uid. */
export function hasUnexpectedController(claim: Claim, set: StatefulSet, pod: Pod): boolean {
  const p = retentionPolicy(set);
  if (p.whenScaled === POLICY_RETAIN && p.whenDeleted === POLICY_RETAIN) return false;
  for (const ref of refsOf(claim)) {
    if (matchesRef(ref, set, SET_KIND)) {
      if (ref.uid !== set.metadata.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, POD_OWNER_KIND)) {
      if (ref.uid !== pod.metadata.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: Claim, set: StatefulSet, pod: Pod): boolean {
  return refsOf(claim).some((r) => (r.uid === set.metadata.uid || (pod.metadata.uid !== undefined && r.uid === pod.metadata.uid)) && r.controller !== true);
}

/** What the policy wants: a controller reference to the set, to the pod. */
function wanted(set: StatefulSet, pod: Pod): { set: boolean; pod: boolean } {
  const p = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const delScaled = p.whenScaled === POLICY_DELETE;
  const delDeleted = p.whenDeleted === POLICY_DELETE;
  if (delScaled && delDeleted) return { set: !scaledDown, pod: scaledDown };
  if (delScaled) return { set: false, pod: scaledDown };
  if (delDeleted) return { set: true, pod: false };
  return { set: false, pod: false };
}

/** False when the claim's references to the set and pod must change to follow the policy. */
export function isClaimOwnerUpToDate(claim: Claim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, SET_KIND) || hasStaleOwnerRef(claim, pod, POD_OWNER_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const w = wanted(set, pod);
  return hasOwnerRef(claim, set) === w.set && hasOwnerRef(claim, pod) === w.pod;
}

function controllerRef(owner: Owner, k: Kind): OwnerReference {
  return { apiVersion: k.apiVersion, kind: k.kind, name: String(owner.metadata.name ?? ''), uid: String(owner.metadata.uid ?? ''), controller: true, blockOwnerDeletion: true };
}

/** The claim's ownerReferences following the policy: ours scrubbed, then the wanted controller references added
 * (none when another controller owns the claim). */
export function claimOwnerRefsFor(claim: Claim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const refs = refsOf(claim).filter((r) => !matchesRef(r, set, SET_KIND) && !matchesRef(r, pod, POD_OWNER_KIND));
  if (unexpected) return refs;
  const w = wanted(set, pod);
  if (w.pod && pod.metadata.uid) refs.push(controllerRef(pod, POD_OWNER_KIND));
  if (w.set) refs.push(controllerRef(set, SET_KIND));
  return refs;
}
