/**
 * The read-only registry documents: what a stored value looks like in the editor, the `kubelab:` URIs that name a
 * key (optionally at a revision), and the labels of the "Show History" quick pick.
 *
 * Contract:
 * - renderValue(value, format): a JSON value (what KubeLab stores: Kubernetes objects) is shown as YAML or JSON with
 *   the key order and number literals as stored. YAML is the `yaml` package's output in kubectl's style: block
 *   collections, sequences not indented under their key, `{}`/`[]` for empty ones, no line folding, and strings
 *   quoted wherever a YAML 1.1 reader (kubectl's sigs.k8s.io/yaml) would take them for something else ("on", "yes",
 *   "2026-01-01", "1_000") or a YAML 1.2 reader would ("0o17"); the YAML 1.1 merge key `<<` is quoted too. A value
 *   that is not JSON is shown as text (languageId plaintext) under a header comment (`#` for yaml, `//` for json)
 *   saying so — and whether it is empty, Kubernetes protobuf (`k8s\0` prefix) or not UTF-8; such bytes are shown as
 *   \xNN escapes (outside printable ASCII, \n and \t).
 * - registryUri(key, rev?, format?) = `kubelab:` + the key (each segment percent-encoded) + `.yaml`|`.json` +
 *   `?rev=N`; parseRegistryUri inverts it and also accepts what VS Code's Uri.toString() makes of it (`%3D` in the
 *   query, re-encoded path characters, an empty authority `kubelab:///…`). Keys must start with exactly one `/` (every
 *   `/registry/…` key does). Anything else parses to undefined.
 * - historyLabel(kv): `rev 1234 · version 3 · 2026-11-26 07:00:01` — the revision, the version (`deleted` for a
 *   tombstone, version 0) and, when the stored object carries one, the newest of its write timestamps (see
 *   TIMESTAMP_PATHS), in UTC.
 */
import { Document, parseDocument, Scalar, visit } from 'yaml';
import { layoutJson } from './json-layout';

export type ValueFormat = 'yaml' | 'json';

export interface RenderedValue {
  text: string;
  /** The VS Code language of `text`: the format, or plaintext when the value is not JSON. */
  languageId: ValueFormat | 'plaintext';
  /** Whether the stored value is JSON. */
  json: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Kubernetes' protobuf envelope starts with these four bytes (k8s.io/apimachinery runtime/serializer/protobuf). */
const PROTOBUF_MAGIC = [0x6b, 0x38, 0x73, 0x00];

function escapeBytes(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) {
    if (b === 0x5c) text += '\\\\';
    else if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x09) text += String.fromCharCode(b);
    else text += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return text;
}

interface Decoded {
  text: string;
  bytes: number;
  kind: 'text' | 'binary' | 'protobuf';
}

function decode(value: string | Uint8Array): Decoded {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  if (PROTOBUF_MAGIC.every((b, i) => bytes[i] === b)) return { text: escapeBytes(bytes), bytes: bytes.length, kind: 'protobuf' };
  if (typeof value === 'string') return { text: value, bytes: bytes.length, kind: 'text' };
  try {
    return { text: utf8.decode(value), bytes: bytes.length, kind: 'text' };
  } catch {
    return { text: escapeBytes(bytes), bytes: bytes.length, kind: 'binary' };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plain scalars a YAML 1.2 (core schema) reader would not read as strings — e.g. `0o17`, which the 1.1 rules leave
 * plain — and the 1.1 merge key `<<`: quoted too, so the text reads the same under both versions.
 */
const MERGE_TAG = 'tag:yaml.org,2002:merge';

const CORE_NON_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|<<|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** kubectl-style block YAML of a document, quoting strings for YAML 1.1 readers. */
function styleYaml(doc: Document): string {
  // YAML 1.1's plain-scalar rules for quoting, without its merge key (a key "<<" is just a string here, quoted).
  doc.setSchema('1.1', { customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== MERGE_TAG) });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string') node.type = CORE_NON_STRING.test(node.value) ? Scalar.QUOTE_DOUBLE : undefined;
    },
    Map(_key, node) {
      node.flow = node.items.length === 0;
    },
    Seq(_key, node) {
      node.flow = node.items.length === 0;
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

function toYaml(text: string): string {
  // Parsing the JSON text as YAML (JSON is YAML 1.2) keeps the stored key order and the exact integers.
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: false });
  return styleYaml(doc.errors.length ? new Document(JSON.parse(text)) : doc);
}

