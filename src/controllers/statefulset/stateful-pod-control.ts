/**
 * StatefulPodControl (upstream stateful_pod_control.go): creates a member's claims before the member, updates a
 * member whose identity, storage or claim ownership drifted, deletes members, and keeps claims' ownerReferences
 * following the retention policy. Records upstream's events on the set:
 *   SuccessfulCreate "create Pod web-0 in StatefulSet web successful" (FailedCreate "… failed error: <err>"),
 *   SuccessfulUpdate / SuccessfulDelete likewise, and for claims
 *   SuccessfulCreate "create Claim www-web-0 Pod web-0 in StatefulSet web success"
 *   (FailedCreate "create Claim www-web-0 for Pod web-0 in StatefulSet web failed error: <err>").
 * Reads pods and claims from listers; writes through the controller's client.
 */
import type { Lister } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import { isAlreadyExists, isConflict, type ApiClient, type Obj } from '../framework/api-client';
import { R } from '../framework/resources';
import { claimOwnerRefsFor, hasStaleOwnerRef, hasUnexpectedController, isClaimOwnerUpToDate, POD_OWNER_KIND, retentionPolicy } from './claim-retention';
import { claimName, claimsFor, getOrdinal, identityMatches, storageMatches, updateIdentity, updateStorage } from './identity';
import { POLICY_RETAIN, type Claim, type Pod, type StatefulSet } from './types';

const MAX_CONFLICT_RETRIES = 4;

const title = (verb: string): string => verb.charAt(0).toUpperCase() + verb.slice(1);
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** errorutils.NewAggregate's message: the one error, or `[e1, e2]`. */
export function aggregate(errs: readonly unknown[]): Error | undefined {
  if (errs.length === 0) return undefined;
  if (errs.length === 1) return errs[0] instanceof Error ? errs[0] : new Error(errText(errs[0]));
  return new Error(`[${errs.map(errText).join(', ')}]`);
}

export class StatefulPodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly pods: Lister,
    private readonly claims: Lister,
    private readonly recorder: EventRecorder,
  ) {}

  /** Creates the pod's claims, then the pod; then sets claim ownership for the retention policy. AlreadyExists
   * for the pod is returned as is, without an event. */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (e) {
      this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    let created: Pod;
    try {
      created = (await this.client.create(R.pods, String(set.metadata.namespace ?? ''), pod as Obj)) as Pod;
    } catch (e) {
      if (!isAlreadyExists(e)) this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, created);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
    this.recordPodEvent('create', set, pod);
  }

  /** Brings a member's identity, storage and claim ownership in line with `set` (PUT, retried on conflicts). */
  async updateStatefulPod(set: StatefulSet, original: Pod): Promise<void> {
    let pod = structuredClone(original) as Pod;
    let attempted = false;
    let failure: unknown;
    for (let attempt = 0; ; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      try {
        if (!storageMatches(set, pod)) {
          updateStorage(set, pod);
          consistent = false;
          await this.createPersistentVolumeClaims(set, pod);
        }
        if (!this.claimsMatchRetentionPolicy(set, pod)) {
          await this.updatePodClaimForRetentionPolicy(set, pod);
          consistent = false;
        }
      } catch (e) {
        this.recordPodEvent('update', set, pod, e);
        throw e;
      }
      if (consistent) break;
      attempted = true;
      try {
        await this.client.update(R.pods, String(set.metadata.namespace ?? ''), pod as Obj);
        failure = undefined;
        break;
      } catch (e) {
        failure = e;
        if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) break;
        const fresh = this.pods.get(String(set.metadata.namespace ?? ''), String(pod.metadata.name));
        if (fresh) pod = structuredClone(fresh) as Pod;
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, failure);
    if (failure !== undefined) throw failure;
  }

  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.client.delete(R.pods, String(set.metadata.namespace ?? ''), String(pod.metadata.name));
    } catch (e) {
      this.recordPodEvent('delete', set, pod, e);
      throw e;
    }
    this.recordPodEvent('delete', set, pod);
  }

  /** False when a claim of the pod that exists has ownerReferences the policy would change. */
  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    const ordinal = getOrdinal(pod);
    for (const t of set.spec.volumeClaimTemplates ?? []) {
      const claim = this.claims.get(String(set.metadata.namespace ?? ''), claimName(set, t, ordinal)) as Claim | undefined;
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** Updates the ownerReferences of the pod's existing claims to follow the policy (a Warning ConflictingController
   * when another controller owns one). */
  async updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = getOrdinal(pod);
    for (const t of set.spec.volumeClaimTemplates ?? []) {
      const name = claimName(set, t, ordinal);
      const claim = this.claims.get(String(set.metadata.namespace ?? ''), name) as Claim | undefined;
      if (!claim) continue;
      if (hasUnexpectedController(claim, set, pod)) {
        this.recorder.event(set, 'Warning', 'ConflictingController', `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`);
      }
      if (isClaimOwnerUpToDate(claim, set, pod)) continue;
      const copy = structuredClone(claim) as Claim;
      copy.metadata.ownerReferences = claimOwnerRefsFor(claim, set, pod);
      try {
        await this.client.update(R.persistentvolumeclaims, String(set.metadata.namespace ?? ''), copy as Obj);
      } catch (e) {
        throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${errText(e)}`);
      }
    }
  }

  /** Under whenScaled=Delete, a claim still owned by an earlier pod of this name blocks creating the pod. */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === POLICY_RETAIN) return false;
    for (const c of claimsFor(set, pod).values()) {
      const claim = this.claims.get(String(c.metadata.namespace ?? ''), String(c.metadata.name)) as Claim | undefined;
      if (claim && hasStaleOwnerRef(claim, pod, POD_OWNER_KIND)) return true;
    }
    return false;
  }

  /** Creates missing claims, then fixes claim ownership (for pending pods whose claims may have gone). */
  async createMissingPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    await this.createPersistentVolumeClaims(set, pod);
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
  }

  /** Creates every claim of the pod the lister does not have; a claim being deleted is an error. */
  async createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errs: unknown[] = [];
    for (const claim of claimsFor(set, pod).values()) {
      const name = String(claim.metadata.name);
      const existing = this.claims.get(String(claim.metadata.namespace ?? ''), name);
      if (!existing) {
        try {
          await this.client.create(R.persistentvolumeclaims, String(claim.metadata.namespace ?? ''), claim as Obj);
          this.recordClaimEvent('create', set, pod, name);
        } catch (e) {
          // The informer has not seen it yet: the claim exists, which is all that is asked.
          if (isAlreadyExists(e)) continue;
          errs.push(new Error(`failed to create PVC ${name}: ${errText(e)}`));
          this.recordClaimEvent('create', set, pod, name, e);
        }
      } else if (existing.metadata?.deletionTimestamp) {
        errs.push(new Error(`pvc ${name} is being deleted`));
      }
    }
    const err = aggregate(errs);
    if (err) throw err;
  }

  private recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    const name = String(pod.metadata.name);
    const setName = String(set.metadata.name);
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${name} in StatefulSet ${setName} successful`);
    else this.recorder.event(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${name} in StatefulSet ${setName} failed error: ${errText(err)}`);
  }

  private recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: string, err?: unknown): void {
    const name = String(pod.metadata.name);
    const setName = String(set.metadata.name);
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim} Pod ${name} in StatefulSet ${setName} success`);
    else this.recorder.event(set, 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claim} for Pod ${name} in StatefulSet ${setName} failed error: ${errText(err)}`);
  }
}
