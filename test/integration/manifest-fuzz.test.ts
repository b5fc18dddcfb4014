/**
 * Property test of the write path against a real in-process API server (sql.js store in a temporary directory):
 * valid Pods, Deployments, Services and ConfigMaps are mutated at random — fields deleted, values replaced by other
 * types, random and unicode strings, huge numbers and strings, deep nesting, strategic-merge directives — and sent
 * with create, update and all four patch types; random text is also sent as YAML manifests and patches. Properties:
 * no request ever gets a 5xx (the failing request and response are printed), every object the server stored (2xx)
 * passes semantic validation when re-read, and the server still answers /readyz afterwards.
 *
 * Bounded: at most 300 runs (FUZZ_RUNS may lower it) and 50 s; FUZZ_SEED fixes the seed (default 20240601 — set it to
 * explore other inputs). Lives in test/integration because .ci/test.mjs only collects unit, conformance and
 * integration tests.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { GroupVersionKind } from '../../src/api/object';
import { fieldErrorMessage } from '../../src/api/field-errors';
import type { RestRequest, RestResponse, Transport } from '../../src/client/transport';
import { validateCreate, validateUpdate } from '../../src/apiserver/validation';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JObj = { [k: string]: Json };

const NS = 'fuzz';
const RUNS = Math.min(Number(process.env.FUZZ_RUNS ?? 300), 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const STRICT = process.env.FUZZ_STRICT === '1';

/**
 * Patch-engine failures that kube-apiserver itself answers with HTTP 500 (plain Go errors from strategicpatch and
 * the structured-merge-diff type converter reach the client as InternalError; e.g. kubernetes/kubernetes#122480).
 * KubeLab mirrors them word for word, so they are tallied, not failed, unless FUZZ_STRICT=1.
 */
const UPSTREAM_500 = [
  /^list element types are not identical: /,
  /^expected a .+, but received a .+$/,
  /^unknown patch type: .* in map: /,
  /^map: .* does not contain declared merge key: /,
  /^merging an object in json but data type is not struct, instead is: /,
  /^unable to find api field in struct \w+ for the json field /,
  /^failed to create typed patch object \(/,
  /^merging lists cannot yet be specified in the patch$/,
  /^delete patch type with no merge key defined$/,
];

interface Kind {
  gvk: GroupVersionKind;
  collection: string;
  seed(name: string): JObj;
}

const KINDS: Kind[] = [
  {
    gvk: { group: '', version: 'v1', kind: 'Pod' },
    collection: `/api/v1/namespaces/${NS}/pods`,
    seed: (name) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'web' }, annotations: { note: 'x' } },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'nginx:1.27',
            ports: [{ name: 'http', containerPort: 80 }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
            env: [{ name: 'MODE', value: 'x' }],
          },
        ],
        tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    }),
  },
  {
    gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
    collection: `/apis/apps/v1/namespaces/${NS}/deployments`,
    seed: (name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 } } }] },
        },
      },
    }),
  },
  {
    gvk: { group: '', version: 'v1', kind: 'Service' },
    collection: `/api/v1/namespaces/${NS}/services`,
    seed: (name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }] },
    }),
  },
  {
    gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
    collection: `/api/v1/namespaces/${NS}/configmaps`,
    seed: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { tier: 'cfg' } }, data: { 'app.properties': 'a=1', key: 'v' } }),
  },
];

// ---- mutations -------------------------------------------------------------------------------------------------

type Path = (string | number)[];

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 2 ** 31, -(2 ** 31) - 1, 4294967296, 1e21, 0.5, -0.000001);
const hugeString = fc.integer({ min: 64, max: 300_000 }).map((n) => 'x'.repeat(n));
const oddString = fc.constantFrom('', ' ', '-', '.', '..', '/', '%', 'a/b/c', 'None', '0', '-1', '1e3', '10Gi', '$patch', 'a=b', 'Ω', '🚀', '\u0000', 'x'.repeat(64));
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), oddString);

