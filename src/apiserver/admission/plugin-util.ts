/**
 * Small helpers the LimitRanger, ResourceQuota, Priority, DefaultStorageClass and DefaultTolerationSeconds plugins
 * share: upstream's admission.NewForbidden (403 naming the object as the request does, `Unknown` when it has no
 * name) and tolerant accessors over decoded JSON objects (a missing or mistyped field reads as absent).
 */
import { isPlainObject } from '../../api/object';
import { StatusError } from '../../api/status';
import type { AdmissionAttributes } from './types';

export type Obj = Record<string, unknown>;

/**
 * admission.NewForbidden: `<resource> "<name>" is forbidden: <message>`. The name is the request's, else the
 * object's name, else its generateName (names are generated after admission), else `Unknown`.
 */
export function admissionForbidden(attrs: AdmissionAttributes, message: string): StatusError {
  let name = attrs.name;
  if (!name) {
    const meta = attrs.object?.metadata;
    name = meta?.name || meta?.generateName || 'Unknown';
  }
  return StatusError.forbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, name, message);
}

/** Whether the request is for `group`/`resource` itself (no subresource). */
export function isResource(attrs: AdmissionAttributes, group: string, resource: string): boolean {
  return attrs.subresource === '' && attrs.resource.group === group && attrs.resource.resource === resource;
}

/** The object at `o[key]`, or undefined. */
export function sub(o: unknown, key: string): Obj | undefined {
  if (!isPlainObject(o)) return undefined;
  const v = o[key];
  return isPlainObject(v) ? v : undefined;
}

/** The object at `o[key]`, created when absent. */
export function ensure(o: Obj, key: string): Obj {
  const v = o[key];
  if (isPlainObject(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

/** The plain objects in the array at `o[key]` (other entries skipped). */
export function list(o: unknown, key: string): Obj[] {
  if (!isPlainObject(o)) return [];
  const v = o[key];
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

/** The string at `o[key]`, or ''. */
export function str(o: unknown, key: string): string {
  if (!isPlainObject(o)) return '';
  const v = o[key];
  return typeof v === 'string' ? v : '';
}
