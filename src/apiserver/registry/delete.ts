/**
 * Delete, as upstream's generic registry and pod strategy: preconditions (uid, resourceVersion), graceful deletion
 * of pods bound to a node (deletionTimestamp + grace period; the kubelet finishes it), finalizers (orphan /
 * foregroundDeletion added from the propagation policy; the object stays with a deletionTimestamp until they are
 * gone), namespaces turning Terminating until their `kubernetes` finalizer is removed, otherwise an immediate delete.
 */
import { fieldErr } from '../../api/field-errors';
import { isPlainObject, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import type { UserInfo } from '../request';
import { attributes } from './admission';
import type { RegistryCore } from './core';
import { rfc3339 } from './meta';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  obj: StoredObject;
  /** True when the key is gone; false when deletion is pending (grace period or finalizers). */
  deleted: boolean;
}

const POLICIES = ['Foreground', 'Background', 'Orphan'];

export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const o: DeleteOptions = isPlainObject(body) ? (body as DeleteOptions) : {};
  const g = query.get('gracePeriodSeconds');
  if (g !== null) o.gracePeriodSeconds = Number(g);
  const p = query.get('propagationPolicy');
  if (p !== null) o.propagationPolicy = p;
  const orphan = query.get('orphanDependents');
  if (orphan !== null) o.orphanDependents = orphan === 'true';
  if (o.gracePeriodSeconds !== undefined && (!Number.isInteger(o.gracePeriodSeconds) || o.gracePeriodSeconds < 0)) {
    throw StatusError.invalid('', 'DeleteOptions', '', [fieldErr.invalid('gracePeriodSeconds', o.gracePeriodSeconds, 'must be greater than or equal to 0')]);
  }
  if (o.propagationPolicy !== undefined && !POLICIES.includes(o.propagationPolicy)) {
    throw StatusError.invalid('', 'DeleteOptions', '', [fieldErr.notSupported('propagationPolicy', o.propagationPolicy, POLICIES)]);
  }
  if (o.propagationPolicy && o.orphanDependents !== undefined) {
    throw StatusError.invalid('', 'DeleteOptions', '', [fieldErr.invalid('orphanDependents', o.orphanDependents, 'orphanDependents and deletionPropagation cannot be both set')]);
  }
  return o;
}

export async function deleteObject(
  core: RegistryCore,
  r: ResourceInfo,
  namespace: string,
  name: string,
  o: DeleteOptions,
  dryRun: boolean,
  user?: UserInfo,
): Promise<DeleteResult> {
  const qr = { group: r.group, resource: r.resource };
  for (let attempt = 0; attempt < 16; attempt++) {
    const cur = await core.current(r, namespace, name);
    if (!cur) throw StatusError.notFound(qr, name);
    const cm = cur.obj.metadata;
    const pre = o.preconditions;
    if (pre?.uid && pre.uid !== cm.uid) throw StatusError.conflict(qr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cm.uid ?? ''}`);
    if (pre?.resourceVersion && pre.resourceVersion !== cm.resourceVersion) {
      throw StatusError.conflict(qr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cm.resourceVersion ?? ''}`);
    }
    const attrs = attributes('DELETE', r, '', namespace, name, undefined, cur.obj, { user, dryRun, warnings: [] });
    await core.admission.mutate(attrs);
    await core.admission.validate(attrs);
    const next = core.copy(cur.obj);
    const m = next.metadata;
    const finalizers = new Set(m.finalizers ?? []);
    // An explicit policy replaces the one an earlier delete chose (upstream's deletionFinalizersForGarbageCollection):
    // orphan and foregroundDeletion are never both set.
    const explicit = o.propagationPolicy !== undefined || o.orphanDependents !== undefined;
    const orphanNow = o.propagationPolicy === 'Orphan' || o.orphanDependents === true;
    const foregroundNow = o.propagationPolicy === 'Foreground' && o.orphanDependents === undefined;
    if (explicit && !orphanNow) finalizers.delete('orphan');
    if (explicit && !foregroundNow) finalizers.delete('foregroundDeletion');
    if (orphanNow) finalizers.add('orphan');
    if (foregroundNow) finalizers.add('foregroundDeletion');
    const grace = graceFor(r, cur.obj, o);
    const now = core.now();
    let pending = false;
    if (r.group === '' && r.resource === 'namespaces') {
      next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: 'Terminating' };
      if (!m.deletionTimestamp) m.deletionTimestamp = rfc3339(now);
      m.deletionGracePeriodSeconds = 0;
      const specFinalizers = ((next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length;
      pending = specFinalizers > 0 || finalizers.size > 0;
    } else if (grace > 0) {
      const prevGrace = m.deletionGracePeriodSeconds;
      if (m.deletionTimestamp && prevGrace !== undefined && prevGrace <= grace) return { obj: cur.obj as StoredObject, deleted: false };
      m.deletionTimestamp = rfc3339(now + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
      pending = true;
    } else if (finalizers.size > 0) {
      if (!m.deletionTimestamp) m.deletionTimestamp = rfc3339(now);
      m.deletionGracePeriodSeconds = 0;
      pending = true;
    }
    if (finalizers.size) m.finalizers = [...finalizers];
    else if (m.finalizers?.length) delete m.finalizers;
    if (pending) {
      if (JSON.stringify(next) === JSON.stringify(cur.obj)) return { obj: cur.obj as StoredObject, deleted: false };
      if (dryRun) return { obj: next, deleted: false };
      const rev = await core.putIfUnchanged(cur.key, cur.rev, next);
      if (rev === undefined) continue;
      return { obj: core.answer(next, rev), deleted: false };
    }
    if (dryRun) return { obj: cur.obj as StoredObject, deleted: true };
    const rev = await core.deleteIfUnchanged(cur.key, cur.rev);
    if (rev === undefined) continue;
    return { obj: cur.obj as StoredObject, deleted: true };
  }
  throw StatusError.conflict(qr, name, 'the object kept changing; please retry');
}

/** Pods bound to a node and not finished get a grace period (default: spec.terminationGracePeriodSeconds). */
function graceFor(r: ResourceInfo, obj: Readonly<StoredObject>, o: DeleteOptions): number {
  if (r.group !== '' || r.resource !== 'pods') return 0;
  const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const g = o.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return g;
}

/** What a DELETE answers: the object for kinds that return it, otherwise a success Status naming it. */
export function deleteResponse(core: RegistryCore, r: ResourceInfo, res: DeleteResult): { status: number; body: unknown } {
  if (!res.deleted || core.strategy(r).returnDeletedObject) return { status: 200, body: res.obj };
  const details: Record<string, string> = { name: res.obj.metadata.name ?? '', kind: r.resource };
  if (r.group) details.group = r.group;
  if (res.obj.metadata.uid) details.uid = res.obj.metadata.uid;
  return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } };
}
