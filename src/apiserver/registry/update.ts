/**
 * Update (PUT), patch (PATCH of every type) and their status subresource forms, built on one retry loop as
 * upstream's GuaranteedUpdate: read the current object consistently, compute the new one, write it only if nothing
 * changed meanwhile; on a race retry with the fresh object unless the client named a resourceVersion (409 Conflict).
 * A write that changes nothing is not stored (same resourceVersion back). Removing the last finalizer of an object
 * being deleted completes the deletion.
 */
import { fieldErr } from '../../api/field-errors';
import { deepCopy, type StoredObject } from '../../api/object';
import { jsonEqual } from '../../api/patch';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { attributes } from './admission';
import { checkNamespace, checkTypeMeta, checkFields, specChanged, throwIfInvalid } from './admit';
import type { RegistryCore, WriteOptions } from './core';
import { admitNew } from './create';
import type { PatchType } from './hooks';
import { rfc3339 } from './meta';

const MAX_RETRIES = 16;

export interface UpdateResult {
  obj: StoredObject;
  created: boolean;
}

/** What a writer computes from the current object: the next object, and whether the client pinned a resourceVersion. */
type Produce = (cur: Readonly<StoredObject> | undefined) => { next: StoredObject; pinned: boolean; tracked?: boolean };

export async function guaranteedUpdate(
  core: RegistryCore,
  r: ResourceInfo,
  namespace: string,
  name: string,
  subresource: string,
  opts: WriteOptions,
  produce: Produce,
  allowCreate: boolean,
): Promise<UpdateResult> {
  const qr = { group: r.group, resource: r.resource };
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const cur = await core.current(r, namespace, name);
    if (!cur) {
      if (!allowCreate || subresource) throw StatusError.notFound(qr, name);
      const { next, tracked } = produce(undefined);
      checkNamespace(r, next, namespace);
      checkName(next, name);
      try {
        return { obj: await admitNew(core, r, next, opts, tracked), created: true };
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'AlreadyExists') continue; // lost a race with a create: update it
        throw e;
      }
    }
    const { next, pinned, tracked } = produce(cur.obj);
    const rv = next.metadata.resourceVersion;
    if (pinned && rv !== undefined && rv !== '' && rv !== String(cur.rev)) throw StatusError.modified(qr, name);
    const obj = await finishUpdate(core, r, cur.obj, next, subresource, opts, namespace, name, tracked ?? false);
    if (obj === cur.obj) return { obj: cur.obj as StoredObject, created: false };
    const key = cur.key;
    const m = obj.metadata;
    const finished = m.deletionTimestamp && !(m.finalizers ?? []).length && (m.deletionGracePeriodSeconds ?? 0) === 0 && (core.strategy(r).canFinishDeletion?.(obj) ?? true);
    if (opts.dryRun) return { obj, created: false };
    // `obj` belongs to the watch cache once written (frozen): answer with a copy carrying the new resourceVersion.
    const answer = (revision: number): StoredObject => core.answer(obj, revision);
    const sequenced = opts.onSequenced && ((revision: number) => opts.onSequenced!(answer(revision)));
    const written = finished ? await core.deleteIfUnchanged(key, cur.rev) : await core.putIfUnchanged(key, cur.rev, obj, sequenced);
    if (written === undefined) {
      if (pinned && rv) throw StatusError.modified(qr, name);
      continue;
    }
    return { obj: answer(written), created: false };
  }
  throw StatusError.conflict(qr, name, 'the object kept changing; please retry');
}

function checkName(next: StoredObject, name: string): void {
  if (!next.metadata.name) next.metadata.name = name;
  if (next.metadata.name !== name) throw StatusError.badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
}

/** The top-level fields a status write takes from the request; the rest (spec and the like) come from the stored object. */
const statusWriteKeeps = (k: string): boolean => k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind';