/** Objects and arrays nested `depth` deep; fast-check prints it as `nested(depth)` (its own printer would overflow). */
function nested(depth: number, leaf: Json): Json {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { n: v };
  Object.defineProperty(v, fc.toStringMethod, { value: () => `nested(${depth})` });
  return v;
}

const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: hugeNumber },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 3000 }).map((d) => nested(d, 'deep')) },
  { weight: 1, arbitrary: fc.dictionary(anyString, anyString, { maxKeys: 4 }) as fc.Arbitrary<Json> },
);

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: Json }
  | { op: 'retype'; at: number }
  | { op: 'add'; at: number; key: string; value: Json }
  | { op: 'directive'; at: number; key: string; value: Json }
  | { op: 'perturb'; at: number; str: string; num: number; flag: boolean }
  | { op: 'name'; value: string };

const perturbation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constant('perturb' as const),
  at: fc.nat(),
  str: anyString,
  num: fc.oneof(fc.integer({ min: -70000, max: 70000 }), hugeNumber),
  flag: fc.boolean(),
});

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: perturbation },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(anyString, fc.constantFrom('spec', 'status', 'metadata', 'ports', 'selector')), value }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('directive' as const),
      at: fc.nat(),
      key: fc.constantFrom('$patch', '$retainKeys', '$deleteFromPrimitiveList/args', '$setElementOrder/containers', '$setElementOrder/ports'),
      value: fc.oneof(fc.constantFrom('delete', 'replace', 'merge', 'bogus'), value),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('name' as const), value: anyString }) },
);

/** Half the cases only perturb values (types kept, so decoding passes and semantic validation decides). */
const mutations = fc.oneof(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(perturbation, { minLength: 1, maxLength: 6 }));

/** Every location in the document (the root included) down to 32 levels (deep-nested values are not entered). */
function paths(doc: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length >= 32) return out;
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...at, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...at, k], out);
  return out;
}

function parentOf(doc: Json, p: Path): { parent: Json; key: string | number } | undefined {
  if (!p.length) return undefined;
  let cur: Json = doc;
  for (const k of p.slice(0, -1)) cur = (cur as Record<string | number, Json>)[k];
  return { parent: cur, key: p[p.length - 1] };
}

function retype(v: Json): Json {
  if (typeof v === 'string') return /^\d+$/.test(v) ? Number(v) : [v];
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 0;
  if (v === null) return {};
  if (Array.isArray(v)) return v.length ? v[0] : {};
  return Object.keys(v).length ? Object.values(v) : 'object';
}

/** A value of the same JSON type (so it passes decoding and reaches semantic validation). */
function perturb(v: Json, p: Path, m: { str: string; num: number; flag: boolean }): Json {
  if (p.length === 1 && (p[0] === 'apiVersion' || p[0] === 'kind')) return v;
  if (typeof v === 'string') return m.str;
  if (typeof v === 'number') return m.num;
  if (typeof v === 'boolean') return m.flag;
  return v;
}

/** Applies the mutations to a deep copy; `nulls` marks deletions as null (merge-patch style). */
function mutate(base: JObj, ms: Mutation[], nulls = false): JObj {
  const doc = structuredClone(base) as JObj;
  for (const m of ms) {
    if (m.op === 'name') {
      if (doc.metadata && typeof doc.metadata === 'object' && !Array.isArray(doc.metadata)) doc.metadata.name = m.value;
      continue;
    }
    const all = paths(doc);
    const p = all[m.at % all.length];
    const target = p.reduce<Json>((cur, k) => (cur as Record<string | number, Json>)[k], doc);
    const loc = parentOf(doc, p);
    if (m.op === 'add' || m.op === 'directive') {
      if (target && typeof target === 'object' && !Array.isArray(target)) target[m.key] = m.value;
      else if (Array.isArray(target)) target.push(m.op === 'directive' ? { [m.key]: m.value } : m.value);
      continue;
    }
    if (!loc) continue; // the root itself is never deleted or replaced
    const parent = loc.parent as Record<string | number, Json>;
    if (m.op === 'delete') {
      if (Array.isArray(parent) && !nulls) parent.splice(loc.key as number, 1);
      else if (nulls) parent[loc.key] = null;
      else delete parent[loc.key];
    } else if (m.op === 'set') parent[loc.key] = m.value;
    else if (m.op === 'perturb') parent[loc.key] = perturb(parent[loc.key], p, m);
    else parent[loc.key] = retype(parent[loc.key]);
  }
  return doc;
}

