/**
 * Manifest files for the apply-path fuzzer, as fast-check arbitraries: valid Kubernetes objects (YAML or JSON,
 * several per file) with unique names, then broken in text (tabs, bad indentation, unterminated strings, stray
 * `---`, BOMs, CRLF, NULs, cut files, random characters) or as objects (wrong kinds and apiVersions, bad names, wrong
 * field types, unknown fields), and hostile files: alias "billion laughs" and merge-key bombs, deep nesting, huge
 * scalars.
 *
 * Contract: `manifestCaseArb(tag)` yields { name, text, what } where every object name starts with `${tag}-`, so the
 * checker can find what a run stored; `what` says how the file was made (for violation messages).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export interface ManifestCase {
  /** File name (`.yaml` or `.json`: the parser picks JSON for .json as kubectl does). */
  name: string;
  text: string;
  what: string;
}

type Obj = Record<string, unknown>;

const templates: ((name: string) => Obj)[] = [
  (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: name } }, data: { key: 'value', 'config.yaml': 'a: 1\nb: [x, y]\n' } }),
  (name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData: { password: 's3cr3t' } }),
  (name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }),
  (name) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
  }),
  (name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }),
];

/** Object-level mutations: the file stays valid YAML, the objects do not stay valid Kubernetes. */
const objectMutations: [string, (o: Obj, r: number) => void][] = [
  ['unknown kind', (o) => (o.kind = 'Gizmo')],
  ['lower-case kind', (o) => (o.kind = String(o.kind).toLowerCase())],
  ['unknown apiVersion', (o) => (o.apiVersion = 'v9')],
  ['unknown group', (o) => (o.apiVersion = 'nope.example.com/v1')],
  ['three-part apiVersion', (o) => (o.apiVersion = 'a/b/c')],
  ['no kind', (o) => delete o.kind],
  ['no apiVersion', (o) => delete o.apiVersion],
  ['upper-case name', (o) => ((o.metadata as Obj).name = `${String((o.metadata as Obj).name).toUpperCase()}`)],
  ['no name', (o) => delete (o.metadata as Obj).name],
  ['name too long', (o) => ((o.metadata as Obj).name = `${String((o.metadata as Obj).name)}-${'x'.repeat(260)}`)],
  ['metadata is a list', (o) => (o.metadata = [o.metadata])],
  ['spec is a string', (o) => (o.spec = 'oops')],
  ['unknown top-level field', (o) => (o.extra = { a: 1 })],
  ['label value with spaces', (o) => ((o.metadata as Obj).labels = { app: 'two words' })],
  ['numbers as data values', (o) => (o.data = { n: 1, b: true })],
  ['negative replicas', (o) => (o.spec = { ...(o.spec as Obj), replicas: -3 })],
  ['replicas as text', (o) => (o.spec = { ...(o.spec as Obj), replicas: 'three' })],
  ['huge number', (o) => ((o.metadata as Obj).generation = 1e300)],
  ['namespace that does not exist', (o) => ((o.metadata as Obj).namespace = 'no-such-namespace')],
  ['status block', (o) => (o.status = { phase: 'Bogus' })],
];

/** Text mutations at a position (a fraction of the text). */
const textMutations: [string, (t: string, at: number, r: number) => string][] = [
  ['tab indentation', (t, at) => insertAtLine(t, at, '\t')],
  ['extra indentation', (t, at) => insertAtLine(t, at, '   ')],
  ['lost indentation', (t, at) => lineAt(t, at, (l) => l.trimStart())],
  ['unterminated double quote', (t, at) => insert(t, at, '"')],
  ['unterminated single quote', (t, at) => insertAtLine(t, at, "key: 'open\n")],
  ['stray document marker', (t, at) => insertAtLine(t, at, '---\n')],
  ['stray document end', (t, at) => insertAtLine(t, at, '...\n')],
  ['BOM at start', (t) => `\uFEFF${t}`],
  ['BOM inside', (t, at) => insert(t, at, '\uFEFF')],
  ['CRLF line ends', (t) => t.replace(/\n/g, '\r\n')],
  ['lone CRs', (t, at) => insert(t, at, '\r')],
  ['NUL', (t, at) => insert(t, at, '\u0000')],
  ['control characters', (t, at) => insert(t, at, '\u0007\u001b[31m')],
  ['lone surrogate', (t, at) => insert(t, at, '\ud800')],
  ['cut short', (t, at) => t.slice(0, Math.floor(at * t.length))],
  ['random punctuation', (t, at, r) => insert(t, at, '{}[]:,&*!|>%@`#"\''[r % 17])],
  ['duplicated line', (t, at) => lineAt(t, at, (l) => `${l}\n${l}`)],
  ['dropped line', (t, at) => lineAt(t, at, () => '')],
  ['undefined alias', (t, at) => insertAtLine(t, at, 'x: *nowhere\n')],
  ['directive in the middle', (t, at) => insertAtLine(t, at, '%YAML 1.2\n')],
  ['flow mapping left open', (t, at) => insertAtLine(t, at, 'x: {a: 1\n')],
];

