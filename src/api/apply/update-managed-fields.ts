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
import { envFor, recordUpdate, setManagedFields, withManaged, withoutManagedFields, type FieldManagerOptions } from './field-manager';
import { decodeManagedFields, emptyManaged, isResetManagedFields, type Managed } from './managed-fields';
import { zeroObject } from './zero-object';

export interface UpdateOptions extends FieldManagerOptions {
  operation: 'Update';
}

function decodeOrEmpty(entries: unknown): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return emptyManaged();
  }
}

function baseManaged(live: KubeObject | undefined, updated: KubeObject, subresource: string | undefined): Managed {
  const liveEntries = live?.metadata?.managedFields;
  if (subresource) return decodeOrEmpty(liveEntries);
  const sent = updated.metadata?.managedFields;
  if (isResetManagedFields(sent)) return emptyManaged();
  try {
    const m = decodeManagedFields(sent);
    if (m.fields.size > 0) return m;
  } catch {
    // Invalid managedFields from the client are ignored: fall back to the live object's.
  }
  return decodeOrEmpty(liveEntries);
}

export function updateManagedFields(live: KubeObject | undefined, updated: KubeObject, opts: UpdateOptions): KubeObject {
  const managed = baseManaged(live, updated, opts.subresource);
  const next = deepCopy(withoutManagedFields(updated));
  const isCreate = !live || !live.metadata?.uid;
  if (managed.fields.size === 0 && !isCreate) return next;
  try {
    const env = envFor(opts);
    const base = live ? withoutManagedFields(live) : zeroObject(env.ref, env.ti);
    return withManaged(next, recordUpdate(base, next, managed, opts.manager, opts, env));
  } catch {
    return setManagedFields(deepCopy(withoutManagedFields(updated)), live?.metadata?.managedFields ? deepCopy(live.metadata.managedFields) : undefined);
  }
}