/** Everything between "the client's new object" and "what gets stored". Returns `cur` itself for a no-op. */
async function finishUpdate(
  core: RegistryCore,
  r: ResourceInfo,
  cur: Readonly<StoredObject>,
  next: StoredObject,
  subresource: string,
  opts: WriteOptions,
  namespace: string,
  name: string,
  tracked: boolean,
): Promise<StoredObject> {
  checkNamespace(r, next, namespace);
  checkName(next, name);
  const s = core.strategy(r);
  const cm = cur.metadata;
  let obj = next;
  const statusWrite = subresource === 'status';
  if (statusWrite) {
    // Upstream's status strategies: everything but status and metadata comes from the stored object (spec and the
    // like); metadata changes are kept except what the kind's strategy resets (statusResetMetadata). As upstream
    // defaults the request while decoding it, before the stored spec replaces the sent one, the stored parts are
    // not defaulted again: they are shared (frozen) rather than copied, so this version shares them with the last.
    // managedFields: trackUpdate takes a subresource write's from the stored object itself.
    core.deps.hooks.applyDefaults(r, next);
    // A new top level rather than deleting keys from the sent one: V8 keeps an object it deleted a key from in
    // dictionary mode, and this one lives on in the watch cache and every informer.
    const sent = next as unknown as Record<string, unknown>;
    const stored = cur as unknown as Record<string, unknown>;
    const rebuilt: Record<string, unknown> = {};
    for (const k of Object.keys(sent)) if (statusWriteKeeps(k)) rebuilt[k] = sent[k];
    for (const k of Object.keys(stored)) if (!statusWriteKeeps(k)) rebuilt[k] = stored[k];
    obj = rebuilt as unknown as StoredObject;
    statusResetMetadata(r, obj, cur);
  } else if (s.hasStatus && subresource === '') {
    if (cur.status === undefined) delete obj.status;
    else obj.status = deepCopy(cur.status);
  }
  const m = obj.metadata;
  if (!m.resourceVersion) m.resourceVersion = cm.resourceVersion; // an unconditional update (upstream fills it in)
  if (m.uid && m.uid !== cm.uid) throw StatusError.invalid(r.group, r.kind, name, [fieldErr.invalid('metadata.uid', m.uid, 'field is immutable')]);
  m.uid = cm.uid;
  m.creationTimestamp = cm.creationTimestamp;
  if (cm.deletionTimestamp) m.deletionTimestamp = cm.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (cm.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = cm.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  // A client that leaves managedFields out keeps the stored ones; trackUpdate below starts from them by itself.
  if (m.managedFields === undefined && cm.managedFields && tracked) m.managedFields = deepCopy(cm.managedFields);
  // Defaults first (upstream defaults while decoding), so a write that only drops defaulted fields — as a repeated
  // server-side apply does — is no spec change. Not for a binding, which upstream writes straight to storage (and
  // which shares the stored pod's frozen parts).
  if (!statusWrite && subresource !== 'binding') core.deps.hooks.applyDefaults(r, obj);
  if (s.tracksGeneration) m.generation = (cm.generation ?? 1) + (specChanged(cur, obj) ? 1 : 0);
  else delete m.generation;
  s.prepareForUpdate?.(obj, cur);
  if (subresource === '') await core.deps.writeGuard?.(r, obj, cur, opts.user);
  // managedFields before mutating admission, as upstream's update handler runs its field manager first: what
  // admission changes is nobody's field.
  if (!tracked) {
    obj = core.deps.hooks.trackUpdate(r, cur, obj, {
      manager: opts.fieldManager,
      now: rfc3339(core.now()),
      apiVersion: obj.apiVersion ?? '',
      subresource: subresource || undefined,
      gvk: { group: r.group, version: r.version, kind: r.kind },
    });
  }
  const attrs = attributes('UPDATE', r, subresource, namespace, name, obj, cur, opts);
  await core.admission.mutate(attrs);
  if (r.group === '' && r.resource === 'services' && subresource === '') core.services.allocate(obj, name, cur)();
  throwIfInvalid(r, name, core.deps.hooks.validateUpdate(r, obj, cur, subresource));
  await core.admission.validate(attrs);
  if (sameContent(cur, obj)) return cur as StoredObject;
  return obj;
}

/** Equal ignoring resourceVersion and managedFields timestamps (upstream skips such no-op writes). */
function sameContent(a: Readonly<StoredObject>, b: StoredObject): boolean {
  return (
    sameExcept(a, b, 'metadata') &&
    sameExcept(a.metadata, b.metadata, 'resourceVersion', 'managedFields') &&
    sameManagedFields(a.metadata.managedFields, b.metadata.managedFields)
  );
}

function sameExcept(a: object, b: object, ...skip: string[]): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => !skip.includes(k) && o[k] !== undefined);
  const kx = keys(x);
  return kx.length === keys(y).length && kx.every((k) => jsonEqual(x[k], y[k]));
}

