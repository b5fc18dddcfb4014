/**
 * Strict, error-collecting readers for decoded YAML/JSON: each takes a value and its field path, returns the typed
 * value (or undefined) and records a Problem — path plus message — instead of throwing, so one pass reports every
 * mistake. Paths print as `nodes[2].capacity.cpu`; keys that are not plain identifiers print in brackets
 * (`labels[example.com/zone]`), as apimachinery's field.Path does for map keys.
 */

export type Seg = string | number;
export type Obj = Record<string, unknown>;

export interface Problem {
  path: readonly Seg[];
  message: string;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const show = (v: unknown): string => (v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v)));

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(path: readonly Seg[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (PLAIN_KEY.test(s)) out += out ? `.${s}` : s;
    else out += `[${s}]`;
  }
  return out;
}

export function problemText(p: Problem): string {
  const at = formatPath(p.path);
  return at ? `${at}: ${p.message}` : p.message;
}

/** Levenshtein distance, for "did you mean" hints on unknown fields (short strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

export class Reader {
  readonly problems: Problem[] = [];

  add(path: readonly Seg[], message: string): void {
    this.problems.push({ path: [...path], message });
  }

  /** An object whose keys are all in `known`; unknown keys are problems (with a hint when one is close). */
  object(v: unknown, path: readonly Seg[], known: readonly string[]): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) {
      this.add(path, `expected an object, got ${show(v)}`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (known.includes(k)) continue;
      let near: string | undefined;
      let best = Infinity;
      for (const n of known) {
        const d = distance(k, n);
        if (d < best && d <= Math.max(2, Math.floor(n.length / 3))) [near, best] = [n, d];
      }
      const hint = near ? `; did you mean "${near}"?` : `; known fields: ${known.join(', ')}`;
      this.add([...path, k], `unknown field${hint}`);
    }
    return v;
  }

  string(v: unknown, path: readonly Seg[]): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.add(path, `expected a string, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  /** A whole number in [min, max]. */
  int(v: unknown, path: readonly Seg[], min: number, max: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.add(path, `expected a whole number, got ${show(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      this.add(path, `must be from ${min} to ${max}, not ${v}`);
      return undefined;
    }
    return v;
  }

  /** A finite number; range checks are the caller's. */
  number(v: unknown, path: readonly Seg[]): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(path, `expected a number, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  list(v: unknown, path: readonly Seg[]): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.add(path, `expected a list, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  /** A map of strings (labels); non-string values are problems. */
  stringMap(v: unknown, path: readonly Seg[]): Record<string, string> | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) {
      this.add(path, `expected a map of strings, got ${show(v)}`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === 'string') out[k] = val;
      else this.add([...path, k], `expected a string, got ${show(val)}${typeof val === 'number' || typeof val === 'boolean' ? ` (quote it: "${String(val)}")` : ''}`);
    }
    return out;
  }
}
