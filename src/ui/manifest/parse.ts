/**
 * A manifest file → the objects `kubectl apply -f` would send, each with the source range it came from and the
 * problems found before any request is made. Checked against kubectl 1.32 on this machine.
 *
 * As kubectl reads a file:
 * - the stream is JSON when its first non-blank character is `{` (apimachinery's GuessJSONStream; `.json` files are
 *   always read as JSON), a stream of JSON values one after another; otherwise multi-document YAML;
 * - YAML is read as sigs.k8s.io/yaml (go-yaml v2) reads it, i.e. YAML 1.1 scalars: `yes`/`on`/`n` are booleans,
 *   `0644` and `0o17` are octal, `<<` merges; timestamps and `1:20` stay the strings they are written as;
 * - duplicate keys: the last one wins (a warning here: kubectl says nothing);
 * - empty documents (only comments, or `null`) are skipped;
 * - a `List` or `<Kind>List` with `items` is expanded into its items; an item with neither kind nor apiVersion gets
 *   the list's apiVersion and the list kind minus `List` (apimachinery's decodeToList). A list inside a list is an
 *   error, as in kubectl (its FlattenListVisitor fails on it).
 *
 * Problems: YAML/JSON syntax errors (the `yaml` package's wording, not go-yaml's), documents that are not objects
 * (`invalid object to validate`), lacking apiVersion/kind (`apiVersion not set`, `kind not set`: kubectl's
 * client-side validation wording), documents nested deeper than MAX_MANIFEST_DEPTH (refused before parsing, see
 * nesting.ts). A document with a syntax error has no object; the documents around it still
 * parse (kubectl applies the documents before a broken one, then stops). Documents are numbered in file order,
 * lists expanded (`index`).
 */
import { Document, isMap, isSeq, parseAllDocuments, visit, type Node, type ScalarTag, type Tags } from 'yaml';
import { isPlainObject, type KubeObject } from '../../api/object';
import { deref, findPair, headRange, keyString, LineIndex, nodeSpan, type ManifestSource, type Range, type Severity } from './source';
import { depthExceededAt, depthMessage } from './nesting';

export interface ManifestProblem {
  range: Range;
  message: string;
  severity: Severity;
  /** The `yaml` package's error code (`BAD_INDENT`, `DUPLICATE_KEY` …), or `kubelab` for our own checks. */
  code: string;
}

export interface ManifestDocument {
  /** 0-based position among the file's documents, lists expanded. */
  index: number;
  /** 0-based index of the YAML document (or JSON value) it came from; list items share their list's. */
  documentIndex: number;
  /** The object to send, undefined when the document cannot be used (syntax error, not an object). */
  object: KubeObject | undefined;
  /** The node's range (for a list item, the item's). */
  range: Range;
  problems: ManifestProblem[];
  source: ManifestSource;
}

/** go-yaml v2 reads `0o17` as octal too (Go's strconv.ParseInt with base 0). */
const GO_OCTAL: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  default: true,
  identify: () => false,
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (s) => (s.startsWith('-') ? -1 : 1) * parseInt(s.replace(/^[-+]?0o/, '').replace(/_/g, ''), 8),
};

/** go-yaml v2 keeps timestamps and sexagesimal numbers as the strings they are written as. */
const GO_YAML_V2_TAGS = (tags: Tags): Tags => [
  ...tags.filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME'))),
  GO_OCTAL,
];

export function parseManifests(text: string, fileName: string): ManifestDocument[] {
  const lines = new LineIndex(text);
  const json = /\.json$/i.test(fileName) || firstNonBlank(text) === '{';
  const out: ManifestDocument[] = [];
  let documentIndex = 0;
  for (const seg of json ? jsonValues(text) : yamlPieces(text)) {
    const deepAt = depthExceededAt(seg.text);
    if (deepAt !== undefined) {
      const doc = new Document(null);
      const src = { lines, doc, node: doc as unknown as Node, offset: seg.offset + deepAt };
      const problem = problemAt(src, undefined, depthMessage(json));
      out.push({ index: out.length, documentIndex: documentIndex++, object: undefined, range: problem.range, problems: [problem], source: src });
      continue;
    }
    const docs = parseAllDocuments(seg.text, json
      ? { prettyErrors: false, version: '1.2', schema: 'json' }
      : { prettyErrors: false, version: '1.1', schema: 'yaml-1.1', customTags: GO_YAML_V2_TAGS });
    for (const doc of docs) {
      readDocument(doc, { lines, doc, node: doc.contents ?? (doc as unknown as Node), offset: seg.offset }, documentIndex++, out);
    }
  }
  return out;
}

