/**
 * Where things are in a manifest file: positions and ranges as VS Code counts them (0-based line, 0-based character
 * in UTF-16 code units, which is also how JavaScript strings index), the line index that turns offsets into
 * positions, and the few walks over `yaml` nodes the other files share (aliases followed, merge keys `<<` looked
 * into as YAML 1.1 does).
 *
 * Contract: nothing here imports `vscode`; a Range's end is exclusive, like vscode.Range.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Line starts of a text, for offset → Position. Lines break after `\n` (a `\r\n` pair counts once). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** The end of the line holding `offset`, before its line break and trailing blanks. */
  lineEnd(offset: number): number {
    let e = this.text.indexOf('\n', offset);
    if (e === -1) e = this.text.length;
    while (e > offset && /[\r \t]/.test(this.text[e - 1])) e--;
    return e;
  }
}

/**
 * One parsed YAML document (or one JSON value of a JSON stream) and the node that holds a manifest object: the
 * document's contents, or one item of a List. `offset` is where the parsed text starts in the file (JSON streams are
 * parsed value by value); node ranges are relative to it.
 */
export interface ManifestSource {
  readonly lines: LineIndex;
  readonly doc: Document;
  readonly node: Node;
  readonly offset: number;
}

/** [start, end) of a node's value in file offsets (trailing comments, blanks and line breaks excluded). */
export function nodeSpan(src: Pick<ManifestSource, 'offset' | 'lines'>, node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  if (!r) return undefined;
  const start = r[0] + src.offset;
  let end = r[1] + src.offset;
  const text = src.lines.text;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}

export function nodeRange(src: ManifestSource, node: Node | null | undefined): Range | undefined {
  const s = nodeSpan(src, node);
  return s && src.lines.range(s[0], s[1]);
}

/** A node's range clipped to its first line (trailing blanks dropped): what an editor underlines for a block. */
export function headRange(src: Pick<ManifestSource, 'offset' | 'lines'>, node: Node | null | undefined): Range {
  const s = nodeSpan(src, node) ?? [src.offset, src.offset];
  return src.lines.range(s[0], Math.min(s[1], src.lines.lineEnd(s[0])));
}

/** The node an alias points to (aliases to aliases followed), or the node itself. */
export function deref(doc: Document, node: unknown): Node | null {
  let n = node;
  for (let hops = 0; isAlias(n) && hops < 64; hops++) n = n.resolve(doc) ?? null;
  return (n as Node | null) ?? null;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? 'null' : typeof key.value === 'symbol' ? key.value.description : String(key.value);
  return undefined;
}

/** A YAML 1.1 merge key: the `yaml` package resolves `<<` to a Scalar holding Symbol('<<'). */
function isMergePair(p: Pair): boolean {
  if (!isScalar(p.key)) return false;
  const v = p.key.value;
  return typeof v === 'symbol' && v.description === '<<';
}

/**
 * The pair of `map` whose key is `key`, looking into merge keys (`<<: *base`, `<<: [*a, *b]`) when the map does not
 * hold it itself (the map's own keys win, then earlier merge sources win, as YAML 1.1 merges).
 */
export function findPair(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  let found: Pair | undefined;
  const merges: Node[] = [];
  for (const p of map.items) {
    if (!isPair(p)) continue;
    if (isMergePair(p)) {
      const v = deref(doc, p.value);
      if (isSeq(v)) for (const it of v.items) merges.push(deref(doc, it) as Node);
      else if (v) merges.push(v);
      continue;
    }
    if (keyString(p.key) === key) found = p; // the last one wins, as in the decoded object
  }
  if (found || depth > 16) return found;
  for (const m of merges) {
    if (!isMap(m)) continue;
    const p = findPair(doc, m, key, depth + 1);
    if (p) return p;
  }
  return undefined;
}

/** The plain JS value of a scalar node (undefined for collections). */
export function scalarValue(doc: Document, node: unknown): unknown {
  const n = deref(doc, node);
  return isScalar(n) ? n.value : undefined;
}

export { keyString };
