/**
 * The stored encoding of an object (its JSON without metadata.resourceVersion, as kube-apiserver's storage
 * versioner clears it before writing) and, from that text, the JSON of the object the write answers with: the same
 * bytes with `"resourceVersion":"<rev>"` as the last field of metadata — exactly what JSON.stringify writes for the
 * answer copy, whose metadata gets resourceVersion last (metadataWithRvLast).
 */
import type { StoredObject } from '../../api/object';

export interface StoredEncoding {
  /** JSON.stringify of the object without metadata.resourceVersion. */
  value: string;
  /** Index of metadata's closing brace in `value` (-1 when the object has no metadata object). */
  metaEnd: number;
}

/**
 * Encodes `obj` for storage; `obj` is not changed (deleting metadata.resourceVersion and adding it back would leave
 * V8 a metadata object in dictionary mode, which the watch cache then keeps and every later read pays for). The top
 * level is written key by key (as JSON.stringify would) to learn where metadata ends.
 */
export function encodeStored(obj: StoredObject): StoredEncoding {
  let value = '';
  let metaEnd = -1;
  const top = obj as unknown as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    let v = top[k];
    if (k === 'metadata' && typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, 'resourceVersion')) {
      const { resourceVersion: _rv, ...rest } = v as Record<string, unknown>;
      v = rest;
    }
    const part = JSON.stringify(v) as string | undefined;
    if (part === undefined) continue;
    value += `${value ? ',' : '{'}${JSON.stringify(k)}:${part}`;
    if (k === 'metadata' && part[0] === '{') metaEnd = value.length - 1;
  }
  return { value: value ? `${value}}` : '{}', metaEnd };
}

/** `metadata` with resourceVersion `rv` as its last key (the answer copy's metadata, matching answerJson's text). */
export function metadataWithRvLast(metadata: Record<string, unknown>, rv: string): Record<string, unknown> {
  if (!Object.hasOwn(metadata, 'resourceVersion')) return { ...metadata, resourceVersion: rv };
  const { resourceVersion: _rv, ...rest } = metadata;
  rest.resourceVersion = rv;
  return rest;
}

/** The JSON of the stored object answered at revision `rev`, or undefined when `enc` gives no place for it. */
export function answerJson(enc: StoredEncoding, rev: string): string | undefined {
  const { value, metaEnd } = enc;
  if (metaEnd < 1 || value[metaEnd] !== '}') return undefined;
  const sep = value[metaEnd - 1] === '{' ? '' : ',';
  return `${value.slice(0, metaEnd)}${sep}"resourceVersion":${JSON.stringify(rev)}${value.slice(metaEnd)}`;
}