/**
 * Whether any document has an error. kubectl applies the documents before a broken one and then stops; whether to
 * apply any is the caller's choice.
 */
export function hasErrors(docs: readonly ManifestDocument[]): boolean {
  return docs.some((d) => d.problems.some((p) => p.severity === 'error'));
}

function readDocument(doc: Document, src: ManifestSource, documentIndex: number, out: ManifestDocument[]): void {
  const problems: ManifestProblem[] = [];
  for (const e of doc.errors) problems.push(syntaxProblem(doc, src, e.code, e.message, e.pos, e.code === 'DUPLICATE_KEY' ? 'warning' : 'error'));
  for (const w of doc.warnings) problems.push(syntaxProblem(doc, src, w.code, w.message, w.pos, 'warning'));
  const entry = (node: Node, object: KubeObject | undefined, extra: ManifestProblem[] = []): void => {
    const s = { ...src, node };
    out.push({ index: out.length, documentIndex, object, range: rangeOf(s, node), problems: [...extra], source: s });
  };
  const contents = doc.contents;
  if (problems.some((p) => p.severity === 'error')) {
    entry(contents ?? (doc as unknown as Node), undefined, problems);
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    entry(contents ?? (doc as unknown as Node), undefined, [...problems, problemAt(src, contents, (e as Error).message)]);
    return;
  }
  if (value === null || value === undefined || !contents) return; // an empty document
  if (!isPlainObject(value)) {
    entry(contents, undefined, [...problems, problemAt(src, contents, 'invalid object to validate')]);
    return;
  }
  if (!isList(value)) {
    entry(contents, value as KubeObject, [...problems, ...kindProblems(src, contents, value)]);
    return;
  }
  const items = value.items ?? [];
  if (!Array.isArray(items)) {
    entry(contents, undefined, [...problems, problemAt(src, contents, `json: cannot unmarshal ${jsonType(items)} into Go struct field decodeList.items of type []json.RawMessage`)]);
    return;
  }
  const itemNodes = listItemNodes(doc, contents);
  const listKind = strField(value, 'kind');
  const listApiVersion = strField(value, 'apiVersion');
  items.forEach((item: unknown, k: number) => {
    const node = itemNodes[k] ?? contents;
    const own = k === 0 ? problems : []; // the list's own warnings go to its first item
    if (!isPlainObject(item)) {
      entry(node, undefined, [...own, problemAt(src, node, `json: cannot unmarshal ${jsonType(item)} into Go value of type map[string]interface {}`)]);
      return;
    }
    if (!strField(item, 'kind') && !strField(item, 'apiVersion')) {
      item.kind = listKind.slice(0, -'List'.length);
      item.apiVersion = listApiVersion;
    }
    if (Array.isArray(item.items)) {
      entry(node, undefined, [...own, problemAt(src, node, '*unstructured.Unstructured is not a list: no Items field in this object')]);
      return;
    }
    entry(node, item as KubeObject, [...own, ...kindProblems(src, node, item)]);
  });
}

/** `List`, `DeploymentList` … with an `items` key (kubectl maps `<Kind>List` kinds through discovery). */
function isList(o: Record<string, unknown>): boolean {
  return 'items' in o && typeof o.kind === 'string' && o.kind.endsWith('List');
}

function jsonType(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v;
}

function strField(o: Record<string, unknown>, k: string): string {
  return typeof o[k] === 'string' ? (o[k] as string) : '';
}

