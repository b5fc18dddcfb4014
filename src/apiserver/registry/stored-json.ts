/**
 * The stored encoding of an object (its JSON without metadata.resourceVersion, as kube-apiserver's storage
 * versioner clears it before writing) and, from that text, the JSON of the object the write answers with: the same
 * bytes with `"resourceVersion":"<rev>"` as the last field of metadata — exactly what JSON.stringify writes for the
 * answer copy, whose metadata gets resourceVersion last (encodeStored moves an existing one to the end).
 */
import type { StoredObject } from '../../api/object';

export interface StoredEncoding {
  /** JSON.stringify of the object without metadata.resourceVersion. */
  value: string;
  /** Index of metadata's closing brace in `value` (-1 when the object has no metadata object). */
  metaEnd: number;
}

/**
 * Encodes `obj` for storage. Leaves `obj` as it was except that metadata.resourceVersion, when set, is now its
 * metadata's last key (an own key holding undefined is dropped). The top level is written key by key (as
 * JSON.stringify would) to learn where metadata ends.
 */
export function encodeStored(obj: StoredObject): StoredEncoding {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  const had = !!meta && Object.hasOwn(meta, 'resourceVersion');
  const rv = had ? meta.resourceVersion : undefined;
  if (had) delete meta.resourceVersion;
  let value = '';
  let metaEnd = -1;
  try {
    for (const k of Object.keys(obj)) {
      const part = JSON.stringify((obj as unknown as Record<string, unknown>)[k]) as string | undefined;
      if (part === undefined) continue;
      value += `${value ? ',' : '{'}${JSON.stringify(k)}:${part}`;
      if (k === 'metadata' && part[0] === '{') metaEnd = value.length - 1;
    }
  } finally {
    if (meta && rv !== undefined) meta.resourceVersion = rv;
  }
  return { value: value ? `${value}}` : '{}', metaEnd };
}

/** The JSON of the stored object answered at revision `rev`, or undefined when `enc` gives no place for it. */
export function answerJson(enc: StoredEncoding, rev: string): string | undefined {
  const { value, metaEnd } = enc;
  if (metaEnd < 1 || value[metaEnd] !== '}') return undefined;
  const sep = value[metaEnd - 1] === '{' ? '' : ',';
  return `${value.slice(0, metaEnd)}${sep}"resourceVersion":${JSON.stringify(rev)}${value.slice(metaEnd)}`;
}
