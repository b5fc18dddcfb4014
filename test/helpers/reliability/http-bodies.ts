/**
 * fast-check arbitraries of request bodies for the HTTP fuzzer: valid objects of a few kinds mutated (fields deleted,
 * retyped, replaced), as JSON or YAML; raw JSON texts with duplicate keys, numbers out of range (int64 overflow,
 * 1e400, floats where integers go), deep nesting, invalid UTF-8, BOMs and truncation; YAML anchor/alias bombs;
 * protobuf-looking garbage; random text; and bodies beyond the 3 MiB request limit (sent with a Content-Length or
 * chunked).
 *
 * Contract: a FuzzBody builds its bytes only when sent (`bytes()`, cached), so generating and shrinking stay cheap;
 * `describe()` prints a bounded summary for failure reports.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JObj = { [k: string]: Json };

export interface FuzzBody {
  /** What the generator made (for tallies and reports). */
  kind: string;
  /** Send without Content-Length (chunked). */
  chunked: boolean;
  bytes(): Buffer;
  describe(): string;
}

/** The 3 MiB request body limit of kube-apiserver. */
const LIMIT = 3 * 1024 * 1024;

/** The resources the seed objects belong to (`group/resource`), for paths aimed at them. */
export const SEED_RESOURCES = ['/configmaps', '/secrets', '/pods', '/services', 'apps/deployments', '/serviceaccounts', 'rbac.authorization.k8s.io/roles', '/namespaces', 'batch/jobs'];

