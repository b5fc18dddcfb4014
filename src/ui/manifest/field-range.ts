/**
 * The source range of a field named by an API field path, in every wording the API server uses:
 * - apimachinery field.Path (validation causes): `spec.template.spec.containers[0].image`, map keys in brackets
 *   `metadata.labels[app.kubernetes.io/name]`, `data[my.key]`; indices `[0]`;
 * - strict decoding (sigs.k8s.io/json): `spec.template.spec.containers[0].imagez`, map keys as `.key` (keys holding
 *   dots are found by trying the joined segments);
 * - structured-merge-diff (server-side apply): `.spec.containers[name="web"].image`, `[containerPort=80,protocol=
 *   "TCP"]`, set items `[="a"]`;
 * - Go's encoding/json type errors (`DeploymentSpec.spec.template.spec.containers.image`), which name no indices:
 *   with `anyIndex` a list is looked through, the first item that holds the rest wins.
 *
 * Which range: a scalar's value when the field is there (what an editor underlines); the key when the field holds a
 * map or list (underlining a whole block is noise), or when `prefer: 'key'` (unknown fields: the key is what is
 * wrong); the deepest node that exists when the field does not (a missing required field → its parent's key; a list
 * item without a key → the item's first line). Aliases are followed and merge keys looked into.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { deref, findPair, headRange, keyString, nodeSpan, type ManifestSource, type Range } from './source';

export type PathSegment =
  | { t: 'field'; name: string }
  | { t: 'bracket'; raw: string; index?: number; select?: [string, unknown][]; value?: { v: unknown } };

export interface FieldLocation {
  range: Range;
  /** The whole path exists in the manifest. */
  exact: boolean;
  /** The node found (the deepest existing one when not exact) and the key naming it, if it is a map entry. */
  node: Node | null;
  keyNode: Node | null;
}

export interface LocateOptions {
  /** Underline the key even when the value is a scalar (unknown or duplicate fields). */
  prefer?: 'value' | 'key';
  /** Paths without indices (Go type errors): look through lists. */
  anyIndex?: boolean;
  /** The bad value a cause quotes: when the field is a map or list, the entry with that key or value is picked. */
  badValue?: unknown;
}

type Located = Pick<ManifestSource, 'doc' | 'node' | 'lines' | 'offset'>;

export function rangeOfField(doc: { source: Located }, fieldPath: string, opts: LocateOptions = {}): Range {
  return locateField(doc, fieldPath, opts).range;
}

export function locateField(doc: { source: Located }, fieldPath: string, opts: LocateOptions = {}): FieldLocation {
  const src = doc.source;
  const segs = parseFieldPath(fieldPath);
  const found = walk(src, { value: src.node, key: null }, segs, 0, opts.anyIndex ?? false, 0);
  const exact = found.depth === segs.length;
  const node = deref(src.doc, found.step.value);
  const keyNode = found.step.key;
  if (exact && opts.badValue !== undefined && (isMap(node) || isSeq(node))) {
    const hit = entryWithValue(src, node, opts.badValue);
    if (hit) return { range: hit, exact, node, keyNode };
  }
  return { range: chooseRange(src, node, keyNode, exact, opts.prefer ?? 'value'), exact, node, keyNode };
}

function chooseRange(src: Located, node: Node | null, keyNode: Node | null, exact: boolean, prefer: 'value' | 'key'): Range {
  const span = nodeSpan(src, node);
  const scalar = isScalar(node) && span && span[1] > span[0];
  if (exact && scalar && prefer === 'value') return src.lines.range(span[0], span[1]);
  const keySpan = nodeSpan(src, keyNode);
  if (keySpan) return src.lines.range(keySpan[0], keySpan[1]);
  if (scalar) return src.lines.range(span[0], span[1]);
  return headRange(src, node ?? src.node);
}

/** The range of the key or value equal to `bad` among a map's or list's direct entries. */
function entryWithValue(src: Located, node: Node, bad: unknown): Range | undefined {
  const same = (n: unknown): boolean => {
    const d = deref(src.doc, n);
    return isScalar(d) && (d.value === bad || (d.value !== null && typeof bad === 'string' && String(d.value) === bad));
  };
  const spanRange = (n: unknown): Range | undefined => {
    const s = nodeSpan(src, n as Node);
    return s && src.lines.range(s[0], s[1]);
  };
  if (isMap(node)) {
    for (const p of node.items as Pair[]) if (same(p.key)) return spanRange(p.key);
    for (const p of node.items as Pair[]) if (same(p.value)) return spanRange(p.value);
  } else if (isSeq(node)) {
    for (const it of node.items) if (same(it)) return spanRange(it);
  }
  return undefined;
}

