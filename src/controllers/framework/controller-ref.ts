/**
 * Controller references (upstream controller_ref_manager.go): an object's controller is the ownerReference with
 * `controller: true`. ClaimObjects decides, for one owner and the objects its selector might cover, which objects it
 * controls: it keeps those it owns that still match, adopts orphans that match (PATCH adding the ownerReference,
 * with the object's uid so a recreated object is not adopted by mistake), and releases those it owns that no longer
 * match (PATCH removing its ownerReference). An owner being deleted neither adopts nor releases; before the first
 * adoption the owner is re-read from the API to be sure it is not being deleted (upstream RecheckDeletionTimestamp).
 */
import type { LabelSelector } from '../../api/selectors/label-selector';
import type { CachedObject } from '../../client/informers';
import type { ResourceRef } from '../../client/informers';
import { isNotFound, type ApiClient, type Obj } from './api-client';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function controllerRefOf(o: CachedObject): OwnerReference | undefined {
  const refs = (o.metadata?.ownerReferences ?? []) as readonly OwnerReference[];
  return refs.find((r) => r.controller === true);
}

/** The ownerReference a controller puts on what it creates (controller and blockOwnerDeletion set). */
export function newControllerRef(owner: CachedObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: String(owner.metadata?.name ?? ''), uid: String(owner.metadata?.uid ?? ''), controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions {
  client: ApiClient;
  /** The owner as the lister has it. */
  owner: CachedObject;
  ownerApiVersion: string;
  ownerKind: string;
  /** Where the owner lives, to re-read it before adopting. */
  ownerResource: ResourceRef;
  /** The resource of the claimed objects (for the PATCHes). */
  resource: ResourceRef;
  selector: LabelSelector;
  /** Only objects this extra test accepts may be adopted (e.g. pods must be active). */
  adoptable?: (o: CachedObject) => boolean;
}

/** Returns the objects the owner controls after adoption and release; throws the first adopt/release error. */
export async function claimObjects(o: ClaimOptions, objects: readonly CachedObject[]): Promise<CachedObject[]> {
  const ownerUid = o.owner.metadata?.uid;
  const ownerDeleting = !!o.owner.metadata?.deletionTimestamp;
  const claimed: CachedObject[] = [];
  const errors: unknown[] = [];
  let recheck: Promise<boolean> | undefined;
  const canAdopt = () => (recheck ??= recheckOwner(o));
  for (const obj of objects) {
    const ref = controllerRefOf(obj);
    const matches = o.selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        await release(o, obj);
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) continue;
    if (o.adoptable && !o.adoptable(obj)) continue;
    if (obj.metadata?.namespace !== o.owner.metadata?.namespace) continue;
    try {
      if (!(await canAdopt())) continue;
      claimed.push(await adopt(o, obj));
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}

async function recheckOwner(o: ClaimOptions): Promise<boolean> {
  const fresh = await o.client.get(o.ownerResource, String(o.owner.metadata?.namespace ?? ''), String(o.owner.metadata?.name ?? ''));
  const meta = fresh.metadata ?? {};
  if (meta.uid !== o.owner.metadata?.uid) return false;
  return !meta.deletionTimestamp;
}

async function adopt(o: ClaimOptions, obj: CachedObject): Promise<CachedObject> {
  const ref = newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind);
  const patch = { metadata: { ownerReferences: [ref], uid: obj.metadata?.uid } };
  const res: Obj = await o.client.patch(o.resource, String(obj.metadata?.namespace ?? ''), String(obj.metadata?.name ?? ''), patch, 'strategic');
  return res as CachedObject;
}

async function release(o: ClaimOptions, obj: CachedObject): Promise<void> {
  const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: o.owner.metadata?.uid }], uid: obj.metadata?.uid } };
  await o.client.patch(o.resource, String(obj.metadata?.namespace ?? ''), String(obj.metadata?.name ?? ''), patch, 'strategic');
}
