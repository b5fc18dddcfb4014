/**
 * The garbage collector's API operations (upstream operations.go and patch.go): get / delete / patch an object known
 * by its graph identity (resource found through the REST mapper), with uid preconditions; strategic merge patches
 * that delete or unblock ownerReferences (`$patch: delete` keyed by uid, plus the object's uid as a precondition),
 * falling back to JSON merge patches carrying the resourceVersion when the kind takes no strategic merge patch
 * (415, custom resources); and removing one finalizer with a resourceVersion-guarded merge patch, retried on
 * conflicts.
 */
import { ApiError, isConflict, isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import type { RestMapper } from './discovery';
import { refString, type ObjectRef, type OwnerRef } from './graph';

const RETRY_STEPS = 5; // retry.DefaultBackoff.Steps

export class GcOperations {
  constructor(
    private readonly client: ApiClient,
    private readonly mapper: () => RestMapper,
  ) {}

  /** upstream apiResource: throws RestMappingError for an unknown apiVersion/kind. */
  apiResource(apiVersion: string, kind: string): { ref: { group: string; version: string; resource: string }; namespaced: boolean } {
    const r = this.mapper().mapping(apiVersion, kind);
    return { ref: { group: r.group, version: r.version, resource: r.resource }, namespaced: r.namespaced };
  }

  private target(item: ObjectRef): { ref: { group: string; version: string; resource: string }; ns: string } {
    const { ref, namespaced } = this.apiResource(item.apiVersion, item.kind);
    return { ref, ns: namespaced ? item.namespace : '' };
  }

  getObject(item: ObjectRef): Promise<Obj> {
    const { ref, ns } = this.target(item);
    return this.client.get(ref, ns, item.name);
  }

  /** Deletes with uid + resourceVersion preconditions; on a conflict where only the resourceVersion moved (same
   * owners), retries with the uid precondition alone (upstream deleteObject). */
  async deleteObject(item: ObjectRef, resourceVersion: string, owners: readonly OwnerRef[], policy: 'Orphan' | 'Background' | 'Foreground'): Promise<void> {
    const { ref, ns } = this.target(item);
    const preconditions = resourceVersion ? { uid: item.uid, resourceVersion } : { uid: item.uid };
    try {
      await this.client.delete(ref, ns, item.name, { preconditions, propagationPolicy: policy });
      return;
    } catch (e) {
      if (!isConflict(e) || !resourceVersion) throw e;
      const live = await this.client.get(ref, ns, item.name);
      const m = live.metadata ?? {};
      if (m.uid === item.uid && m.resourceVersion !== resourceVersion && JSON.stringify(m.ownerReferences ?? []) === JSON.stringify(owners)) {
        await this.client.delete(ref, ns, item.name, { preconditions: { uid: item.uid }, propagationPolicy: policy });
        return;
      }
      throw e;
    }
  }

  /** Strategic merge patch, or (415) the JSON merge patch `jmp` builds from the live object (upstream gc.patch). */
  async patch(item: ObjectRef, smp: unknown, jmp: (live: Obj) => unknown): Promise<Obj> {
    const { ref, ns } = this.target(item);
    try {
      return await this.client.patch(ref, ns, item.name, smp, 'strategic');
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 415) throw e;
    }
    const live = await this.client.get(ref, ns, item.name);
    return this.client.patch(ref, ns, item.name, jmp(live), 'merge');
  }

  /** Removes the references to `ownerUids` from `item` (upstream GenerateDeleteOwnerRefStrategicMergeBytes +
   * deleteOwnerRefJSONMergePatch). */
  deleteOwnerRefs(item: ObjectRef, ownerUids: readonly string[]): Promise<Obj> {
    const smp = { metadata: { ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })), uid: item.uid } };
    return this.patch(item, smp, (live) => {
      const refs = (live.metadata?.ownerReferences ?? []) as OwnerRef[];
      const kept = refs.filter((r) => !ownerUids.includes(r.uid));
      // Go's nil slice: `null` removes the field when no reference is left.
      return { metadata: { resourceVersion: live.metadata?.resourceVersion, ownerReferences: kept.length ? kept : null } };
    });
  }

  /** Sets blockOwnerDeletion false on every blocking reference of `item` (upstream unblockOwnerReferences*). */
  unblockOwnerRefs(item: ObjectRef, owners: readonly OwnerRef[]): Promise<Obj> {
    const blocking = owners.filter((o) => o.blockOwnerDeletion === true);
    const smp = { metadata: { ownerReferences: blocking.map((o) => ({ uid: o.uid, blockOwnerDeletion: false })), uid: item.uid } };
    return this.patch(item, smp, (live) => {
      const refs = (live.metadata?.ownerReferences ?? []) as OwnerRef[];
      return { metadata: { resourceVersion: live.metadata?.resourceVersion, ownerReferences: refs.map((r) => ({ ...r, blockOwnerDeletion: false })) } };
    });
  }

  /** Removes `finalizer` from the live object (gone or already without it: done); retried on conflicts. */
  async removeFinalizer(item: ObjectRef, finalizer: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let live: Obj;
      try {
        live = await this.getObject(item);
      } catch (e) {
        if (isNotFound(e)) return;
        throw new Error(`cannot finalize owner ${refString(item)}, because cannot get it: ${(e as Error).message}. The garbage collector will retry later`);
      }
      const finalizers = (live.metadata?.finalizers ?? []) as string[];
      if (!finalizers.includes(finalizer)) return;
      const patch = { metadata: { resourceVersion: live.metadata?.resourceVersion, finalizers: finalizers.filter((f) => f !== finalizer) } };
      const { ref, ns } = this.target(item);
      try {
        await this.client.patch(ref, ns, item.name, patch, 'merge');
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        if (attempt + 1 >= RETRY_STEPS) {
          throw new Error(`updateMaxRetries(${RETRY_STEPS}) has reached. The garbage collector will retry later for owner ${refString(item)}`);
        }
      }
    }
  }
}
