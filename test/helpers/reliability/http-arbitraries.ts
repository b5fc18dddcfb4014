/**
 * fast-check arbitraries of raw HTTP requests against the API server, for the HTTP fuzzer (http-fuzz.ts): methods
 * (unknown ones included), valid API paths of the built-in resources mutated (unknown groups, versions and resources,
 * encoded slashes, dot segments, very long and unicode names, bad percent-encoding), query strings and headers (see
 * http-headers.ts; parameters duplicated at times), bodies (see http-bodies.ts), and writes aimed at the fuzzer's
 * namespace with an object of the endpoint's kind so that objects get stored.
 *
 * Contract: `fuzzRequest(ctx)` yields FuzzRequests that node's HTTPS client can send as they are (request target and
 * header values are latin1 without controls); a request prints itself briefly (body cut) when fast-check shows it.
 */
import fc from 'fast-check';
import type { ResourceInfo } from '../../../src/api/resources';
import { parseRequestTarget } from '../../../src/apiserver/request-target';
import { fuzzBody, seedBody, SEED_RESOURCES, type FuzzBody } from './http-bodies';
import { headersArb, latin1, param, queryString } from './http-headers';

export interface FuzzRequest {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  headers: Record<string, string | string[]>;
  body?: FuzzBody;
}

export interface FuzzContext {
  /** The admin bearer token (most requests must get past authentication to reach decoding). */
  token: string;
  /** The resources paths are built from (non-virtual built-ins). */
  resources: ResourceInfo[];
  /** The namespace the fuzzer owns (created beforehand). */
  namespace: string;
}

/** Names the fuzzer's objects take, few, so creates, reads, updates, patches and deletes meet the same objects. */
export const NAME_POOL = ['fz-0', 'fz-1', 'fz-2'];


const oddSegment = fc.constantFrom(
  '..',
  '.',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  '%00',
  '%zz',
  '%C3%28',
  '%ED%A0%80',
  '%F0%9F%9A%80',
  'Ω',
  'UPPER',
  '-',
  'x'.repeat(254),
  'x'.repeat(64),
  '~',
  '*',
  '%20',
  'default',
  'kube-system',
);
const longName = fc.integer({ min: 253, max: 20_000 }).map((n) => 'n'.repeat(n));
const unicodeName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(latin1);
const randomSegment = fc.oneof(oddSegment, longName, unicodeName, fc.string({ minLength: 1, maxLength: 10 }).map(latin1));

const SUBRESOURCES = ['status', 'scale', 'binding', 'eviction', 'finalize', 'approval', 'ephemeralcontainers', 'resize', 'log', 'token', 'bogus'];

type PathMutation =
  | { op: 'replace'; at: number; seg: string }
  | { op: 'insert'; at: number; seg: string }
  | { op: 'drop'; at: number }
  | { op: 'join'; at: number }
  | { op: 'slashes'; at: number }
  | { op: 'trailing' };

const pathMutation: fc.Arbitrary<PathMutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), seg: fc.oneof(randomSegment, fc.constantFrom('v9', 'v1beta9', 'nope.example.com', 'widgets', 'watch', 'namespaces', 'api', 'apis')) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), seg: fc.oneof(randomSegment, fc.constantFrom('watch', '..', '.', 'status')) }),
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('join' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('slashes' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('trailing' as const) }),
);

function mutatePath(segs: string[], ms: PathMutation[]): string {
  const s = [...segs];
  let trailing = false;
  for (const m of ms) {
    const at = s.length ? ('at' in m ? m.at % s.length : 0) : 0;
    if (m.op === 'replace' && s.length) s[at] = m.seg;
    else if (m.op === 'insert') s.splice(at, 0, m.seg);
    else if (m.op === 'drop' && s.length > 1) s.splice(at, 1);
    else if (m.op === 'join' && at + 1 < s.length) s.splice(at, 2, `${s[at]}%2F${s[at + 1]}`);
    else if (m.op === 'slashes' && s.length) s[at] = `/${s[at]}`;
    else if (m.op === 'trailing') trailing = true;
  }
  return `/${s.join('/')}${trailing ? '/' : ''}`;
}

interface PathChoice {
  resource: number;
  namespace: number;
  name: number;
  sub: number;
  shape: 'collection' | 'item' | 'sub' | 'watch';
}

function apiSegments(r: ResourceInfo, c: PathChoice, ns: string): string[] {
  const segs = r.group ? ['apis', r.group, r.version] : ['api', r.version];
  if (c.shape === 'watch') segs.push('watch');
  const namespaces = [ns, ns, 'default', 'nope', 'kube-system'];
  if (r.namespaced && c.namespace % 7 !== 6) segs.push('namespaces', namespaces[c.namespace % namespaces.length]);
  segs.push(r.resource);
  if (c.shape !== 'collection') segs.push(NAME_POOL[c.name % NAME_POOL.length]);
  if (c.shape === 'sub') segs.push(r.subresources.length && c.sub % 3 ? r.subresources[c.sub % r.subresources.length].name : SUBRESOURCES[c.sub % SUBRESOURCES.length]);
  return segs;
}

const NON_API = ['/', '/version', '/healthz', '/livez', '/readyz', '/readyz/watch-cache', '/healthz/bogus', '/openapi/v3', '/openapi/v2', '/metrics', '/logs', '/favicon.ico', '/api', '/apis', '/api/v1', '/apis/apps', '/apis/apps/v1', '/.well-known/openid-configuration', '/openid/v1/jwks', '/foo', '/foo/bar', '/index.html', '/apiz', '/api-foo'];