function seeds(ns: string, name: string): JObj[] {
  const meta = { name, namespace: ns, labels: { app: 'web' }, annotations: { note: 'x' } };
  const pod = { containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] };
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { key: 'value', 'a.properties': 'a=1' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', data: { password: 'c2VjcmV0' }, stringData: { user: 'admin' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: pod },
    { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: pod } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: false },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${ns}-${name}`, labels: { a: 'b' } } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { backoffLimit: 1, template: { spec: { ...pod, restartPolicy: 'Never' } } } },
  ];
}

const oddString = fc.constantFrom('', ' ', '-', '.', '..', '/', 'a/b', 'None', '0', '-1', '1e3', '10Gi', '$patch', 'a=b', 'Ω', '🚀', '\u0000', '\ud800', 'x'.repeat(64), 'x'.repeat(254));
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 2 ** 31, -(2 ** 31) - 1, 4294967296, 1e21, 0.5, -0.000001, -0);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), oddString) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: hugeNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
);

type Mutation = { op: 'delete'; at: number } | { op: 'retype'; at: number } | { op: 'set'; at: number; value: Json } | { op: 'num'; at: number; literal: string };

/** Number literals JSON.parse reads but Go's int64/int32 fields refuse (or read differently). */
const NUMBER_LITERALS = ['9223372036854775808', '-9223372036854775809', '18446744073709551616', '1e400', '-1e400', '2.5', '1.0', '1e2', '-0', '0.0000001', '2147483648', '123456789012345678901234567890'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'retype' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value }),
  fc.record({ op: fc.constant('num' as const), at: fc.nat(), literal: fc.constantFrom(...NUMBER_LITERALS) }),
);

type Path = (string | number)[];

function paths(doc: Json, at: Path = [], out: Path[] = []): Path[] {
  if (at.length) out.push(at);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...at, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...at, k], out);
  return out;
}

/** Another JSON type for the value: what a typo'd manifest or a client of another schema sends. */
const RETYPE: Record<string, (v: Json) => Json> = {
  string: (v) => [v],
  number: (v) => `${String(v)}`,
  boolean: (v) => (v ? 1 : 'no'),
  null: () => [],
  array: (v) => ({ items: v }),
  object: (v) => JSON.stringify(v),
};

function retype(v: Json): Json {
  return RETYPE[v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v](v);
}

const NUM_MARK = '__fuzz_number__';

/** Applies the mutations; number literals are spliced into the JSON text afterwards (JSON.stringify cannot). */
function mutateToText(base: JObj, ms: Mutation[]): { doc: JObj; text: string } {
  const doc = structuredClone(base);
  const literals: string[] = [];
  for (const m of ms) {
    const all = paths(doc);
    if (!all.length) break;
    const p = all[m.at % all.length];
    let parent: Json = doc;
    for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k];
    const key = p[p.length - 1];
    const obj = parent as Record<string | number, Json>;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete obj[key];
    } else if (m.op === 'retype') obj[key] = retype(obj[key]);
    else if (m.op === 'set') obj[key] = m.value;
    else if (m.op === 'num') {
      obj[key] = `${NUM_MARK}${literals.length}`;
      literals.push(m.literal);
    }
  }
  const text = JSON.stringify(doc).replace(new RegExp(`"${NUM_MARK}(\\d+)"`, 'g'), (_, i: string) => literals[Number(i)]);
  return { doc, text };
}

function cut(s: string, max = 600): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

function body(kind: string, build: () => Buffer | string, chunked = false, summary?: string): FuzzBody {
  let cache: Buffer | undefined;
  const bytes = () => (cache ??= ((b) => (Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8')))(build()));
  return { kind, chunked, bytes, describe: () => `${kind}${chunked ? ' (chunked)' : ''}: ${summary ?? cut(bytes().toString('utf8'))}` };
}

function deepText(depth: number, open: string, close: string, leaf = '1'): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

function yamlBomb(levels: number, width: number): string {
  const lines = ['a0: &a0 ["lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** A mutated seed object of kind SEED_RESOURCES[seed] named `name`, as JSON (mutations: at most `max`). */
export function seedBody(ns: string, name: string, seed: number, max: number): fc.Arbitrary<FuzzBody> {
  return fc.array(mutation, { maxLength: max }).map((ms) => {
    const { text } = mutateToText(seeds(ns, name)[seed], ms);
    return body('object-json', () => text);
  });
}

/** A body: mostly a mutated seed (JSON or YAML), else one of the raw shapes above. */
export function fuzzBody(ns: string, names: readonly string[]): fc.Arbitrary<FuzzBody> {
  const seedChoice = fc.record({ seed: fc.nat({ max: 8 }), name: fc.nat({ max: names.length - 1 }), ms: fc.array(mutation, { maxLength: 4 }) });
  const mutatedJson = seedChoice.map((c) => {
    const { text } = mutateToText(seeds(ns, names[c.name])[c.seed], c.ms);
    return body('object-json', () => text);
  });
  const mutatedYaml = seedChoice.map((c) => {
    const { doc } = mutateToText(seeds(ns, names[c.name])[c.seed], c.ms.filter((m) => m.op !== 'num'));
    return body('object-yaml', () => stringify(doc));
  });
  const dupKeys = fc.record({ seed: fc.nat({ max: 8 }), name: fc.nat({ max: names.length - 1 }) }).map((c) => {
    const s = seeds(ns, names[c.name])[c.seed];
    const text = JSON.stringify(s).replace('"metadata":{', `"metadata":{"name":"dup","name":${JSON.stringify(names[c.name])},`).replace(/^\{/, `{"kind":"Secret",`);
    return body('duplicate-keys', () => text);
  });
  const invalidUtf8 = fc.record({ seed: fc.nat({ max: 8 }), at: fc.nat(), bytes: fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0x00]) }).map((c) => {
    const text = Buffer.from(JSON.stringify(seeds(ns, names[0])[c.seed]), 'utf8');
    // Inside a string value: right after the first quote of the name.
    const at = text.indexOf('"name":"') + 8 || c.at % text.length;
    return body('invalid-utf8', () => Buffer.concat([text.subarray(0, at), Buffer.from(c.bytes), text.subarray(at)]));
  });
  const deep = fc.record({ depth: fc.integer({ min: 900, max: 200_000 }), shape: fc.constantFrom('array', 'object', 'yaml-flow', 'yaml-block') }).map((c) => {
    const build = () => {
      if (c.shape === 'array') return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${deepText(c.depth, '[', ']')}}`;
      if (c.shape === 'object') return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","labels":${deepText(c.depth, '{"a":', '}')}}}`;
      if (c.shape === 'yaml-flow') return `apiVersion: v1\nkind: ConfigMap\ndata: ${deepText(c.depth, '[', ']')}\n`;
      return `apiVersion: v1\nkind: ConfigMap\ndata:\n${Array.from({ length: Math.min(c.depth, 5000) }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`;
    };
    return body(`deep-${c.shape}`, build, false, `nested ${c.depth} levels (${c.shape})`);
  });
  const huge = fc.record({ extra: fc.integer({ min: 1, max: 1 << 20 }), chunked: fc.boolean(), under: fc.boolean() }).map((c) => {
    const size = c.under ? LIMIT - 64 : LIMIT + c.extra;
    const build = () => {
      const head = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"huge"},"data":{"k":"';
      return head + 'x'.repeat(Math.max(0, size - head.length - 3)) + '"}}';
    };
    return body(c.under ? 'near-limit' : 'over-limit', build, c.chunked, `${size} bytes`);
  });
  const yamlShapes = fc.oneof(
    fc.record({ levels: fc.integer({ min: 3, max: 9 }), width: fc.integer({ min: 5, max: 10 }) }).map((c) => body('yaml-bomb', () => yamlBomb(c.levels, c.width), false, `yaml alias bomb ${c.levels}x${c.width}`)),
    fc.constantFrom('a: *unknown\n', 'a: &x 1\nb: *x\nc: *y\n', '- [\n', 'a: b: c\n', '---\napiVersion: v1\n---\nkind: Pod\n', '? [a]\n: b\n', 'a: !!binary "@@"\n', 'a: 1\na: 2\n', '%YAML 9.9\n---\na: 1\n', '\t- x\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [1]}\n').map((t) => body('yaml-odd', () => t)),
  );
  const rawText = fc.oneof(
    fc.constantFrom('{', '[', '{"a":}', 'null', 'true', '1', '"str"', '[]', '{}', '\ufeff{"kind":"ConfigMap"}', '{"kind":"ConfigMap"} trailing', '{"apiVersion":1,"kind":2}', '{"metadata":null}', '{"apiVersion":"v1","kind":"Status"}', '{"apiVersion":"v1","kind":"List","items":[{"kind":"ConfigMap"}]}', '{"__proto__":{"x":1},"constructor":{"prototype":{}}}').map((t) => body('raw-json', () => t)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => body('random-json', () => JSON.stringify(v))),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => body('random-text', () => s)),
    fc.uint8Array({ maxLength: 200 }).map((a) => body('protobuf-garbage', () => Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(a)]))),
  );
  return fc.oneof(
    { weight: 100, arbitrary: mutatedJson },
    { weight: 30, arbitrary: mutatedYaml },
    { weight: 10, arbitrary: dupKeys },
    { weight: 10, arbitrary: invalidUtf8 },
    { weight: 5, arbitrary: deep },
    // Bodies past the limit are a few MiB each: rare enough that a 100k run stays fast.
    { weight: 1, arbitrary: huge },
    { weight: 20, arbitrary: yamlShapes },
    { weight: 40, arbitrary: rawText },
  );
}