function sameManagedFields(a: readonly object[] | undefined, b: readonly object[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((e, i) => sameExcept(e, b[i], 'time'));
}

/**
 * `bodyOwned`: the caller hands `body` over (a request body decoded for this request). An update of an existing object
 * pinned to a resourceVersion is tried once (a race is a 409, never a retry), so it then uses `body` itself instead
 * of a copy; every other attempt works on a fresh copy, as the loop may need the body again.
 */
export function updateObject(
  core: RegistryCore,
  r: ResourceInfo,
  namespace: string,
  name: string,
  body: unknown,
  subresource: string,
  opts: WriteOptions,
  bodyOwned = false,
): Promise<UpdateResult> {
  const next = checkTypeMeta(r, body);
  checkFields(core, r, next, opts);
  const allowCreate = core.strategy(r).allowCreateOnUpdate;
  let handOver = bodyOwned && !!next.metadata.resourceVersion;
  const produce: Produce = (cur) => {
    if (cur && handOver) {
      handOver = false;
      return { next, pinned: true };
    }
    return { next: core.copy(next), pinned: true };
  };
  return guaranteedUpdate(core, r, namespace, name, subresource, opts, produce, allowCreate);
}

export function patchObject(
  core: RegistryCore,
  r: ResourceInfo,
  namespace: string,
  name: string,
  type: PatchType,
  patch: unknown,
  subresource: string,
  opts: WriteOptions & { force: boolean },
): Promise<UpdateResult> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  if (type === 'apply') {
    const applied = checkTypeMeta(r, patch);
    checkFields(core, r, applied, opts);
    if (applied.metadata.name && applied.metadata.name !== name) {
      throw StatusError.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    return guaranteedUpdate(
      core,
      r,
      namespace,
      name,
      subresource,
      opts,
      (cur) => {
        const now = rfc3339(core.now());
        const next = core.deps.hooks.apply(r, cur, core.copy(applied), { manager: opts.fieldManager, now, apiVersion: applied.apiVersion ?? '', subresource: subresource || undefined, gvk, force: opts.force });
        return { next, pinned: Boolean(applied.metadata.resourceVersion), tracked: true };
      },
      true,
    );
  }
  return guaranteedUpdate(
    core,
    r,
    namespace,
    name,
    subresource,
    opts,
    (cur) => {
      const next = core.deps.hooks.patch(r, type, cur as StoredObject, patch);
      checkTypeMeta(r, next);
      checkFields(core, r, next, opts);
      return { next, pinned: next.metadata?.resourceVersion !== cur?.metadata.resourceVersion };
    },
    false,
  );
}

/**
 * What a kind's status strategy takes back from the stored object besides spec (upstream PrepareForUpdate of the
 * *StatusStrategy types): Deployments keep their labels; Pods keep their ownerReferences (old kubelets corrupted
 * them). Everything else in metadata may change through /status, as upstream.
 */
function statusResetMetadata(r: ResourceInfo, obj: StoredObject, cur: Readonly<StoredObject>): void {
  const key = `${r.group}/${r.resource}`;
  const restore = (field: 'labels' | 'ownerReferences') => {
    const v = cur.metadata[field];
    if (v === undefined) delete obj.metadata[field];
    else (obj.metadata as Record<string, unknown>)[field] = deepCopy(v);
  };
  if (key === 'apps/deployments') restore('labels');
  if (key === '/pods') restore('ownerReferences');
}
