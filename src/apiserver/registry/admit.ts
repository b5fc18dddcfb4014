/**
 * The checks every write shares, in upstream's order: type meta against the URL, strict field validation
 * (Strict → 400, Warn → Warning headers), then after defaulting the semantic validation (422 with causes).
 */
import { apiVersionOf, isPlainObject, type StoredObject } from '../../api/object';
import { jsonEqual } from '../../api/patch';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import type { FieldError } from '../../api/field-errors';
import type { RegistryCore, WriteOptions } from './core';

/** Fills apiVersion/kind from the URL when absent; 400 when they name another type. */
export function checkTypeMeta(r: ResourceInfo, body: unknown, expectKind = r.kind, expectGroup = r.group, expectVersion = r.version): StoredObject {
  if (!isPlainObject(body)) throw StatusError.badRequest(`the body of the request was not a ${expectKind} object`);
  const obj = body as StoredObject;
  const want = apiVersionOf(expectGroup, expectVersion);
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== want) {
    throw StatusError.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== expectKind) {
    throw StatusError.badRequest(
      `${String(obj.kind)} in version "${expectVersion}" cannot be handled as a ${expectKind}: converting (${expectVersion}.${String(obj.kind)}) to (${expectGroup ? expectGroup.split('.')[0] : 'core'}.${expectKind}): unknown conversion`,
    );
  }
  obj.apiVersion = want;
  obj.kind = expectKind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isPlainObject(obj.metadata)) throw StatusError.badRequest(`${expectKind} in version "${expectVersion}" cannot be handled as a ${expectKind}: metadata must be an object`);
  return obj;
}

/** Strict field validation as upstream's fieldValidation parameter asks. */
export function checkFields(core: RegistryCore, r: ResourceInfo, obj: StoredObject, opts: WriteOptions): void {
  const res = core.deps.hooks.checkFields(r, obj);
  const prefix = `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}`;
  if (res.typeError) throw StatusError.badRequest(`${prefix}: ${res.typeError}`);
  if (!res.unknownFields.length || opts.fieldValidation === 'Ignore') return;
  if (opts.fieldValidation === 'Strict') {
    throw StatusError.badRequest(`${prefix}: strict decoding error: ${res.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  for (const f of res.unknownFields) opts.warnings.push(`unknown field "${f}"`);
}

export function throwIfInvalid(r: ResourceInfo, name: string, errs: FieldError[]): void {
  if (errs.length) throw StatusError.invalid(r.group, r.kind, name, errs);
}

/** Namespace in the body must match the URL; cluster-scoped objects lose any namespace. */
export function checkNamespace(r: ResourceInfo, obj: StoredObject, namespace: string): void {
  if (!r.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const inBody = obj.metadata.namespace;
  if (inBody && inBody !== namespace) throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  obj.metadata.namespace = namespace;
}

/** Fields only the server sets: strip on create (upstream's BeforeCreate). */
export function resetServerMeta(obj: StoredObject): void {
  const m = obj.metadata;
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
}

export function specChanged(a: Readonly<StoredObject>, b: Readonly<StoredObject>): boolean {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return true;
  }
  return false;
}
