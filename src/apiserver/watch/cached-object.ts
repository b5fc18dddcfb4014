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

/** The one empty object every cached object shares for its `{}` values (fieldsV1 leaves, `resources: {}`, …). */
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Objects whose values are all `{}` (mostly fieldsV1 nodes such as a condition's
 * `{".":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}`), by their keys in order: every pod's
 * managedFields repeat the same few dozen. Bounded: once full, new shapes are simply not shared.
 */
const leafParents = new Map<string, Readonly<Record<string, unknown>>>();
const MAX_LEAF_PARENTS = 4096;

/**
 * Freeze an object for the watch cache, sharing what is the same in every object: each `{}` becomes one shared
 * frozen empty object and each object of only `{}` values one shared frozen object with the same keys (a decoded
 * pod's managedFields are then ~1.5 KB instead of ~5 KB). Nothing observable changes: the values are equal, frozen
 * either way, and JSON encodes them the same. Subtrees already frozen (shared with an earlier version) are left as
 * they are.
 */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) v[i] = share(x);
    }
  } else {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'object' && x !== null) o[k] = share(x);
    }
  }
  return Object.freeze(v);
}

/** `x` frozen, or the shared object equal to it. */
function share(x: object): object {
  if (Object.isFrozen(x)) return x;
  if (Array.isArray(x)) return deepFreeze(x);
  const o = x as Record<string, unknown>;
  let shape = '';
  let leaves = true;
  for (const k in o) {
    const c = o[k];
    if (typeof c === 'object' && c !== null) {
      const s = share(c);
      o[k] = s;
      if (s !== EMPTY) leaves = false;
    } else leaves = false;
    if (leaves) shape += `${k.length}:${k}`; // length-prefixed: no two key lists give the same shape
  }
  if (!leaves) return Object.freeze(o);
  if (!shape) return EMPTY;
  const known = leafParents.get(shape);
  if (known) return known;
  Object.freeze(o);
  if (leafParents.size < MAX_LEAF_PARENTS) leafParents.set(shape, o);
  return o;
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
