/**
 * Pieces shared by applyPatch and updateManagedFields: the options both take, the per-resolver type cache, stripping
 * managedFields from objects, the metadata fields nobody may own (upstream's stripMetaManager), and recording an
 * Update the way apimachinery's manager chain does (capManagers → buildManagerInfo → managedFieldsUpdater →
 * stripMeta → structured merge): the fields the write changed go to its manager, merged with what that manager owned
 * before, and its timestamp moves only when it changed something.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../object';
import type { Schema, SchemaResolver } from '../openapi/schema-types';
import { StatusError } from '../status';
import { FieldSet } from './field-set';
import { capUpdateManagers, encodeManagedFields, managerIdentifier, type Managed } from './managed-fields';
import { fieldPE } from './path-element';
import { TypeInfo } from './type-info';
import { updaterUpdate, type Managers, type UpdaterEnv } from './updater';

export interface FieldManagerOptions {
  /** The field manager (`fieldManager` query parameter, or defaultFieldManager(User-Agent)); '' is recorded as `unknown`. */
  manager: string;
  /** RFC 3339 time (seconds) recorded on entries this write changes. */
  now: string;
  /** The kind's schema; undefined → schemaless (maps granular, lists atomic). */
  schema: Schema | undefined;
  resolver: SchemaResolver;
  /** The version the request is served at (`apps/v1`); recorded on entries. */
  apiVersion: string;
  /** `status`, `scale`, …: entries are recorded per subresource. */
  subresource?: string;
  /** The kind applied objects must have (default: the live object's, else the schema's GVK for apiVersion). */
  kind?: string;
  /** Field paths this resource resets on write and nobody owns (upstream resetFields), e.g. [['status']]. */
  resetFields?: readonly (readonly string[])[];
}

const typeInfos = new WeakMap<SchemaResolver, TypeInfo>();

export function envFor(opts: FieldManagerOptions): UpdaterEnv {
  let ti = typeInfos.get(opts.resolver);
  if (!ti) {
    ti = new TypeInfo(opts.resolver);
    typeInfos.set(opts.resolver, ti);
  }
  const env: UpdaterEnv = { ti, ref: opts.schema };
  if (opts.resetFields?.length) env.ignored = FieldSet.of(...opts.resetFields.map((p) => p.map(fieldPE)));
  return env;
}

/** A shallow copy without metadata.managedFields (what the merge and comparisons see). */
export function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Sets (or removes, when there are no entries) metadata.managedFields on `obj`, in place. */
export function setManagedFields(obj: KubeObject, entries: ManagedFieldsEntry[] | undefined): KubeObject {
  if (entries) {
    obj.metadata ??= {};
    obj.metadata.managedFields = entries;
  } else if (obj.metadata) {
    delete obj.metadata.managedFields;
  }
  return obj;
}

export const withManaged = (obj: KubeObject, managed: Managed): KubeObject => setManagedFields(obj, encodeManagedFields(managed));

/** A non-Status error as the API server reports it: 500 with no reason (kubectl prints `Error from server: …`). */
export function internalError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

const STRIP = FieldSet.of(
  [fieldPE('apiVersion')],
  [fieldPE('kind')],
  [fieldPE('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => [fieldPE('metadata'), fieldPE(f)],
  ),
);

/** Upstream's stripMetaManager for one manager. */
export function stripMeta(fields: Managers, id: string): Managers {
  const vs = fields.get(id);
  if (!vs) return fields;
  const out = new Map(fields);
  const set = vs.set.difference(STRIP);
  if (set.isEmpty()) out.delete(id);
  else out.set(id, { ...vs, set });
  return out;
}

const CURRENT = 'current-operation';

/** Records an Update by `manager` from `base` to `next` (both without managedFields). */
export function recordUpdate(base: unknown, next: unknown, managed: Managed, manager: string, opts: FieldManagerOptions, env: UpdaterEnv): Managed {
  const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Update', apiVersion: opts.apiVersion, subresource: opts.subresource });
  const fields = stripMeta(updaterUpdate(base, next, opts.apiVersion, managed.fields, CURRENT, env), CURRENT);
  const times = new Map(managed.times);
  const vs = fields.get(CURRENT);
  if (vs) {
    fields.delete(CURRENT);
    const prev = fields.get(id);
    fields.set(id, { set: prev ? vs.set.union(prev.set) : vs.set, apiVersion: vs.apiVersion, applied: vs.applied });
    times.set(id, opts.now);
  }
  return capUpdateManagers({ fields, times, ...(managed.encoded ? { encoded: managed.encoded } : {}) });
}
