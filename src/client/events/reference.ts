/**
 * The involved object's reference (client-go `tools/reference.GetReference`): a reference passed in is used as it
 * is (fieldPath included, "don't make a reference to a reference"); for an object, kind and apiVersion come from
 * its type fields and name, namespace, uid and resourceVersion from its metadata. Without a kind or apiVersion
 * there is no scheme to look them up in here, so the reference fails (upstream falls back to its scheme).
 */
import { isPlainObject } from '../../api/object';
import type { ObjectReference } from './types';

/** A Kubernetes object (with metadata) or an ObjectReference. */
export type EventObject = Record<string, unknown> | ObjectReference;

export type ReferenceResult = { ref: ObjectReference } | { error: string };

const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function getReference(object: unknown): ReferenceResult {
  if (object === null || object === undefined) return { error: 'object is nil' };
  if (!isPlainObject(object)) return { error: `object is not a Kubernetes object: ${typeof object}` };
  if (!isPlainObject(object.metadata)) {
    const ref: ObjectReference = {};
    for (const f of REF_FIELDS) if (text(object[f])) ref[f] = text(object[f]);
    return { ref };
  }
  const kind = text(object.kind);
  if (!kind) return { error: 'object has no kind (no scheme to look it up in)' };
  const apiVersion = text(object.apiVersion);
  if (!apiVersion) return { error: "selfLink was empty, can't make reference" };
  const m = object.metadata;
  const ref: ObjectReference = { kind };
  if (text(m.namespace)) ref.namespace = text(m.namespace);
  if (text(m.name)) ref.name = text(m.name);
  if (text(m.uid)) ref.uid = text(m.uid);
  ref.apiVersion = apiVersion;
  if (text(m.resourceVersion)) ref.resourceVersion = text(m.resourceVersion);
  return { ref };
}
