/**
 * Objects as the watch cache holds them: decoded once from the stored JSON, resourceVersion set to the key's
 * modRevision, deep-frozen, and shared by every reader and watcher. Nobody may mutate them; writers deep-copy.
 */
import type { StoredObject } from '../../api/object';

export interface CachedObject {
  key: string;
  namespace: string;
  name: string;
  /** modRevision of the stored key. */
  rev: number;
  obj: Readonly<StoredObject>;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) deepFreeze(x);
    }
  } else {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'object' && x !== null) deepFreeze(x);
    }
  }
  return v;
}

/** Parses a stored value and stamps its resourceVersion. Throws on corrupt JSON (the caller logs and skips). */
export function decodeStored(key: string, value: string, rev: number): CachedObject {
  const obj = JSON.parse(value) as StoredObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  obj.metadata.resourceVersion = String(rev);
  return { key, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', rev, obj: deepFreeze(obj) };
}

/** The same object with another resourceVersion (a DELETED event carries the delete's revision), still frozen. */
export function withResourceVersion(o: Readonly<StoredObject>, rev: number): Readonly<StoredObject> {
  const metadata = Object.freeze({ ...o.metadata, resourceVersion: String(rev) });
  return Object.freeze({ ...o, metadata });
}

/** An object this server just wrote (its stored encoding is exactly this object): stamped and frozen, not re-parsed. */
export function adoptObject(key: string, obj: StoredObject, rev: number): CachedObject {
  obj.metadata.resourceVersion = String(rev);
  return { key, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', rev, obj: deepFreeze(obj) };
}

/**
 * A cached object kept as its stored JSON text and decoded when read: for resources that are written far more than
 * read (Events, whose watch cache upstream kube-apiserver even disables), the text costs about a quarter of the
 * decoded object's memory. The last decoded copy is reused while something still holds it (a WeakRef), so readers
 * get equal frozen objects, not always the same one.
 */
export class TextCachedObject implements CachedObject {
  private ref: WeakRef<Readonly<StoredObject>> | undefined;

  constructor(
    readonly key: string,
    readonly namespace: string,
    readonly name: string,
    readonly rev: number,
    /** The stored value (JSON without resourceVersion). */
    readonly text: string,
  ) {}

  get obj(): Readonly<StoredObject> {
    let o = this.ref?.deref();
    if (!o) {
      o = decodeStored(this.key, this.text, this.rev).obj;
      this.ref = new WeakRef(o);
    }
    return o;
  }

  /** The same stored value seen at another revision (a DELETED event carries the delete's revision). */
  at(rev: number): TextCachedObject {
    return new TextCachedObject(this.key, this.namespace, this.name, rev, this.text);
  }
}
