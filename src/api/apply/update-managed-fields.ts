/**
 * managedFields bookkeeping for every write that is not an apply (create, update, merge/JSON/strategic patch), as
 * kube-apiserver's FieldManager.UpdateNoErrors does it. `live` is the stored object (undefined on create), `updated`
 * the object about to be stored. Returns a copy of `updated` with metadata.managedFields set:
 *   - the base is the managedFields the client sent when valid and non-empty (clients may edit them), else the live
 *     object's; `[]` or `[{}]` resets them (and, on an existing object, stops tracking until the next apply);
 *     through a subresource the client's managedFields are ignored;
 *   - an existing object without managed fields stays untracked; a created one is tracked from the start;
 *   - the fields this write added or changed become the manager's (operation Update, this apiVersion, subresource)
 *     and are taken from everyone else; removed fields leave every set; empty entries disappear; the manager's time
 *     becomes `now` only if it changed something; at most 10 Update entries are kept (`ancient-changes`).
 * Never throws: if the bookkeeping fails, the live object's managedFields are kept, as upstream.
 */
import { deepCopy, type KubeObject } from '../object';
import { createShapeKey, rememberCreateEntry, rememberedCreateEntry } from './create-entry-memo';
import { envFor, recordUpdate, setManagedFields, withManaged, withoutManagedFields, type FieldManagerOptions } from './field-manager';
import { decodeManagedFields, emptyManaged, isResetManagedFields, managerIdentifier, type Managed, type ShareFieldsV1 } from './managed-fields';
import { zeroObject } from './zero-object';

export interface UpdateOptions extends FieldManagerOptions {
  operation: 'Update';
  /**
   * The caller hands `updated` over: the result may share any part of it (only new top-level and metadata objects
   * are made, `updated` itself is not written to), deep-frozen parts of `live`'s managedFields, and the deep-frozen
   * FieldsV1 remembered for creates of the same shape (create-entry-memo.ts), instead of being a deep (JSON) copy.
   * The result is JSON-identical either way. For callers that built `updated` for this write and do not keep using
   * it, like the registry.
   */
  ownsUpdated?: boolean;
}

function decodeOrEmpty(entries: unknown, share: ShareFieldsV1): Managed {
  try {
    return decodeManagedFields(entries, share);
  } catch {
    return emptyManaged();
  }
}

/**
 * The managers this write starts from. With ownsUpdated, entries written back unchanged may reuse the FieldsV1
 * objects they were decoded from: the client's (part of `updated`, handed over) or deep-frozen stored ones.
 */
function baseManaged(live: KubeObject | undefined, updated: KubeObject, opts: UpdateOptions): Managed {
  const liveEntries = live?.metadata?.managedFields;
  const fromLive: ShareFieldsV1 = opts.ownsUpdated ? 'frozen' : undefined;
  if (opts.subresource) return decodeOrEmpty(liveEntries, fromLive);
  const sent = updated.metadata?.managedFields;
  if (isResetManagedFields(sent)) return emptyManaged();
  try {
    const m = decodeManagedFields(sent, opts.ownsUpdated ? 'all' : undefined);
    if (m.fields.size > 0) return m;
  } catch {
    // Invalid managedFields from the client are ignored: fall back to the live object's.
  }
  return decodeOrEmpty(liveEntries, fromLive);
}

/** `obj` without metadata.managedFields, in new top-level and metadata objects (the rest is shared). */
function shallowWithoutManagedFields(obj: KubeObject): KubeObject {
  const out: KubeObject = { ...obj };
  if (obj.metadata) {
    const { managedFields: _, ...metadata } = obj.metadata;
    out.metadata = metadata;
  }
  return out;
}

export function updateManagedFields(live: KubeObject | undefined, updated: KubeObject, opts: UpdateOptions): KubeObject {
  const managed = baseManaged(live, updated, opts);
  const next = opts.ownsUpdated ? shallowWithoutManagedFields(updated) : deepCopy(withoutManagedFields(updated));
  const isCreate = !live || !live.metadata?.uid;
  if (managed.fields.size === 0 && !isCreate) return next;
  try {
    // A create that starts from no managers records one entry that depends only on the object's shape (see
    // create-entry-memo.ts); with ownsUpdated the result may share its deep-frozen FieldsV1.
    const key = isCreate && managed.fields.size === 0 && opts.ownsUpdated && opts.now ? createKey(next, opts) : undefined;
    if (key !== undefined) {
      const entry = rememberedCreateEntry(opts.resolver, opts.schema, key);
      if (entry !== undefined) return setManagedFields(next, entry ? [{ ...entry, time: opts.now }] : undefined);
    }
    const env = envFor(opts);
    const base = live ? withoutManagedFields(live) : zeroObject(env.ref, env.ti);
    const out = withManaged(next, recordUpdate(base, next, managed, opts.manager, opts, env));
    if (key !== undefined) rememberCreateEntry(opts.resolver, opts.schema, key, out.metadata?.managedFields);
    return out;
  } catch {
    return setManagedFields(deepCopy(withoutManagedFields(updated)), live?.metadata?.managedFields ? deepCopy(live.metadata.managedFields) : undefined);
  }
}

function createKey(next: KubeObject, opts: UpdateOptions): string | undefined {
  const id = managerIdentifier({ manager: opts.manager || 'unknown', operation: 'Update', apiVersion: opts.apiVersion, subresource: opts.subresource });
  return createShapeKey(id, opts.resetFields, next);
}