interface Step {
  value: unknown;
  key: Node | null;
}

/** Depth-first over the ways segments can match; a full match returns at once, else the deepest partial one. */
function walk(src: Located, cur: Step, segs: PathSegment[], i: number, anyIndex: boolean, blind: number): { step: Step; depth: number } {
  let best = { step: cur, depth: i };
  if (i === segs.length) return best;
  const node = deref(src.doc, cur.value);
  for (const [next, used] of candidates(src, node, segs, i, anyIndex && blind < 8)) {
    const r = walk(src, next, segs, i + used, anyIndex, used === 0 ? blind + 1 : 0);
    if (r.depth === segs.length) return r;
    if (r.depth > best.depth) best = r;
  }
  return best;
}

function* candidates(src: Located, node: Node | null, segs: PathSegment[], i: number, lookThroughLists: boolean): Generator<[Step, number]> {
  const seg = segs[i];
  const doc = src.doc;
  if (isMap(node)) {
    if (seg.t === 'bracket') {
      const p = findPair(doc, node, seg.raw);
      if (p) yield [{ value: p.value, key: p.key as Node }, 1];
      return;
    }
    // `a`, then `a.b`, `a.b.c` … for keys that hold dots.
    let name = '';
    for (let n = 0; i + n < segs.length; n++) {
      const s = segs[i + n];
      if (s.t !== 'field') break;
      name = n === 0 ? s.name : `${name}.${s.name}`;
      const p = findPair(doc, node, name);
      if (p) yield [{ value: p.value, key: p.key as Node }, n + 1];
    }
    return;
  }
  if (!isSeq(node)) return;
  const items = node.items.map((it) => deref(doc, it));
  if (seg.t === 'field') {
    if (lookThroughLists) for (const it of items) yield [{ value: it, key: null }, 0];
    return;
  }
  if (seg.index !== undefined) {
    if (seg.index < items.length) yield [{ value: items[seg.index], key: null }, 1];
    return;
  }
  if (seg.select) {
    const want = seg.select;
    const hit = items.find((it) => isMap(it) && want.every(([k, v]) => sameScalar(doc, findPair(doc, it, k)?.value, v)));
    if (hit) yield [{ value: hit, key: null }, 1];
    return;
  }
  if (seg.value) {
    const v = seg.value.v;
    const hit = items.find((it) => sameScalar(doc, it, v));
    if (hit) yield [{ value: hit, key: null }, 1];
  }
}

function sameScalar(doc: Located['doc'], node: unknown, v: unknown): boolean {
  const d = deref(doc, node);
  if (!isScalar(d)) return false;
  if (d.value === v) return true;
  return typeof v === 'string' && d.value !== null && keyString(d) === v;
}

/** `[name="web"]` values are JSON; a bare word that is not JSON is taken as a string. */
function jsonOrString(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') {
      cur += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function bracket(raw: string): PathSegment {
  if (/^\d+$/.test(raw)) return { t: 'bracket', raw, index: Number(raw) };
  if (raw.startsWith('=')) return { t: 'bracket', raw, value: { v: jsonOrString(raw.slice(1)) } };
  if (/^[A-Za-z_$][\w$-]*=/.test(raw)) {
    const select = splitOutsideQuotes(raw, ',').map((kv): [string, unknown] => {
      const eq = kv.indexOf('=');
      return [kv.slice(0, eq), jsonOrString(kv.slice(eq + 1))];
    });
    return { t: 'bracket', raw, select };
  }
  return { t: 'bracket', raw };
}

/** A field path in any of the wordings above → its segments. A leading `.` (structured-merge-diff) is dropped. */
export function parseFieldPath(path: string): PathSegment[] {
  const segs: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let quoted = false;
      for (; j < path.length; j++) {
        if (quoted && path[j] === '\\') j++;
        else if (path[j] === '"') quoted = !quoted;
        else if (path[j] === ']' && !quoted) break;
      }
      segs.push(bracket(path.slice(i + 1, j)));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    segs.push({ t: 'field', name: path.slice(i, j) });
    i = j;
  }
  return segs;
}
