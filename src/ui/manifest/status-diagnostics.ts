/**
 * API errors → diagnostics on the manifest node they are about, worded as kubectl prints them.
 *
 * - 422 Invalid: one diagnostic per cause, at the cause's field (`spec.replicas: Invalid value: -1: must be greater
 *   than or equal to 0`); a cause on a whole map or list that quotes its bad value (`metadata.labels: Invalid value:
 *   "bad value!"`) lands on the entry holding that value; a cause without a field, or a 422 without causes, lands on
 *   the document's first line.
 * - 400 BadRequest and 500 (server-side apply's schema errors are 500s upstream), by what the message names:
 *   strict decoding (`strict decoding error: unknown field "spec.replica", duplicate field "x"`) → one per field, on
 *   the key; Go type errors (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
 *   int32`) → that field; structured-merge-diff (`failed to create typed patch object (…): .spec.replica: field not
 *   declared in schema`, or `errors:` and one per line) → each path; the namespace/name/managedFields/object-type
 *   mismatches → that field. A 400 naming no field lands on the document's first line; a 500 naming none → undefined.
 * - Anything else (401, 403, 404, 409, 429, 5xx …) → undefined: the caller shows a notification.
 *
 * Warnings (fieldValidation=Warn: `unknown field "spec.replica"`, `duplicate field "x"`) → warning diagnostics.
 */
import type { Status, StatusCause } from '../../api/status';
import type { ManifestDocument } from './parse';
import { locateField, type LocateOptions } from './field-range';
import { headRange, type Range, type Severity } from './source';

export interface ManifestDiagnostic {
  range: Range;
  message: string;
  severity: Severity;
  source: 'kubelab';
  /** The cause's reason (`FieldValueInvalid`), the Status reason, or the parse problem's code. */
  code?: string;
}

type Doc = Pick<ManifestDocument, 'source'>;

/** A Status from a Status object, a StatusError (`.status`) or a response (`.body`); undefined if none. */
export function asStatus(x: unknown): Status | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.code === 'number' && (o.kind === 'Status' || typeof o.reason === 'string' || typeof o.message === 'string')) return o as unknown as Status;
  if (typeof o.status === 'object' && o.status !== null) return asStatus(o.status);
  if (typeof o.body === 'object' && o.body !== null) return asStatus(o.body);
  return undefined;
}

export function statusDiagnostics(error: unknown, doc: Doc): ManifestDiagnostic[] | undefined {
  const status = asStatus(error);
  if (!status) return undefined;
  const message = status.message ?? '';
  if (status.code === 422 || status.reason === 'Invalid') return invalidDiagnostics(status, doc);
  if (status.code !== 400 && status.code !== 500) return undefined;
  const found = messageDiagnostics(message, doc, 'error', status.reason);
  if (found.length) return found;
  return status.code === 400 ? [onHead(doc, message, 'error', status.reason)] : undefined;
}

/**
 * The API server's warnings for one request → warning diagnostics. Each is the text (`unknown field "x"`) or the
 * whole `Warning` header value (`299 - "unknown field \"x\""`).
 */
export function warningDiagnostics(warnings: readonly string[], doc: Doc): ManifestDiagnostic[] {
  return warnings.flatMap(warningTexts).flatMap((w) => {
    const found = messageDiagnostics(w, doc, 'warning', 'Warning');
    return found.length ? found : [onHead(doc, w, 'warning', 'Warning')];
  });
}

/** The parse problems of documents as diagnostics. */
export function problemDiagnostics(docs: readonly Pick<ManifestDocument, 'problems'>[]): ManifestDiagnostic[] {
  return docs.flatMap((d) => d.problems.map((p) => ({ range: p.range, message: p.message, severity: p.severity, source: 'kubelab' as const, code: p.code })));
}

/** `299 - "a", 299 - "b"` (RFC 7234 warn-code, agent, quoted text; headers joined by commas) → texts; else as is. */
function warningTexts(w: string): string[] {
  const texts = [...w.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => unquote(m[1]));
  return texts.length ? texts : [w];
}

