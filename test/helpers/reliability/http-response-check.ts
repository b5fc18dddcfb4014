/**
 * What the HTTP fuzzer demands of each response, as kube-apiserver answers: never a 5xx; errors on /api and /apis
 * (and every 401/403, which the authentication and authorization filters answer before routing) are well-formed
 * metav1.Status objects (kind Status, apiVersion v1, status Failure, code equal to the HTTP status, a reason from
 * upstream's StatusReason list — StatusReasonUnknown, omitted, only on a 500 — and a non-empty message); an unknown non-API path is Go's http.NotFound, the plain text
 * "404 page not found"; requests node's HTTP parser refuses (unknown methods, oversized heads, bad Expect) get a
 * bodiless 4xx as Go's net/http gives them.
 *
 * Contract: `checkResponse` is pure and returns the problem as a readable string, or undefined when the response is
 * acceptable; `classify` names the outcome for tallies.
 */
import { parse as parseYaml } from 'yaml';
import { parseRequestTarget } from '../../../src/apiserver/request-target';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body was cut off by the client (streams). */
  truncated: boolean;
}

/** metav1.StatusReason values (k8s.io/apimachinery/pkg/apis/meta/v1/types.go). */
export const STATUS_REASONS = new Set([
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Invalid',
  'ServerTimeout',
  'StoreReadError',
  'Timeout',
  'TooManyRequests',
  'BadRequest',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'Expired',
  'ServiceUnavailable',
]);

/** Statuses node's HTTP layer answers by itself, without a body (Go's net/http does the same, in plain text). */
const TRANSPORT_STATUSES = new Set([400, 414, 417, 431]);

/**
 * Patch engine errors kube-apiserver itself answers with 500 (plain Go errors of apimachinery's strategicpatch and of
 * structured-merge-diff's typed conversion reach the client with StatusReasonUnknown; kubernetes/kubernetes#122480).
 */
