/**
 * Create (POST), as upstream's generic registry: type meta and namespace checks, strict fields, generateName,
 * server-owned metadata (uid, creationTimestamp, generation), status reset, defaulting, managedFields, admission,
 * validation, then a transaction that writes only if the key is free (409 AlreadyExists otherwise). dryRun stops
 * before storage. A name generated from generateName that turns out taken is generated anew, up to 8 attempts in all
 * (upstream's RetryGenerateName, GA in 1.32): each attempt validates, runs the validating admission plugins and
 * writes again under the new name (mutating admission ran once, as upstream's retries start after it); when every
 * name was taken the answer is upstream's 409 "…, the server was not able to generate a unique name for the object"
 * with a retry after 1 s.
 */
import type { StoredObject } from '../../api/object';
import { isStatusError, StatusError } from '../../api/status';
import type { ResourceInfo } from '../../api/resources';
import { fieldErr } from '../../api/field-errors';
import { attributes } from './admission';
import { checkFields, checkNamespace, checkTypeMeta, resetServerMeta, throwIfInvalid } from './admit';
import type { RegistryCore, WriteOptions } from './core';
import { generateName, newUid, rfc3339 } from './meta';

export async function createObject(core: RegistryCore, r: ResourceInfo, namespace: string, body: unknown, opts: WriteOptions): Promise<StoredObject> {
  const obj = checkTypeMeta(r, body);
  checkFields(core, r, obj, opts);
  checkNamespace(r, obj, namespace);
  const m = obj.metadata;
  const base = !m.name && m.generateName ? m.generateName : undefined;
  if (base !== undefined) m.name = generateName(base);
  if (!m.name) throwIfInvalid(r, '', [fieldErr.required('metadata.name', 'name or generateName is required')]);
  return admitNew(core, r, obj, opts, false, base !== undefined ? () => generateName(base) : undefined);
}

/** Upstream's maxNameGenerationCreateAttempts. */
export const NAME_GENERATION_ATTEMPTS = 8;

/**
 * The part of create shared with apply-creates and update-creates: everything after the body is decoded. `rename`
 * (a generated name's generator) makes a write that finds the name taken try again under a new one.
 */
export async function admitNew(core: RegistryCore, r: ResourceInfo, created: StoredObject, opts: WriteOptions, alreadyTracked = false, rename?: () => string): Promise<StoredObject> {
  let obj = created;
  await core.checkNamespace(r, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  const s = core.strategy(r);
  resetServerMeta(obj);
  obj.metadata.uid = newUid();
  obj.metadata.creationTimestamp = rfc3339(core.now());
  if (s.tracksGeneration) obj.metadata.generation = 1;
  else delete obj.metadata.generation;
  if (s.hasStatus && r.resource !== 'nodes') delete obj.status;
  s.prepareForCreate?.(obj);
  core.deps.hooks.applyDefaults(r, obj);
  // As upstream's create handler, managedFields are recorded before mutating admission: what admission plugins add
  // (a ServiceAccount token volume, default tolerations, LimitRanger's requests) is nobody's field.
  if (!alreadyTracked) obj = track(core, r, obj, opts);
  const m = obj.metadata;
  await core.deps.writeGuard?.(r, obj, undefined, opts.user);
  let attrs = attributes('CREATE', r, '', m.namespace ?? '', m.name ?? '', obj, undefined, opts);
  await core.admission.mutate(attrs);
  for (let attempt = 1; ; attempt++) {
    const release = isServices(r) ? core.services.allocate(obj, m.name ?? '') : undefined;
    try {
      throwIfInvalid(r, m.name ?? '', core.deps.hooks.validateCreate(r, obj));
      await core.admission.validate(attrs);
      return await store(core, r, obj, opts);
    } catch (e) {
      if (!rename || !(isStatusError(e) && e.reason === 'AlreadyExists')) throw e;
      if (attempt >= NAME_GENERATION_ATTEMPTS) throw StatusError.generateNameConflict({ group: r.group, resource: r.resource }, m.name ?? '');
      m.name = rename();
      attrs = attributes('CREATE', r, '', m.namespace ?? '', m.name, obj, undefined, opts);
    } finally {
      release?.();
    }
  }
}

function isServices(r: ResourceInfo): boolean {
  return r.group === '' && r.resource === 'services';
}

function track(core: RegistryCore, r: ResourceInfo, obj: StoredObject, opts: WriteOptions): StoredObject {
  return core.deps.hooks.trackUpdate(r, undefined, obj, {
    manager: opts.fieldManager,
    now: obj.metadata.creationTimestamp ?? rfc3339(core.now()),
    apiVersion: obj.apiVersion ?? '',
    gvk: { group: r.group, version: r.version, kind: r.kind },
  });
}

async function store(core: RegistryCore, r: ResourceInfo, obj: StoredObject, opts: WriteOptions): Promise<StoredObject> {
  if (opts.dryRun) return obj;
  const key = core.key(r, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  const rev = await core.putNew(r, key, obj);
  const out = core.answer(obj, rev);
  if (isServices(r)) await core.deps.router.waitFor(rev); // allocations are visible in the cache before release
  return out;
}