export function renderValue(value: string | Uint8Array, format: ValueFormat): RenderedValue {
  const { text, bytes, kind } = decode(value);
  if (kind === 'text' && isJson(text)) {
    return { text: format === 'yaml' ? toYaml(text) : `${layoutJson(text)}\n`, languageId: format, json: true };
  }
  const comment = format === 'yaml' ? '#' : '//';
  const size = `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let header: string;
  if (bytes === 0) header = 'The stored value is empty.';
  else if (kind === 'protobuf') header = `The stored value is Kubernetes protobuf (${size}), not JSON; shown with \\xNN escapes.`;
  else if (kind === 'binary') header = `The stored value is neither JSON nor UTF-8 text (${size}); shown with \\xNN escapes.`;
  else header = `The stored value is not JSON (${size}); shown as text.`;
  const body = text && !text.endsWith('\n') ? `${text}\n` : text;
  return { text: `${comment} ${header}\n${body}`, languageId: 'plaintext', json: false };
}

// ── URIs ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export const REGISTRY_SCHEME = 'kubelab';

export interface RegistryUriParts {
  key: string;
  rev?: number;
  format: ValueFormat;
}

/** `kubelab:/registry/pods/default/web.yaml?rev=12`. Throws RangeError for a key not starting with exactly one `/`. */
export function registryUri(key: string, rev?: number, format: ValueFormat = 'yaml'): string {
  if (!key.startsWith('/') || key.startsWith('//')) throw new RangeError(`registry key must start with one "/": ${JSON.stringify(key)}`);
  if (rev !== undefined && !(Number.isSafeInteger(rev) && rev > 0)) throw new RangeError(`invalid revision ${rev}`);
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${REGISTRY_SCHEME}:${path}.${format}${rev === undefined ? '' : `?rev=${rev}`}`;
}

export function parseRegistryUri(uri: string): RegistryUriParts | undefined {
  const colon = uri.indexOf(':');
  if (colon < 0 || uri.slice(0, colon).toLowerCase() !== REGISTRY_SCHEME) return undefined;
  let rest = uri.slice(colon + 1);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  let path = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q + 1) : '';
  if (path.startsWith('//')) {
    if (!path.startsWith('///')) return undefined; // a non-empty authority
    path = path.slice(2);
  }
  const format: ValueFormat | undefined = path.endsWith('.yaml') ? 'yaml' : path.endsWith('.json') ? 'json' : undefined;
  if (!format) return undefined;
  let key: string;
  let params: string;
  try {
    key = decodeURIComponent(path.slice(0, -format.length - 1));
    params = decodeURIComponent(query);
  } catch {
    return undefined;
  }
  if (!key.startsWith('/') || key.startsWith('//')) return undefined;
  const parts: RegistryUriParts = { key, format };
  for (const param of params ? params.split('&') : []) {
    if (!param.startsWith('rev=')) continue;
    const text = param.slice(4);
    const rev = Number(text);
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(rev) || rev <= 0) return undefined;
    parts.rev = rev;
  }
  return parts;
}

// ── history ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** One revision of a key, as the store returns it (a KeyValue read at a revision, or a watch event's kv). */
export interface RevisionEntry {
  modRevision: number;
  /** 0 for a delete (tombstone). */
  version: number;
  value?: string | Uint8Array;
}

/**
 * Where a stored object says when it was written; the newest wins. Each path is a list of property names; `*` walks
 * every element of an array (managedFields, conditions).
 */
export const TIMESTAMP_PATHS: readonly (readonly string[])[] = [
  ['metadata', 'creationTimestamp'],
  ['metadata', 'deletionTimestamp'],
  ['metadata', 'managedFields', '*', 'time'],
  ['status', 'conditions', '*', 'lastTransitionTime'],
  ['status', 'conditions', '*', 'lastUpdateTime'],
  ['status', 'conditions', '*', 'lastHeartbeatTime'],
  ['spec', 'renewTime'],
  ['spec', 'acquireTime'],
  ['lastTimestamp'],
  ['eventTime'],
  ['series', 'lastObservedTime'],
];

function collect(node: unknown, path: readonly string[], out: string[]): void {
  if (path.length === 0) {
    if (typeof node === 'string') out.push(node);
    return;
  }
  const [head, ...tail] = path;
  if (head === '*') {
    if (Array.isArray(node)) for (const item of node) collect(item, tail, out);
  } else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    collect((node as Record<string, unknown>)[head!], tail, out);
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The newest write timestamp of a stored object (ms since the epoch), or undefined. */
export function revisionTimestamp(value: string | Uint8Array | undefined): number | undefined {
  if (value === undefined) return undefined;
  const { text, kind } = decode(value);
  if (kind !== 'text' || !text) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return undefined;
  }
  const found: string[] = [];
  for (const p of TIMESTAMP_PATHS) collect(obj, p, found);
  let newest: number | undefined;
  for (const s of found) {
    const ms = RFC3339.test(s) ? Date.parse(s) : NaN;
    if (Number.isFinite(ms) && (newest === undefined || ms > newest)) newest = ms;
  }
  return newest;
}

/** `2026-11-26 07:00:01` (UTC). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function historyLabel(entry: RevisionEntry): string {
  const parts = [`rev ${entry.modRevision}`, entry.version === 0 ? 'deleted' : `version ${entry.version}`];
  const ts = entry.version === 0 ? undefined : revisionTimestamp(entry.value);
  if (ts !== undefined) parts.push(formatTimestamp(ts));
  return parts.join(' · ');
}
