/**
 * JSON patch (RFC 6902, `application/json-patch+json`) exactly as the API server applies it: decoded and applied by
 * gopkg.in/evanphx/json-patch.v4, whose behaviour differs from the RFC in places that clients rely on:
 * `replace` of a missing object key adds it, `copy` of a missing key copies null, `add` at the root (`""`) fails,
 * only `replace` and `test` accept the root, an absent `value` means null.
 *
 * Errors (see patch-errors.ts): a body that is not a list of operation objects is 400 with Go's decoder message;
 * more than 10,000 operations is 413; any failure while applying (a failed `test`, a missing path, a bad index,
 * an unknown `op`) is the generic 422 — the library's message travels only as the error's `cause`.
 * Neither argument is mutated.
 */
import { cloneJson, getOwn, hasOwn, isJsonObject, jsonEqual, type JsonObject } from './json-values';
import { conAdd, conGet, conRemove, conSet, findObject, JsonPatchFailure, type Container } from './json-pointer';
import { MAX_JSON_PATCH_OPERATIONS, patchBadRequest, patchUnprocessable, tooManyJsonPatchOperations } from './patch-errors';

/** The word Go's JSON decoder uses for a value it cannot put into the target type. */
function jsonKindWord(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

/** `jsonpatch.DecodePatch`: a list of objects (null is an empty patch, a null element an empty operation). */
function decodePatch(patch: unknown): JsonObject[] {
  if (patch === null || patch === undefined) return [];
  if (!Array.isArray(patch)) throw patchBadRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type jsonpatch.Patch`);
  const bad = patch.find((op) => op !== null && !isJsonObject(op));
  if (bad !== undefined) throw patchBadRequest(`json: cannot unmarshal ${jsonKindWord(bad)} into Go value of type jsonpatch.Operation`);
  return patch.map((op) => (op === null ? {} : (op as JsonObject)));
}

class Op {
  constructor(private readonly raw: JsonObject) {}

  get kind(): string {
    const op = getOwn(this.raw, 'op');
    return typeof op === 'string' ? op : 'unknown';
  }

  /** `Operation.Path()` / `From()`: the string, or the library's error text. */
  private field(name: 'path' | 'from', missing: string): { value: string } | { error: string } {
    const v = getOwn(this.raw, name);
    if (v === undefined || v === null) return { error: missing };
    if (typeof v !== 'string') return { error: `json: cannot unmarshal ${jsonKindWord(v)} into Go value of type string` };
    return { value: v };
  }

  path(): { value: string } | { error: string } {
    return this.field('path', 'operation missing path field: missing value');
  }

  from(): { value: string } | { error: string } {
    return this.field('from', 'operation, missing from field: missing value');
  }

  get hasValue(): boolean {
    return hasOwn(this.raw, 'value');
  }

  /** The value to insert: a copy, null when absent. */
  value(): unknown {
    return this.hasValue ? cloneJson(this.raw.value) : null;
  }
}

function fail(message: string): never {
  throw new JsonPatchFailure(message);
}

function wrap(prefix: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof JsonPatchFailure) fail(`${prefix}: ${e.message}`);
    throw e;
  }
}

class Applier {
  constructor(public root: Container) {}

  add(op: Op): void {
    const p = op.path();
    if ('error' in p) fail('add operation failed to decode path: missing value');
    const f = findObject(this.root, p.value) ?? fail(`add operation does not apply: doc is missing path: "${p.value}": missing value`);
    wrap(`error in add for path: '${p.value}'`, () => conAdd(f.con, f.key, op.value()));
  }

  remove(op: Op): void {
    const p = op.path();
    if ('error' in p) fail('remove operation failed to decode path: missing value');
    const f = findObject(this.root, p.value) ?? fail(`remove operation does not apply: doc is missing path: "${p.value}": missing value`);
    wrap(`error in remove for path: '${p.value}'`, () => conRemove(f.con, f.key));
  }

  replace(op: Op): void {
    const p = op.path();
    if ('error' in p) fail(`replace operation failed to decode path: ${p.error}`);
    if (p.value === '') {
      const v = op.value();
      if (!Array.isArray(v) && !isJsonObject(v)) fail('replace operation value must be object or array: %!w(<nil>)');
      this.root = v;
      return;
    }
    const f = findObject(this.root, p.value) ?? fail(`replace operation does not apply: doc is missing path: ${p.value}: missing value`);
    try {
      conGet(f.con, f.key);
    } catch (e) {
      if (e instanceof JsonPatchFailure) fail(`replace operation does not apply: doc is missing key: ${p.value}: missing value`);
      throw e;
    }
    wrap(`error in remove for path: '${p.value}'`, () => conSet(f.con, f.key, op.value()));
  }

  move(op: Op): void {
    const from = op.from();
    if ('error' in from) fail(`move operation failed to decode from: ${from.error}`);
    const src = findObject(this.root, from.value) ?? fail(`move operation does not apply: doc is missing from path: ${from.value}: missing value`);
    let val: unknown;
    wrap(`error in move for path: '${src.key}'`, () => {
      val = conGet(src.con, src.key);
      conRemove(src.con, src.key);
    });
    const p = op.path();
    if ('error' in p) fail(`move operation failed to decode path: ${p.error}`);
    const dst = findObject(this.root, p.value) ?? fail(`move operation does not apply: doc is missing destination path: ${p.value}: missing value`);
    wrap(`error in move for path: '${p.value}'`, () => conAdd(dst.con, dst.key, val ?? null));
  }

  test(op: Op): void {
    const p = op.path();
    if ('error' in p) fail(`test operation failed to decode path: ${p.error}`);
    const failed = `testing value ${p.value} failed: test failed`;
    if (p.value === '') {
      if (!op.hasValue || !jsonEqual(this.root, op.value())) fail(failed);
      return;
    }
    const f = findObject(this.root, p.value) ?? fail(`test operation does not apply: is missing path: ${p.value}: missing value`);
    let val: unknown;
    wrap(`error in test for path: '${p.value}'`, () => {
      val = conGet(f.con, f.key);
    });
    const expected = op.value();
    if (val === undefined || val === null) {
      if (expected !== null) fail(failed);
      return;
    }
    if (!op.hasValue || !jsonEqual(val, expected)) fail(failed);
  }

  copy(op: Op): void {
    const from = op.from();
    if ('error' in from) fail(`copy operation failed to decode from: ${from.error}`);
    const src = findObject(this.root, from.value) ?? fail(`copy operation does not apply: doc is missing from path: ${from.value}: missing value`);
    let val: unknown;
    wrap(`error in copy for from: '${from.value}'`, () => {
      val = conGet(src.con, src.key);
    });
    const p = op.path();
    if ('error' in p) fail('copy operation failed to decode path: missing value');
    const dst = findObject(this.root, p.value) ?? fail(`copy operation does not apply: doc is missing destination path: ${p.value}: missing value`);
    wrap('error while adding value during copy', () => conAdd(dst.con, dst.key, cloneJson(val ?? null)));
  }

  apply(op: Op): void {
    switch (op.kind) {
      case 'add':
        return this.add(op);
      case 'remove':
        return this.remove(op);
      case 'replace':
        return this.replace(op);
      case 'move':
        return this.move(op);
      case 'test':
        return this.test(op);
      case 'copy':
        return this.copy(op);
      default:
        fail(`Unexpected kind: ${op.kind}`);
    }
  }
}

/**
 * Applies a JSON patch (already parsed from the request body) to `doc`; returns the patched copy.
 * Throws StatusError: 400 (undecodable patch), 413 (too many operations), 422 (the patch does not apply).
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodePatch(patch);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyJsonPatchOperations(ops.length);
  const root = cloneJson(doc);
  if (!Array.isArray(root) && !isJsonObject(root)) {
    throw patchUnprocessable(`json: cannot unmarshal ${jsonKindWord(root)} into Go value of type jsonpatch.partialDoc`);
  }
  const applier = new Applier(root);
  try {
    for (const op of ops) applier.apply(new Op(op));
  } catch (e) {
    if (e instanceof JsonPatchFailure) throw patchUnprocessable(e.message);
    throw e;
  }
  return applier.root;
}