/** kubectl's client-side validation wording (`error validating data: [apiVersion not set, kind not set]`). */
function kindProblems(src: ManifestSource, node: Node, o: Record<string, unknown>): ManifestProblem[] {
  const out: ManifestProblem[] = [];
  const apiVersion = strField(o, 'apiVersion');
  if (!apiVersion) out.push(problemAt(src, keyOrHead(src, node, 'apiVersion'), 'apiVersion not set'));
  else if (apiVersion.split('/').length > 2) out.push(problemAt(src, valueOf(src, node, 'apiVersion'), `unexpected GroupVersion string: ${apiVersion}`));
  if (!strField(o, 'kind')) out.push(problemAt(src, keyOrHead(src, node, 'kind'), 'kind not set'));
  return out;
}

function keyOrHead(src: ManifestSource, node: Node, key: string): Node {
  const m = deref(src.doc, node);
  const p = isMap(m) ? findPair(src.doc, m, key) : undefined;
  return (p?.key as Node | undefined) ?? node;
}

function valueOf(src: ManifestSource, node: Node, key: string): Node {
  const m = deref(src.doc, node);
  const p = isMap(m) ? findPair(src.doc, m, key) : undefined;
  return (p?.value as Node | undefined) ?? node;
}

function listItemNodes(doc: Document, node: Node): Node[] {
  const m = deref(doc, node);
  const p = isMap(m) ? findPair(doc, m, 'items') : undefined;
  const seq = deref(doc, p?.value);
  return isSeq(seq) ? seq.items.map((it) => deref(doc, it) ?? (it as Node)) : [];
}

function rangeOf(src: ManifestSource, node: Node): Range {
  const s = nodeSpan(src, node) ?? [src.offset, src.offset];
  return src.lines.range(s[0], s[1]);
}

/** A problem on a node's first line (the whole node when it fits on one line). */
export function problemAt(src: ManifestSource, node: Node | null | undefined, message: string, severity: Severity = 'error'): ManifestProblem {
  return { range: headRange(src, node), message, severity, code: 'kubelab' };
}

function syntaxProblem(doc: Document, src: ManifestSource, code: string, message: string, pos: [number, number], severity: Severity): ManifestProblem {
  let [start, end] = pos;
  if (code === 'DUPLICATE_KEY') {
    // Name the key as go-yaml does, and underline the whole repeated key.
    visit(doc, {
      Pair(_, pair) {
        const k = pair.key as Node | null;
        if (k?.range?.[0] === start) {
          end = k.range[1];
          message = `key ${JSON.stringify(keyString(k) ?? '')} already set in map`;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  }
  const len = src.lines.text.length;
  start += src.offset;
  end += src.offset;
  if (end <= start) end = start + 1;
  if (start >= len && len > 0) start = len - 1; // at the end of the file: underline the last character
  return { range: src.lines.range(start, Math.min(end, len)), message, severity, code };
}

/**
 * The YAML text as one piece, or, when it nests too deeply somewhere, split at its `---` lines (as kubectl's
 * YAMLReader splits documents) so that only the too-deep documents are refused.
 */
function yamlPieces(text: string): { offset: number; text: string }[] {
  if (depthExceededAt(text) === undefined) return [{ offset: 0, text }];
  const out: { offset: number; text: string }[] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (m.index > start) out.push({ offset: start, text: text.slice(start, m.index) });
    start = m.index;
    marker.lastIndex = m.index + 3;
  }
  out.push({ offset: start, text: text.slice(start) });
  return out;
}

function firstNonBlank(text: string): string {
  const m = /[^\s\uFEFF]/.exec(text);
  return m ? m[0] : '';
}

/**
 * A JSON stream split into its top-level values (kubectl's JSON decoder reads one value after another). Brackets
 * are balanced outside strings; whatever does not start a value, or never closes, is one last piece so the parser
 * reports it.
 */
function jsonValues(text: string): { offset: number; text: string }[] {
  const out: { offset: number; text: string }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[\s\uFEFF]/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] !== '{' && text[i] !== '[') {
      out.push({ offset: start, text: text.slice(start) });
      break;
    }
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) break;
    }
    if (i >= text.length) {
      out.push({ offset: start, text: text.slice(start) });
      break;
    }
    i++;
    out.push({ offset: start, text: text.slice(start, i) });
  }
  return out;
}