const UPSTREAM_APPLY_500 = /^failed to create typed patch object \(/;
const UPSTREAM_PATCH_500 = /^(list element types are not identical: |expected a .+, but received a |unknown patch type: .* in map: |map: .* does not contain declared merge key: |merging an object in json but data type is not struct, instead is: |unable to find api field in struct \w+ for the json field |merging lists cannot yet be specified in the patch$|delete patch type with no merge key defined$)/;

/**
 * 5xx answers kube-apiserver itself gives on purpose: a read at a resourceVersion the cache has not reached yet waits,
 * then gets 504 Timeout with the ResourceVersionTooLarge cause (storage.NewTooLargeResourceVersionError); and the
 * patch engine errors above (only for the patch type whose engine words them).
 */
export function isUpstream5xx(res: FuzzResponse, method: string, target: string, contentType: string): boolean {
  const text = res.body.toString('utf8');
  // A HEAD's 504 has no body to show the cause: the request asked for a resourceVersion.
  if (res.status === 504 && method === 'HEAD') return /[?&]resourceVersion=\d/.test(target);
  if (res.status === 504) return /"reason":"Timeout"/.test(text) && /"reason":"ResourceVersionTooLarge"/.test(text);
  const engine = contentType.startsWith('application/strategic-merge-patch+json') ? UPSTREAM_PATCH_500 : contentType.startsWith('application/apply-patch+yaml') ? UPSTREAM_APPLY_500 : undefined;
  if (res.status !== 500 || method !== 'PATCH' || !engine) return false;
  try {
    return engine.test(String((JSON.parse(text) as { message?: unknown }).message));
  } catch {
    return false;
  }
}

/** Under /api or /apis, leading slashes collapsed as upstream's RequestInfoFactory trims them. */
export function isApiPath(path: string): boolean {
  const p = path.replace(/^\/+/, '/');
  return p === '/api' || p === '/apis' || p.startsWith('/api/') || p.startsWith('/apis/');
}

function header(res: FuzzResponse, name: string): string {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

/** Problems of a body that should be a Status with `code`; undefined when it is one. */
export function statusProblem(text: string, contentType: string, code: number): string | undefined {
  let s: unknown;
  try {
    s = contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch {
    return `the body is not ${contentType.includes('yaml') ? 'YAML' : 'JSON'}: ${JSON.stringify(text.slice(0, 200))}`;
  }
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return `the body is not an object: ${text.slice(0, 200)}`;
  const st = s as Record<string, unknown>;
  const wrong: string[] = [];
  if (st.kind !== 'Status') wrong.push(`kind ${JSON.stringify(st.kind)}`);
  if (st.apiVersion !== 'v1') wrong.push(`apiVersion ${JSON.stringify(st.apiVersion)}`);
  if (st.status !== 'Failure') wrong.push(`status ${JSON.stringify(st.status)}`);
  if (st.code !== code) wrong.push(`code ${JSON.stringify(st.code)} (HTTP ${code})`);
  // StatusReasonUnknown ("", omitted) is what upstream gives a plain Go error turned into a 500 (ErrorToAPIStatus).
  const unknownReason = code === 500 && (st.reason === undefined || st.reason === '');
  if (!unknownReason && (typeof st.reason !== 'string' || !STATUS_REASONS.has(st.reason))) wrong.push(`reason ${JSON.stringify(st.reason)}`);
  if (typeof st.message !== 'string' || !st.message) wrong.push(`message ${JSON.stringify(st.message)}`);
  return wrong.length ? `malformed Status (${wrong.join(', ')}): ${text.slice(0, 300)}` : undefined;
}

/** The outcome class: `2xx`, `4xx:<reason or text>`, `transport-<code>`, `5xx`. */
export function classify(res: FuzzResponse, method: string, target: string, contentType: string): string {
  if (isUpstream5xx(res, method, target, contentType)) return `upstream-${res.status}`;
  if (res.status >= 500) return '5xx';
  if (res.status < 400) return `${Math.floor(res.status / 100)}xx`;
  if (!res.body.length && TRANSPORT_STATUSES.has(res.status)) return `transport-${res.status}`;
  const m = /"reason":"(\w*)"/.exec(res.body.subarray(0, 4096).toString('utf8'));
  return `${res.status}:${m ? m[1] : header(res, 'content-type').split(';')[0]}`;
}

/** The problem with this response to (method, target), or undefined. */
export function checkResponse(method: string, target: string, contentType: string, res: FuzzResponse): string | undefined {
  if (res.status >= 500 && !isUpstream5xx(res, method, target, contentType)) return `HTTP ${res.status}: ${res.body.subarray(0, 400).toString('utf8')}`;
  if (res.status < 400) return undefined;
  if (!res.body.length && TRANSPORT_STATUSES.has(res.status) && !header(res, 'content-type')) return undefined;
  if (method === 'HEAD') return undefined;
  const ct = header(res, 'content-type');
  const text = res.body.toString('utf8');
  const parsed = parseRequestTarget(target);
  if (!parsed) return res.status === 400 && text === '400 Bad Request' ? undefined : `an unparseable request target must answer 400 Bad Request, got ${res.status} ${text.slice(0, 200)}`;
  const path = parsed.path;
  if (isApiPath(path) || res.status === 401 || res.status === 403) {
    if (res.truncated) return `an error Status was cut off (no end after the headers)`;
    return statusProblem(text, ct, res.status);
  }
  if (res.status === 404) {
    if (text !== '404 page not found\n' || !ct.startsWith('text/plain')) return `an unknown non-API path must answer "404 page not found" as text/plain, got ${ct}: ${text.slice(0, 200)}`;
    return undefined;
  }
  if (ct.includes('json') || ct.includes('yaml')) return statusProblem(text, ct, res.status);
  return text ? undefined : `HTTP ${res.status} with an empty body and content type ${JSON.stringify(ct)}`;
}