function diag(range: Range, message: string, severity: Severity, code?: string): ManifestDiagnostic {
  const d: ManifestDiagnostic = { range, message, severity, source: 'kubelab' };
  if (code) d.code = code;
  return d;
}

function onHead(doc: Doc, message: string, severity: Severity, code?: string): ManifestDiagnostic {
  return diag(headRange(doc.source, doc.source.node), message, severity, code);
}

function at(doc: Doc, field: string, message: string, severity: Severity, code: string | undefined, opts: LocateOptions = {}): ManifestDiagnostic {
  return diag(locateField(doc, field, opts).range, message, severity, code);
}

function invalidDiagnostics(status: Status, doc: Doc): ManifestDiagnostic[] {
  const causes: (StatusCause & { type?: string })[] = status.details?.causes ?? [];
  if (!causes.length) return [onHead(doc, status.message ?? 'Invalid', 'error', status.reason)];
  return causes.map((c) => {
    const field = c.field && c.field !== '<nil>' ? c.field : '';
    const body = c.message ?? '';
    const code = c.reason ?? c.type;
    if (!field) return onHead(doc, body, 'error', code);
    return at(doc, field, `${field}: ${body}`, 'error', code, { badValue: quotedBadValue(body) });
  });
}

/** The bad value a field error body quotes: `Invalid value: "x": …` → `x`, `Invalid value: -1: …` → -1. */
function quotedBadValue(body: string): unknown {
  const m = /^(?:Invalid value|Unsupported value|Duplicate value|Not found): ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)/.exec(body);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
  }
}

const FIELD_MESSAGES: [RegExp, string, LocateOptions['prefer']][] = [
  [/the namespace of the provided object does not match the namespace sent on the request/, 'metadata.namespace', 'value'],
  [/the name of the object \(.*\) does not match the name on the URL/, 'metadata.name', 'value'],
  [/metadata\.managedFields must be nil/, 'metadata.managedFields', 'key'],
  [/invalid object type: /, 'kind', 'value'],
];

function messageDiagnostics(message: string, doc: Doc, severity: Severity, code: string | undefined): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const m of message.matchAll(/(unknown|duplicate) field "((?:[^"\\]|\\.)*)"/g)) {
    const field = unquote(m[2]);
    out.push(at(doc, field, `${m[1]} field ${JSON.stringify(field)}`, severity, code, { prefer: 'key' }));
  }
  const goType = /json: cannot unmarshal \S+ into Go struct field [A-Za-z0-9_]+\.(\S+) of type \S+/.exec(message);
  if (goType) out.push(at(doc, goType[1], goType[0], severity, code, { anyIndex: true }));
  const smd = /failed to create typed patch object \([^)]*\): ([\s\S]*)$/.exec(message);
  if (smd) {
    for (const line of smd[1].split('\n')) {
      const e = smdError(line.trim());
      if (e) out.push(at(doc, e.path, `${e.path}: ${e.message}`, severity, code, { prefer: e.message === 'field not declared in schema' ? 'key' : 'value' }));
    }
  }
  if (out.length) return out;
  for (const [re, field, prefer] of FIELD_MESSAGES) if (re.test(message)) return [at(doc, field, message, severity, code, { prefer })];
  return out;
}

function unquote(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/** `.spec.containers[name="web"].imagez: field not declared in schema` → path and message. */
function smdError(line: string): { path: string; message: string } | undefined {
  let i = 0;
  while (i < line.length && (line[i] === '.' || line[i] === '[')) {
    if (line[i] === '.') {
      i++;
      while (i < line.length && !'.[:'.includes(line[i])) i++;
      continue;
    }
    let quoted = false;
    for (i++; i < line.length; i++) {
      if (quoted && line[i] === '\\') i++;
      else if (line[i] === '"') quoted = !quoted;
      else if (line[i] === ']' && !quoted) break;
    }
    i++;
  }
  if (i === 0 || line.slice(i, i + 2) !== ': ') return undefined;
  return { path: line.slice(0, i), message: line.slice(i + 2) };
}
