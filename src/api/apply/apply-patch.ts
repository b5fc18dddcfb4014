/**
 * Server-side apply of a configuration to the live object (undefined when the object does not exist yet and the
 * apply creates it), as kube-apiserver's field manager does it:
 *   1. the configuration must be of the served kind and version (400 `invalid object type: apps/v1, Kind=X`) and must
 *      not carry metadata.managedFields (400 `metadata.managedFields must be nil`); it must fit the schema
 *      (500 `failed to create typed patch object (ns/name; apps/v1, Kind=X): .spec.foo: field not declared in schema`);
 *   2. a live object without managed fields first gets a `before-first-apply` Update entry owning all it has;
 *   3. the configuration is merged in, fields the applier dropped are pruned, and ownership moves to the applier —
 *      or a 409 lists the fields other managers own with different values (force=true takes them instead); for the
 *      manager `kubectl`, conflicts the last-applied annotation explains are allowed;
 *   4. the applier's entry time moves only when the object changed; `kubectl`'s last-applied annotation is kept in
 *      sync. The result carries the new metadata.managedFields; callers store it (and default/validate it) as usual.
 */
import { deepCopy, isPlainObject, parseApiVersion, type KubeObject } from '../object';
import { StatusError } from '../status';
import { conflictError } from './conflict';
import { envFor, internalError, recordUpdate, stripMeta, withManaged, withoutManagedFields, type FieldManagerOptions } from './field-manager';
import { allowedConflictsFromLastApplied, buildLastApplied, lastAppliedOf, setLastApplied } from './last-applied';
import { decodeManagedFields, managerIdentifier, type Managed } from './managed-fields';
import { toFieldSet } from './to-field-set';
import type { UpdaterEnv } from './updater';
import { ApplyConflicts, updaterApply } from './updater';
import { zeroObject } from './zero-object';

export interface ApplyOptions extends FieldManagerOptions {
  force: boolean;
}

export function applyPatch(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  const env = envFor(opts);
  let managed: Managed;
  try {
    managed = decodeManagedFields(live?.metadata?.managedFields);
  } catch (e) {
    throw internalError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  checkApplied(live, applied, opts, env);
  const base = live ? withoutManagedFields(live) : undefined;
  let result: { object: KubeObject; managed: Managed };
  try {
    result = applyAllowingLastApplied(base, applied, managed, opts, env);
  } catch (e) {
    if (e instanceof ApplyConflicts) throw conflictError(e.conflicts);
    throw e;
  }
  const object = deepCopy(result.object);
  if (opts.manager === 'kubectl' && lastAppliedOf(object)) setLastApplied(object, buildLastApplied(applied));
  return withManaged(object, result.managed);
}

function gvkString(obj: KubeObject): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const { group, version } = apiVersion.split('/').length > 2 ? { group: '', version: '' } : parseApiVersion(apiVersion);
  return `${group}/${version}, Kind=${typeof obj.kind === 'string' ? obj.kind : ''}`;
}

function expectedKind(live: KubeObject | undefined, opts: ApplyOptions, env: UpdaterEnv): string | undefined {
  if (opts.kind) return opts.kind;
  if (live?.kind) return live.kind;
  const { group, version } = parseApiVersion(opts.apiVersion);
  const gvks = opts.schema ? env.ti.resolve(opts.schema)['x-kubernetes-group-version-kind'] : undefined;
  return gvks?.find((g) => g.group === group && g.version === version)?.kind;
}

function checkApplied(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions, env: UpdaterEnv): void {
  if (!isPlainObject(applied)) throw StatusError.badRequest('error decoding patch: the patch must be an object');
  const kind = expectedKind(live, opts, env);
  if (applied.apiVersion !== opts.apiVersion || (kind !== undefined && applied.kind !== kind)) {
    throw StatusError.badRequest(`invalid object type: ${gvkString(applied)}`);
  }
  const mf = isPlainObject(applied.metadata) ? applied.metadata.managedFields : undefined;
  if (mf !== undefined && mf !== null) throw StatusError.badRequest('metadata.managedFields must be nil');
  const { errors } = toFieldSet(applied, env.ref, env.ti, true);
  if (errors.length > 0) {
    const ns = applied.metadata?.namespace ?? '';
    const name = applied.metadata?.name ?? '';
    const detail = errors.length === 1 ? errors[0]! : ['errors:', ...errors.map((e) => '  ' + e)].join('\n');
    throw internalError(`failed to create typed patch object (${ns}/${name}; ${gvkString(applied)}): ${detail}`);
  }
}

/** lastAppliedManager: `kubectl` may take over fields its last-applied annotation explains. */
function applyAllowingLastApplied(base: KubeObject | undefined, applied: KubeObject, managed: Managed, opts: ApplyOptions, env: UpdaterEnv) {
  try {
    return applyTracked(base, applied, managed, opts.force, opts, env);
  } catch (e) {
    if (!(e instanceof ApplyConflicts) || opts.manager !== 'kubectl' || !base) throw e;
    const allowed = allowedConflictsFromLastApplied(base, opts.apiVersion, env.ref, env.ti);
    if (!allowed) throw e;
    const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw new ApplyConflicts(remaining);
    return applyTracked(base, applied, managed, true, opts, env);
  }
}

/** skipNonApplied + buildManagerInfo + managedFieldsUpdater + stripMeta + structured merge, for Apply. */
function applyTracked(base: KubeObject | undefined, applied: KubeObject, managed: Managed, force: boolean, opts: ApplyOptions, env: UpdaterEnv) {
  if (managed.fields.size === 0 && base) {
    managed = recordUpdate(zeroObject(env.ref, env.ti), base, managed, 'before-first-apply', opts, env);
  }
  const id = managerIdentifier({ manager: opts.manager || 'unknown', operation: 'Apply', subresource: opts.subresource });
  const r = updaterApply(base, applied, opts.apiVersion, managed.fields, id, force, env);
  const times = new Map(managed.times);
  if (r.object !== undefined) times.set(id, opts.now);
  const object = (r.object !== undefined ? r.object : (base ?? {})) as KubeObject;
  return { object, managed: { fields: stripMeta(r.managers, id), times } };
}
