/**
 * JSON pointers and containers as gopkg.in/evanphx/json-patch.v4 (the library the API server uses) walks them, with
 * its quirks kept: a path is split on `/` and its first segment ignored (so `a/b` acts like `/b`), `~1` and `~0` are
 * decoded in one pass, array indices are parsed like Go's `strconv.Atoi` (signs and leading zeros allowed) and may be
 * negative (counted from the end), and `-` appends only for `add`. Errors carry the library's words.
 */
import { getOwn, hasOwn, isJsonObject, setOwn, type JsonObject } from './json-values';

export type Container = JsonObject | unknown[];

/** The library's own message, wrapped as it wraps it; the API server turns it into a 422. */
export class JsonPatchFailure extends Error {}

export function decodePatchKey(k: string): string {
  return k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.Atoi`; throws its error text. */
export function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new JsonPatchFailure(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) throw new JsonPatchFailure(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(n);
}

function invalidIndex(idx: number): JsonPatchFailure {
  return new JsonPatchFailure(`Unable to access invalid index: ${idx}: invalid index referenced`);
}

/** The container a path points into and the (decoded) last key, or undefined when the parent is missing. */
export function findObject(root: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc: Container = root;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = conGet(doc, decodePatchKey(part));
    } catch {
      return undefined;
    }
    if (Array.isArray(next) || isJsonObject(next)) doc = next;
    else return undefined;
  }
  return { con: doc, key: decodePatchKey(split[split.length - 1]!) };
}

/** The value at `key`; `undefined` for a missing object key (the library's nil node, like JSON null). */
export function conGet(con: Container, key: string): unknown {
  if (!Array.isArray(con)) return getOwn(con, key);
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -con.length) throw invalidIndex(idx);
    idx += con.length;
  }
  if (idx >= con.length) throw invalidIndex(idx);
  return con[idx];
}

/** Replace's setter: objects take any key, arrays an index already checked by `conGet`. */
export function conSet(con: Container, key: string, value: unknown): void {
  if (!Array.isArray(con)) return setOwn(con, key, value);
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -con.length) throw invalidIndex(idx);
    idx += con.length;
  }
  con[idx] = value;
}

export function conAdd(con: Container, key: string, value: unknown): void {
  if (!Array.isArray(con)) return setOwn(con, key, value);
  if (key === '-') {
    con.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new JsonPatchFailure(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = con.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  con.splice(idx, 0, value);
}

export function conRemove(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!hasOwn(con, key)) throw new JsonPatchFailure(`Unable to remove nonexistent key: ${key}: missing value`);
    delete con[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= con.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -con.length) throw invalidIndex(idx);
    idx += con.length;
  }
  con.splice(idx, 1);
}