function insert(t: string, at: number, s: string): string {
  const i = Math.floor(at * t.length);
  return t.slice(0, i) + s + t.slice(i);
}

function lineStart(t: string, at: number): number {
  const i = Math.floor(at * t.length);
  return t.lastIndexOf('\n', i - 1) + 1;
}

function insertAtLine(t: string, at: number, s: string): string {
  const i = lineStart(t, at);
  return t.slice(0, i) + s + t.slice(i);
}

function lineAt(t: string, at: number, f: (line: string) => string): string {
  const i = lineStart(t, at);
  let e = t.indexOf('\n', i);
  if (e < 0) e = t.length;
  return t.slice(0, i) + f(t.slice(i, e)) + t.slice(e);
}

/** `a0: &a0 [...]`, each level `width` aliases of the one before: width^levels nodes once expanded. */
export function aliasBomb(levels: number, width: number): string {
  let s = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a0: &a0 [${Array(width).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) s += `  a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]\n`;
  return s;
}

export function mergeBomb(levels: number): string {
  let s = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merge-bomb\nx:\n  m0: &m0 {k0: v}\n';
  for (let i = 1; i < levels; i++) s += `  m${i}: &m${i}\n    <<: [*m${i - 1}, *m${i - 1}]\n    k${i}: v\n`;
  return s;
}

function deepText(kind: number, depth: number, name: string): string {
  const head = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  if (kind === 0) return `${head}data:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  if (kind === 1) return `${head}spec:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i + 2)}k:`).join('\n')} 1\n`;
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
}

const docsArb = fc.array(fc.record({ t: fc.nat(templates.length - 1), mut: fc.option(fc.nat(objectMutations.length - 1), { freq: 3 }), r: fc.nat(1000) }), { minLength: 1, maxLength: 4 });
const textMutArb = fc.array(fc.record({ m: fc.nat(textMutations.length - 1), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), r: fc.nat(1000) }), { maxLength: 3 });

export function manifestCaseArb(tag: string): fc.Arbitrary<ManifestCase> {
  const built = fc.record({ docs: docsArb, json: fc.boolean(), muts: textMutArb, id: fc.nat(1_000_000) }).map(({ docs, json, muts, id }) => {
    const what: string[] = [];
    const objs = docs.map((d, i) => {
      const o = templates[d.t](`${tag}-${id}-${i}`);
      if (d.mut !== null) {
        objectMutations[d.mut][1](o, d.r);
        what.push(`doc ${i}: ${objectMutations[d.mut][0]}`);
      }
      return o;
    });
    let text = json ? objs.map((o) => JSON.stringify(o, null, 2)).join('\n') : objs.map((o) => stringify(o)).join('---\n');
    for (const m of muts) {
      text = textMutations[m.m][1](text, m.at, m.r);
      what.push(textMutations[m.m][0]);
    }
    return { name: json ? 'fuzz.json' : 'fuzz.yaml', text, what: `${objs.length} ${json ? 'JSON' : 'YAML'} objects${what.length ? `; ${what.join(', ')}` : ''}` };
  });
  const hostile = fc.oneof(
    fc.record({ l: fc.integer({ min: 3, max: 12 }), w: fc.integer({ min: 2, max: 10 }) }).map(({ l, w }) => ({ name: 'bomb.yaml', text: aliasBomb(l, w), what: `alias bomb ${w}^${l}` })),
    fc.integer({ min: 5, max: 40 }).map((l) => ({ name: 'merge.yaml', text: mergeBomb(l), what: `merge-key bomb 2^${l}` })),
    fc.record({ k: fc.nat(2), d: fc.integer({ min: 50, max: 5000 }), id: fc.nat(1_000_000) }).map(({ k, d, id }) => ({ name: k === 2 ? 'deep.json' : 'deep.yaml', text: deepText(k, d, `${tag}-${id}-0`), what: `nesting ${d} deep (${['flow', 'block', 'JSON'][k]})` })),
    fc.record({ kb: fc.integer({ min: 100, max: 2000 }), id: fc.nat(1_000_000) }).map(({ kb, id }) => ({
      name: 'huge.yaml',
      text: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${tag}-${id}-0` }, data: { big: 'x'.repeat(kb * 1024) } }, { lineWidth: 0 }),
      what: `a ${kb} KiB scalar`,
    })),
  );
  return fc.oneof({ arbitrary: built, weight: 6 }, { arbitrary: hostile, weight: 1 });
}