function pathArb(ctx: FuzzContext): fc.Arbitrary<string> {
  const choice = fc.record({
    resource: fc.nat({ max: ctx.resources.length - 1 }),
    namespace: fc.nat(),
    name: fc.nat(),
    sub: fc.nat(),
    shape: fc.constantFrom<PathChoice['shape']>('collection', 'collection', 'item', 'item', 'sub', 'watch'),
  });
  const valid = choice.map((c) => `/${apiSegments(ctx.resources[c.resource], c, ctx.namespace).join('/')}`);
  const seeded = ctx.resources.filter((r) => SEED_RESOURCES.includes(`${r.group}/${r.resource}`));
  const aimed = choice.map((c) => `/${apiSegments(seeded[c.resource % seeded.length], c, ctx.namespace).join('/')}`);
  const mutated = fc.tuple(choice, fc.array(pathMutation, { minLength: 1, maxLength: 3 })).map(([c, ms]) => mutatePath(apiSegments(ctx.resources[c.resource], c, ctx.namespace), ms));
  const nonApi = fc.oneof(fc.constantFrom(...NON_API), fc.tuple(fc.constantFrom(...NON_API), randomSegment).map(([p, s]) => `${p.replace(/\/$/, '')}/${s}`));
  return fc.oneof({ weight: 5, arbitrary: aimed }, { weight: 3, arbitrary: valid }, { weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: nonApi });
}

// ---- the request --------------------------------------------------------------------------------------------------

const METHODS = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
  { weight: 3, arbitrary: fc.constantFrom('HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'PURGE', 'TRACE', 'LINK', 'MKCOL', 'FOO', 'get', 'SEARCH') },
);

function brief(r: FuzzRequest): string {
  return `${r.method} ${r.target.length > 300 ? `${r.target.slice(0, 300)}… (${r.target.length} chars)` : r.target}\n${JSON.stringify(r.headers)}\n${r.body ? r.body.describe() : '(no body)'}`;
}

const WRITE_TYPES: Record<string, string[]> = {
  POST: ['application/json', 'application/yaml'],
  PUT: ['application/json'],
  PATCH: ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'],
};

/**
 * A write that reaches the registry: a mutated object of the endpoint's own kind, with a fitting content type, to
 * the fuzzer's namespace (so objects get stored, updated and patched, and the store check has work).
 */
function aimedWrite(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const seeded = SEED_RESOURCES.map((k) => ctx.resources.find((r) => `${r.group}/${r.resource}` === k)!);
  return fc
    .record({ seed: fc.nat({ max: seeded.length - 1 }), name: fc.nat({ max: NAME_POOL.length - 1 }), method: fc.constantFrom('POST', 'POST', 'PUT', 'PATCH'), type: fc.nat(), dry: fc.nat({ max: 9 }) })
    .chain((c) => seedBody(ctx.namespace, NAME_POOL[c.name], c.seed, 3).map((body) => ({ ...c, body })))
    .map((c) => {
      const r = seeded[c.seed];
      const name = r.resource === 'namespaces' ? `${ctx.namespace}-${NAME_POOL[c.name]}` : NAME_POOL[c.name];
      const segs = [...(r.group ? ['apis', r.group, r.version] : ['api', r.version]), ...(r.namespaced ? ['namespaces', ctx.namespace] : []), r.resource, ...(c.method === 'POST' ? [] : [name])];
      const types = WRITE_TYPES[c.method];
      const type = types[c.type % types.length];
      const query = [...(type.startsWith('application/apply') ? ['fieldManager=fuzz'] : []), ...(c.dry === 0 ? ['dryRun=All'] : [])];
      const req: FuzzRequest = { method: c.method, target: `/${segs.join('/')}${query.length ? `?${query.join('&')}` : ''}`, headers: { authorization: `Bearer ${ctx.token}`, 'content-type': type }, body: c.body };
      Object.defineProperty(req, fc.toStringMethod, { value: () => brief(req) });
      return req;
    });
}

/** One request: mostly anything (method, mutated path, query, headers, body), some writes aimed to be stored. */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 4, arbitrary: anyRequest(ctx) }, { weight: 1, arbitrary: aimedWrite(ctx) });
}

function anyRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: METHODS,
      path: pathArb(ctx),
      query: fc.array(param, { maxLength: 4 }),
      dup: fc.boolean(),
      headers: headersArb(ctx),
      body: fuzzBody(ctx.namespace, NAME_POOL),
      bodyless: fc.nat({ max: 9 }),
    })
    .map((c) => {
      const query = c.dup && c.query.length ? [...c.query, c.query[0]] : c.query;
      const writes = c.method === 'POST' || c.method === 'PUT' || c.method === 'PATCH';
      const target = latin1(c.path) + queryString(query);
      // The fuzzer's own namespace stays: deleting it would turn most later requests into 403/404s.
      const own = c.method === 'DELETE' && parseRequestTarget(target)?.path.replace(/\/+/g, '/').replace(/\/$/, '') === `/api/v1/namespaces/${ctx.namespace}`;
      const req: FuzzRequest = { method: own ? 'GET' : c.method, target, headers: c.headers };
      // Writes nearly always carry a body, other methods rarely (DELETE may carry DeleteOptions).
      if (writes ? c.bodyless > 0 : c.bodyless === 0) req.body = c.body;
      Object.defineProperty(req, fc.toStringMethod, { value: () => brief(req) });
      return req;
    });
}
