/**
 * Content negotiation and decoding: what the client accepts (plain JSON, YAML, a meta.k8s.io Table or
 * PartialObjectMetadata), and request bodies in JSON or YAML with the parser's message and position on failure.
 */
import { isCollection, parseDocument, visit } from 'yaml';
import { StatusError } from '../api/status';
import type { GroupVersionKind } from '../api/object';
import { decodeProtobufBody, isProtobufContentType } from '../api/protobuf';
import { MAX_BODY_BYTES } from './registry/core';

export type OutputForm = 'object' | 'table' | 'metadata';

export interface Negotiated {
  form: OutputForm;
  yaml: boolean;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const eq = kv.indexOf('=');
        if (eq > 0) p[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
      }
      return { type: type.toLowerCase(), params: p };
    })
    .filter((m) => m.type);
}

const JSONISH = new Set(['application/json', '*/*', 'application/*', 'application/json-seq']);

/**
 * Picks the first media range we can serve. Protobuf is never served; a client that also accepts JSON (as kubectl
 * does) gets JSON, one that accepts only protobuf gets 406.
 */
export function negotiate(accept: string | undefined, allowTable: boolean): Negotiated {
  if (!accept) return { form: 'object', yaml: false };
  const ranges = parseAccept(accept);
  for (const m of ranges) {
    const as = m.params.as;
    if ((m.type === 'application/json' || m.type === 'application/yaml') && as) {
      const g = m.params.g;
      if (g !== undefined && g !== 'meta.k8s.io') continue;
      if (as === 'Table' && allowTable) return { form: 'table', yaml: m.type === 'application/yaml' };
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && allowTable) return { form: 'metadata', yaml: m.type === 'application/yaml' };
      continue;
    }
    if (JSONISH.has(m.type)) return { form: 'object', yaml: false };
    if (m.type === 'application/yaml') return { form: 'object', yaml: true };
  }
  throw StatusError.notAcceptable(['application/json', 'application/yaml']);
}

/** Decodes a request body as JSON or YAML (by Content-Type; YAML is a superset, so unknown types try YAML). */
/**
 * Decodes a request body: JSON, YAML, or (built-in kinds; `expected` given) Kubernetes protobuf, which kubectl's
 * typed clients send. `expected` names the endpoint's kind for upstream's error wording and envelope defaults.
 */
export function decodeBody(body: Buffer | string | object | undefined, contentType: string | undefined, expected?: GroupVersionKind & { crd?: boolean }): unknown {
  if (body === undefined) return undefined;
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return structuredClone(body);
  const size = Buffer.isBuffer(body) ? body.length : Buffer.byteLength(body);
  if (size > MAX_BODY_BYTES) throw StatusError.tooLarge(MAX_BODY_BYTES);
  if (isProtobufContentType(contentType)) {
    if (!expected || expected.crd) throw StatusError.unsupportedMediaType(['application/json', 'application/yaml']);
    return decodeProtobufBody(Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), expected).object;
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (text.trim() === '') return undefined;
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (!DECODABLE.test(ct)) {
    throw StatusError.unsupportedMediaType(expected && !expected.crd ? ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] : ['application/json', 'application/yaml']);
  }
  if (ct.endsWith('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return mayNestTooDeep(text) ? checkDepth(parsed) : parsed;
    } catch (e) {
      if (e instanceof StatusError) throw e;
      if (e instanceof RangeError) throw tooDeep();
      const msg = jsonErrorMessage(text, e as Error);
      throw StatusError.badRequest(expected ? `the object provided is unrecognized (must be of type ${expected.kind}): ${msg}` : msg);
    }
  }
  return decodeYaml(text);
}

/** Deepest nesting a body may have: every later stage walks objects recursively. */
export const MAX_DEPTH = 1000;

function tooDeep(): StatusError {
  return StatusError.badRequest(`the request body is nested more than ${MAX_DEPTH} levels deep`);
}

/** Rejects bodies nested deeper than MAX_DEPTH (the walk stops there, so it cannot overflow the stack itself). */
export function checkDepth<T>(v: T): T {
  walkDepth(v, 1);
  return v;
}

function walkDepth(x: unknown, depth: number): void {
  if (typeof x !== 'object' || x === null) return;
  if (depth > MAX_DEPTH) throw tooDeep();
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) walkDepth(x[i], depth + 1);
    return;
  }
  const o = x as Record<string, unknown>;
  for (const k in o) walkDepth(o[k], depth + 1);
}

/**
 * Whether JSON text may nest deeper than MAX_DEPTH: only if it has more than MAX_DEPTH opening brackets (counting
 * those inside strings too, which can only overcount). Most bodies have a few hundred at most and skip the walk.
 */
function mayNestTooDeep(text: string): boolean {
  let n = 0;
  for (const c of ['{', '[']) {
    for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) if (++n > MAX_DEPTH) return true;
  }
  return false;
}

/** Request bodies we decode; protobuf and CBOR get 415 (clients such as kubectl then retry with JSON). */
const DECODABLE = /^(application\/([a-z0-9.+-]*json|yaml|x-yaml|apply-patch\+yaml)|text\/(plain|yaml)|\*\/\*)$/;

/**
 * Deepest flow nesting ([ and {) of a YAML text, quoted scalars skipped; a guard run before parsing, because the
 * parser recurses per level (a 3 MiB run of "[" kept the event loop for seconds before overflowing the stack).
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
    else if ((c === 0x22 || c === 0x27) && depth > 0) {
      const close = text.indexOf(text[i], i + 1);
      if (close < 0) break;
      i = close;
    }
  }
  return max;
}

export function decodeYaml(text: string): unknown {
  if (flowDepth(text) > MAX_DEPTH) throw tooDeep();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, version: '1.2' });
  if (doc.errors.length) {
    const e = doc.errors[0];
    // Block nesting deep enough to overflow the parser's stack is the same refusal as deep flow nesting.
    if (e.message.includes('Maximum call stack size exceeded')) throw tooDeep();
    const pos = e.linePos?.[0];
    throw StatusError.badRequest(`error converting YAML to JSON: yaml: line ${pos?.line ?? 0}: ${e.message.split('\n')[0]}`);
  }
  try {
    const key = collectionKey(doc);
    if (key !== undefined) throw StatusError.badRequest(`error converting YAML to JSON: yaml: invalid map key: ${goValue(key)}`);
    return checkDepth(doc.toJS({ maxAliasCount: 100 }));
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep();
    if (e instanceof StatusError) throw e;
    // Unknown anchors and alias bombs: the body is bad, not the server (upstream: 400 "yaml: unknown anchor …").
    throw StatusError.badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The first mapping key that is a sequence or mapping (JSON has only string keys; upstream refuses them). */
function collectionKey(doc: ReturnType<typeof parseDocument>): unknown {
  let key: unknown;
  visit(doc, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return undefined;
      key = pair.key.toJSON();
      return visit.BREAK;
    },
  });
  return key;
}

/** A decoded YAML value as Go's %#v prints what yaml.v2 made of it (the wording of "invalid map key"). */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'object') return `map[interface {}]interface {}{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${goValue(x)}`).join(', ')}}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Go's encoding/json words syntax errors with a byte offset; we give line and column too. */
function jsonErrorMessage(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return `couldn't get version/kind; json parse error: ${e.message}`;
  const offset = Number(m[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `couldn't get version/kind; json parse error: ${e.message.replace(/ in JSON at position \d+.*$/, '')} (line ${line}, column ${col})`;
}