/** A JSON Patch (RFC 6902) document aimed at the object's own paths, with some bad operations mixed in. */
interface JsonPatchOp {
  op: string;
  at: number;
  from: number;
  value: Json;
  raw: string | null;
}

const jsonPatchOp: fc.Arbitrary<JsonPatchOp> = fc.record({
  op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
  at: fc.nat(),
  from: fc.nat(),
  value,
  raw: fc.option(anyString, { freq: 5 }),
});

function pointer(p: Path): string {
  return p.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function jsonPatch(doc: JObj, ops: JsonPatchOp[]): Json[] {
  const all = paths(doc);
  return ops.map((o) => {
    const path = o.raw ?? pointer(all[o.at % all.length]);
    const op: JObj = { op: o.op, path };
    if (o.op === 'move' || o.op === 'copy') op.from = pointer(all[o.from % all.length]);
    if (o.op === 'add' || o.op === 'replace' || o.op === 'test') op.value = o.value;
    return op;
  });
}

// ---- the property ------------------------------------------------------------------------------------------------

type Verb = 'create' | 'update' | 'merge' | 'strategic' | 'json' | 'apply' | 'raw';
const PATCH_TYPES: Record<string, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

interface Case {
  kind: number;
  verb: Verb;
  mutations: Mutation[];
  jsonOps: JsonPatchOp[];
  raw: Json;
  force: boolean;
}

const testCase: fc.Arbitrary<Case> = fc.record({
  kind: fc.nat({ max: KINDS.length - 1 }),
  verb: fc.constantFrom<Verb>('create', 'update', 'merge', 'strategic', 'json', 'apply', 'raw'),
  mutations,
  jsonOps: fc.array(jsonPatchOp, { minLength: 1, maxLength: 3 }),
  raw: fc.oneof(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, fc.string(), fc.string({ unit: 'grapheme', maxLength: 30 })),
  force: fc.boolean(),
});

function brief(v: unknown, max = 4000): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

function describeRequest(req: RestRequest): string {
  return `${req.method} ${req.path}${req.query ? ` ${JSON.stringify(req.query)}` : ''} (${req.contentType ?? 'application/json'})\n${brief(req.body)}`;
}

describe('manifest fuzzing against the in-process API server', () => {
  let cluster: TestCluster | undefined;
  let api: Transport;
  let counter = 0;
  const stats: Record<string, number> = {};
  const upstream500s: string[] = [];

  before(async () => {
    cluster = await startTestCluster();
    api = cluster.inProcess();
    const res = await api.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    assert.equal(res.status, 201, brief(res.body));
  });

  after(async () => {
    await cluster?.stop();
  });

  async function send(req: RestRequest): Promise<RestResponse> {
    const res = await api.request(req);
    const tally = `${req.method}${req.contentType ? ` ${req.contentType}` : ''} → ${res.status}`;
    stats[tally] = (stats[tally] ?? 0) + 1;
    if (res.status >= 500) {
      const message = String((res.body as { message?: unknown } | undefined)?.message ?? '');
      const upstream = !STRICT && res.status === 500 && req.method === 'PATCH' && UPSTREAM_500.some((re) => re.test(message));
      if (upstream) upstream500s.push(message.slice(0, 200));
      else assert.fail(`HTTP ${res.status} for\n${describeRequest(req)}\n=> ${brief(res.body)}`);
    }
    return res;
  }

  /** Re-reads a stored object (`name` as it appears in the URL) and runs semantic validation on it. */
  async function checkStored(kind: Kind, name: string, stage: string): Promise<void> {
    const res = await send({ method: 'GET', path: `${kind.collection}/${name}` });
    assert.equal(res.status, 200, `${stage}: stored object ${name} could not be read back: ${brief(res.body)}`);
    const stored = structuredClone(res.body) as Parameters<typeof validateCreate>[1];
    const errs = [...validateCreate(kind.gvk, stored), ...validateUpdate(kind.gvk, stored, stored)];
    assert.deepEqual(errs.map(fieldErrorMessage), [], `${stage}: the stored ${kind.gvk.kind} fails validation:\n${brief(stored)}`);
  }

  it(`never answers 5xx and stores only valid objects (≤ ${RUNS} runs, seed ${SEED})`, { timeout: 120_000 }, async (t) => {
    await fc.assert(
      fc.asyncProperty(testCase, async (c) => {
        const kind = KINDS[c.kind];
        const name = `obj-${++counter}`;
        const seed = kind.seed(name);
        if (c.verb === 'create') {
          const body = mutate(seed, c.mutations);
          const res = await send({ method: 'POST', path: kind.collection, body });
          if (res.status >= 300) return;
          const stored = encodeURIComponent(String((res.body as { metadata: { name: string } }).metadata.name));
          await checkStored(kind, stored, 'create');
          await send({ method: 'DELETE', path: `${kind.collection}/${stored}`, query: { gracePeriodSeconds: 0 } });
          return;
        }
        const created = await send({ method: 'POST', path: kind.collection, body: seed });
        assert.equal(created.status, 201, `the valid seed was refused: ${brief(created.body)}`);
        const path = `${kind.collection}/${name}`;
        const current = structuredClone(created.body) as JObj;
        let req: RestRequest;
        switch (c.verb) {
          case 'update':
            req = { method: 'PUT', path, body: mutate(current, c.mutations) };
            break;
          case 'merge':
          case 'strategic':
            req = { method: 'PATCH', path, contentType: PATCH_TYPES[c.verb], body: mutate(seed, c.mutations, true) };
            break;
          case 'json':
            req = { method: 'PATCH', path, contentType: PATCH_TYPES.json, body: jsonPatch(current, c.jsonOps) };
            break;
          case 'apply':
            req = { method: 'PATCH', path, contentType: PATCH_TYPES.apply, body: mutate(seed, c.mutations), query: { fieldManager: 'fuzz', force: c.force } };
            break;
          default: {
            // A random document (JSON, or any text as YAML) as a patch of each type, or as a YAML manifest to create.
            const type = ['merge', 'strategic', 'json', 'apply', 'create'][counter % 5];
            req =
              type === 'create'
                ? { method: 'POST', path: kind.collection, contentType: 'application/yaml', body: typeof c.raw === 'string' ? c.raw : JSON.stringify(c.raw) }
                : { method: 'PATCH', path, contentType: PATCH_TYPES[type], body: c.raw, query: { fieldManager: 'fuzz' } };
          }
        }
        const res = await send(req);
        if (res.status < 300 && req.method !== 'POST') await checkStored(kind, name, c.verb);
        await send({ method: 'DELETE', path, query: { gracePeriodSeconds: 0 } });
      }),
      { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 50_000, markInterruptAsFailure: false, endOnFailure: true },
    );
    t.diagnostic(`responses: ${JSON.stringify(stats)}`);
    if (upstream500s.length) t.diagnostic(`${upstream500s.length} patch-engine 500s with upstream's own 500 message (FUZZ_STRICT=1 fails on them)`);
    const ready = await api.request({ method: 'GET', path: '/readyz' });
    assert.equal(ready.status, 200, brief(ready.body));
    assert.equal(ready.body, 'ok');
  });
});
