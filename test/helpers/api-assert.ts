/**
 * Small request and assertion helpers for API tests that talk to an API server through a client Transport only:
 * typed shorthands for REST calls, exact checks of Kubernetes `Status` bodies (upstream's shape, field for field),
 * header access that works for both transports (a header may arrive as a string or as an array of values), object
 * builders, and deep copies of responses (in-process bodies may be frozen objects shared with the watch cache).
 */
import * as assert from 'node:assert/strict';
import type { RestRequest, RestResponse, Transport } from '../../src/client/transport';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const MERGE = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC = 'application/strategic-merge-patch+json';
export const APPLY = 'application/apply-patch+yaml';

/** What kubectl sends for `kubectl get` (Table first, plain JSON last). */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
/** What kubectl sends to /api and /apis (aggregated discovery first). */
export const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

type Query = RestRequest['query'];
type Extra = Omit<RestRequest, 'method' | 'path' | 'body' | 'query'>;

/** REST shorthands over one transport. */
export class Api {
  constructor(readonly t: Transport) {}

  get(path: string, query?: Query, extra: Extra = {}): Promise<RestResponse> {
    return this.t.request({ method: 'GET', path, query, ...extra });
  }

  post(path: string, body: unknown, query?: Query, extra: Extra = {}): Promise<RestResponse> {
    return this.t.request({ method: 'POST', path, body, query, ...extra });
  }

  put(path: string, body: unknown, query?: Query, extra: Extra = {}): Promise<RestResponse> {
    return this.t.request({ method: 'PUT', path, body, query, ...extra });
  }

  patch(path: string, contentType: string, body: unknown, query?: Query, extra: Extra = {}): Promise<RestResponse> {
    return this.t.request({ method: 'PATCH', path, body, query, contentType, ...extra });
  }

  delete(path: string, body?: unknown, query?: Query, extra: Extra = {}): Promise<RestResponse> {
    return this.t.request({ method: 'DELETE', path, body, query, ...extra });
  }

  /** The body of a successful call, asserting the exact status code. */
  async ok(p: Promise<RestResponse>, status = 200): Promise<Obj> {
    const res = await p;
    expectCode(res, status);
    return copy(res.body as Obj);
  }
}

export function copy<T>(v: T): T {
  return structuredClone(v);
}

function brief(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 1500 ? `${s.slice(0, 1500)}…` : s;
}

export function expectCode(res: RestResponse, status: number): void {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${res.status}: ${brief(res.body)}`);
}

export interface ExpectedStatus {
  code: number;
  reason: string;
  message: string;
  /** The exact details object; omit when upstream sends none. */
  details?: Obj;
}

/** The response is exactly upstream's failure Status (HTTP code, kind, apiVersion, reason, message, details). */
export function expectStatus(res: RestResponse, e: ExpectedStatus): void {
  expectCode(res, e.code);
  assert.deepEqual(res.body, failure(e));
}

export function failure(e: ExpectedStatus): Obj {
  const s: Obj = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: e.reason };
  if (e.details !== undefined) s.details = e.details;
  s.code = e.code;
  return s;
}

/** All values of a response header (lower-case name), whichever transport produced it. */
export function headerValues(res: RestResponse, name: string): string[] {
  for (const [k, v] of Object.entries(res.headers)) {
    if (k.toLowerCase() !== name || v === undefined) continue;
    return Array.isArray(v) ? v : [v];
  }
  return [];
}

export function rvOf(o: Obj): number {
  const rv = o?.metadata?.resourceVersion;
  assert.match(String(rv), /^[1-9]\d*$/, `resourceVersion of ${brief(o)}`);
  return Number(rv);
}

/** Names of a list's items, leaving out the kube-root-ca.crt ConfigMap every namespace has. */
export function names(list: Obj): string[] {
  return (list.items as Obj[]).map((i) => i.metadata.name as string).filter((n) => n !== 'kube-root-ca.crt');
}

export function cm(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

export function pod(name: string, extra: { nodeName?: string; labels?: Record<string, string> } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
}

export function deployment(name: string, replicas = 2, containers: Obj[] = [{ name: 'web', image: 'nginx:1.27' }]): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
  };
}
