/**
 * Non-resource endpoints: /version, /healthz, /livez, /readyz (with ?verbose and per-check paths), discovery and
 * OpenAPI v3. Anything else is a 404: a Status under /api and /apis, upstream's plain "404 page not found" elsewhere.
 */
import type { ResourceRegistry } from '../../api/resources';
import { StatusError } from '../../api/status';
import { openApiGroupVersionJson, openApiRoot, type CrdSchemas } from '../../api/openapi';
import type { ApiRequest, ApiResponse } from '../request';
import { aggregated, aggregatedVersion, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kubelab',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface HealthCheck {
  name: string;
  check(): string | undefined; // undefined = ok, otherwise the reason
}

export interface NonResourceContext {
  resources: ResourceRegistry;
  serverAddress: string;
  health: { livez: HealthCheck[]; readyz: HealthCheck[] };
  crdSchemas(group: string, version: string): CrdSchemas | undefined;
}

function health(kind: 'healthz' | 'livez' | 'readyz', checks: HealthCheck[], rest: string, q: URLSearchParams): ApiResponse {
  const exclude = new Set(q.getAll('exclude'));
  const list = [{ name: 'ping', check: () => undefined } as HealthCheck, ...checks].filter((c) => !exclude.has(c.name));
  if (rest) {
    const c = list.find((x) => x.name === rest);
    if (!c) return notFound([kind]);
    const why = c.check();
    return { status: why ? 500 : 200, text: why ? `internal server error: ${why}\n` : 'ok', headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }
  const results = list.map((c) => ({ name: c.name, why: c.check() }));
  const failed = results.filter((r) => r.why);
  const verbose = q.has('verbose') || failed.length > 0;
  let text: string;
  if (!verbose) text = 'ok';
  else {
    text = results.map((r) => (r.why ? `[-]${r.name} failed: reason withheld` : `[+]${r.name} ok`)).join('\n') + '\n';
    text += failed.length ? `${kind} check failed` : `${kind} check passed`;
    if (!failed.length) text += '\n';
  }
  return { status: failed.length ? 500 : 200, text, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } };
}

/**
 * What kube-apiserver answers for a path nothing serves: under /api and /apis (go-restful's routes) the 404 Status;
 * anywhere else its last handler, Go's http.NotFound, in plain text.
 */
function notFound(segs: string[]): ApiResponse {
  if (segs[0] === 'api' || segs[0] === 'apis') throw StatusError.pathNotFound();
  return { status: 404, text: '404 page not found\n', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } };
}

/** What `GET /` lists, as kube-apiserver's index does: every path served, sorted. */
function rootPaths(ctx: NonResourceContext): string[] {
  const list = apiGroupList(ctx.resources) as { groups: { name: string; versions: { groupVersion: string }[] }[] };
  const groups = list.groups.flatMap((g) => [`/apis/${g.name}`, ...g.versions.map((v) => `/apis/${v.groupVersion}`)]);
  const health = (['healthz', 'livez', 'readyz'] as const).flatMap((k) => {
    const checks = k === 'healthz' ? [...ctx.health.livez, ...ctx.health.readyz] : ctx.health[k];
    return [`/${k}`, `/${k}/ping`, ...checks.map((c) => `/${k}/${c.name}`)];
  });
  return [...new Set(['/api', '/api/v1', '/apis', ...groups, ...health, '/openapi/v3', '/version'])].sort();
}

const SERVED_ROOTS = new Set(['version', 'healthz', 'livez', 'readyz', 'api', 'apis', 'openapi']);

export function handleNonResource(ctx: NonResourceContext, req: ApiRequest): ApiResponse {
  const p = req.path.replace(/\/+$/, '') || '/';
  const segs = p.split('/').filter(Boolean);
  if (segs.length > 0 && !SERVED_ROOTS.has(segs[0])) return notFound(segs);
  if (req.method !== 'GET' && req.method !== 'HEAD') throw StatusError.methodNotAllowed();
  const reg = ctx.resources;
  if (segs.length === 0) return { status: 200, body: { paths: rootPaths(ctx) } };
  switch (segs[0]) {
    case 'version':
      if (segs.length === 1) return { status: 200, body: VERSION_INFO };
      break;
    case 'healthz':
      return health('healthz', [...ctx.health.livez, ...ctx.health.readyz], segs.slice(1).join('/'), req.query);
    case 'livez':
      return health('livez', ctx.health.livez, segs.slice(1).join('/'), req.query);
    case 'readyz':
      return health('readyz', ctx.health.readyz, segs.slice(1).join('/'), req.query);
    case 'api': {
      if (segs.length === 1) {
        const agg = aggregatedVersion(req.headers.accept);
        if (agg) {
          const a = aggregated(reg, true, agg);
          return { status: 200, body: a.body, headers: { 'content-type': a.contentType! } };
        }
        return { status: 200, body: apiVersions(ctx.serverAddress) };
      }
      if (segs.length === 2) {
        const l = apiResourceList(reg, '', segs[1]);
        if (l) return { status: 200, body: l };
      }
      break;
    }
    case 'apis': {
      if (segs.length === 1) {
        const agg = aggregatedVersion(req.headers.accept);
        if (agg) {
          const a = aggregated(reg, false, agg);
          return { status: 200, body: a.body, headers: { 'content-type': a.contentType! } };
        }
        return { status: 200, body: apiGroupList(reg) };
      }
      if (segs.length === 2) {
        const g = apiGroup(reg, segs[1]);
        if (g) return { status: 200, body: g };
      }
      if (segs.length === 3) {
        const l = apiResourceList(reg, segs[1], segs[2]);
        if (l) return { status: 200, body: l };
      }
      break;
    }
    case 'openapi': {
      if (segs[1] !== 'v3') break;
      if (segs.length === 2) return { status: 200, body: openApiRoot(reg, (g, v) => ctx.crdSchemas(g, v)) };
      const legacy = segs[2] === 'api';
      const group = legacy ? '' : segs[3];
      const version = legacy ? segs[3] : segs[4];
      if (version && segs.length === (legacy ? 4 : 5)) {
        const doc = openApiGroupVersionJson(reg, group, version, ctx.crdSchemas(group, version));
        if (doc) return { status: 200, rawJson: doc.json, headers: { etag: `"${doc.hash}"` } };
      }
      break;
    }
  }
  return notFound(segs);
}
