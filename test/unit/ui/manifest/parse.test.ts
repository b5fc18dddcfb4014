/**
 * parseManifests: multi-document YAML (a syntax error in one document leaves the others usable), YAML 1.1 scalars as
 * kubectl 1.32 reads them, List expansion, JSON files and streams, duplicate keys, documents without apiVersion/kind,
 * source ranges (LF and CRLF), and round-trip properties.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { hasErrors, parseManifests } from '../../../../src/ui/manifest';
import { covered, lineOf } from './text';

const objects = (text: string, file = 'm.yaml') => parseManifests(text, file).map((d) => d.object);

describe('parseManifests: multi-document YAML', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
---
apiVersion: v1
kind: Service
metadata:
  name: [broken
spec: {}
---
apiVersion: v1
kind: Secret
metadata:
  name: third
`;

  it('a syntax error in the 2nd document leaves the 1st and 3rd parsed', () => {
    const docs = parseManifests(text, 'app.yaml');
    assert.equal(docs.length, 3);
    assert.deepEqual(docs[0].object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } });
    assert.deepEqual(docs[0].problems, []);
    assert.equal(docs[1].object, undefined);
    assert.ok(docs[1].problems.length > 0);
    for (const p of docs[1].problems) {
      assert.equal(p.severity, 'error');
      assert.ok(p.range.start.line >= lineOf(text, 'name: [broken') && p.range.start.line <= lineOf(text, 'spec: {}'), JSON.stringify(p));
    }
    assert.deepEqual(docs[2].object, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'third' } });
    assert.deepEqual(docs.map((d) => [d.index, d.documentIndex]), [[0, 0], [1, 1], [2, 2]]);
    assert.equal(hasErrors(docs), true);
    assert.equal(hasErrors([docs[0], docs[2]]), false);
  });

  it('document ranges cover each document, without the separator or trailing blank lines', () => {
    const docs = parseManifests(text, 'app.yaml');
    assert.deepEqual(covered(text, docs[0].range), { line: 0, text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first' });
    assert.deepEqual(covered(text, docs[2].range), { line: lineOf(text, 'kind: Secret') - 1, text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: third' });
  });

  it('skips empty documents (comments only, null, nothing) but counts them in documentIndex', () => {
    const docs = parseManifests('---\n# just a comment\n---\n~\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\n', 'x.yaml');
    assert.deepEqual(docs.map((d) => [d.index, d.documentIndex, d.object?.kind]), [[0, 2, 'Namespace']]);
    assert.deepEqual(parseManifests('', 'x.yaml'), []);
    assert.deepEqual(parseManifests('# nothing\n', 'x.yaml'), []);
  });

  it('reads YAML 1.1 scalars as kubectl 1.32 does (go-yaml v2), checked with kubectl create --dry-run=client -o json', () => {
    const [cm] = objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {mode: 0644, b: yes, d: 2001-12-14, t: 1:20, o: 0o17, n: ~, on: off, h: 0x1F}\n');
    assert.deepEqual(cm?.data, { mode: 420, b: true, d: '2001-12-14', t: '1:20', o: 15, false: null, true: false, h: 31 });
  });

  it('follows anchors, aliases and merge keys', () => {
    const [d] = objects('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: &l {app: web}\n  annotations: *l\n  name: m\ndata:\n  <<: {a: "1", b: "2"}\n  b: "3"\n');
    assert.deepEqual(d, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { app: 'web' }, annotations: { app: 'web' }, name: 'm' }, data: { a: '1', b: '3' } });
  });

  it('duplicate keys: the last one wins, as in kubectl, with a warning on the repeated key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  name: e\n';
    const [doc] = parseManifests(text, 'dup.yaml');
    assert.deepEqual(doc.object?.metadata, { name: 'e' });
    assert.equal(doc.problems.length, 1);
    assert.equal(doc.problems[0].message, 'key "name" already set in map');
    assert.equal(doc.problems[0].severity, 'warning');
    assert.deepEqual(covered(text, doc.problems[0].range), { line: 4, text: 'name' });
    assert.equal(hasErrors([doc]), false);
  });

  it('documents without apiVersion or kind, or that are not objects, get kubectl validation wording', () => {
    const text = 'metadata: {name: n}\n---\napiVersion: v1\nmetadata: {name: n}\n---\nkind: ConfigMap\napiVersion: a/b/c\n---\nfoo\n---\n- a\n';
    const docs = parseManifests(text, 'x.yaml');
    assert.deepEqual(docs.map((d) => d.problems.map((p) => p.message)), [
      ['apiVersion not set', 'kind not set'],
      ['kind not set'],
      ['unexpected GroupVersion string: a/b/c'],
      ['invalid object to validate'],
      ['invalid object to validate'],
    ]);
    assert.deepEqual(covered(text, docs[0].problems[0].range), { line: 0, text: 'metadata: {name: n}' });
    assert.deepEqual(covered(text, docs[2].problems[0].range), { line: lineOf(text, 'a/b/c'), text: 'a/b/c' });
    assert.deepEqual(covered(text, docs[3].problems[0].range), { line: lineOf(text, 'foo'), text: 'foo' });
    assert.equal(docs[3].object, undefined);
  });

  it('counts positions in UTF-16 code units and handles CRLF line endings', () => {
    const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: "é😀"}\r\n---\r\nkind: [x\r\n';
    const docs = parseManifests(text, 'crlf.yaml');
    assert.deepEqual(docs[0].object?.metadata, { name: 'é😀' });
    assert.deepEqual(covered(text, docs[0].range), { line: 0, text: 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: "é😀"}' });
    assert.equal(docs[1].problems[0].range.start.line, 4);
  });
});

describe('parseManifests: lists', () => {
  it('expands a List and a <Kind>List into their items; items without kind and apiVersion get the list\'s', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- {apiVersion: v1, kind: Secret, metadata: {name: c}}
---
apiVersion: v1
kind: ConfigMapList
items:
- metadata: {name: inferred}
- kind: Secret
  metadata: {name: no-api-version}
`;
    const docs = parseManifests(text, 'list.yaml');
    assert.deepEqual(docs.map((d) => [d.index, d.documentIndex, d.object]), [
      [0, 0, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }],
      [1, 0, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c' } }],
      [2, 1, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inferred' } }],
      [3, 1, { kind: 'Secret', metadata: { name: 'no-api-version' } }],
    ]);
    assert.deepEqual(docs.map((d) => d.problems.map((p) => p.message)), [[], [], [], ['apiVersion not set']]);
    assert.deepEqual(covered(text, docs[0].range), { line: 3, text: 'apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}' });
    assert.deepEqual(covered(text, docs[1].range), { line: 6, text: '{apiVersion: v1, kind: Secret, metadata: {name: c}}' });
    assert.deepEqual(covered(text, docs[3].problems[0].range), { line: lineOf(text, 'kind: Secret', 'ConfigMapList'), text: 'kind: Secret' });
  });

  it('a list inside a list, a non-object item and a non-list items field are errors, as in kubectl', () => {
    const text = `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: n}}]}
- 3
- {apiVersion: v1, kind: ConfigMap, metadata: {name: ok}}
---
apiVersion: v1
kind: List
items: {a: 1}
---
apiVersion: v1
kind: List
items: null
`;
    const docs = parseManifests(text, 'list.yaml');
    assert.deepEqual(docs.map((d) => [d.object?.metadata?.name, d.problems.map((p) => p.message)]), [
      [undefined, ['*unstructured.Unstructured is not a list: no Items field in this object']],
      [undefined, ['json: cannot unmarshal number into Go value of type map[string]interface {}']],
      ['ok', []],
      [undefined, ['json: cannot unmarshal object into Go struct field decodeList.items of type []json.RawMessage']],
    ]);
    assert.deepEqual(covered(text, docs[1].problems[0].range), { line: 4, text: '3' });
  });

  it('an object with items whose kind is not a list kind is an object', () => {
    const [d] = objects('apiVersion: example.com/v1\nkind: Bag\nmetadata: {name: b}\nitems: [1, 2]\n');
    assert.deepEqual(d, { apiVersion: 'example.com/v1', kind: 'Bag', metadata: { name: 'b' }, items: [1, 2] });
  });
});

describe('parseManifests: JSON', () => {
  it('reads a .json file holding one object, with ranges', () => {
    const text = '{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"metadata": {"name": "j"}\n}\n';
    const docs = parseManifests(text, 'cm.json');
    assert.deepEqual(docs.map((d) => d.object), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } }]);
    assert.deepEqual(covered(text, docs[0].range), { line: 0, text: text.trim() });
  });

  it('expands a JSON List, and reads a stream of JSON objects (kubectl does), also in a .yaml file', () => {
    const list = '{"apiVersion": "v1", "kind": "List", "items": [\n  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},\n  {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b"}}\n]}';
    const docs = parseManifests(list, 'list.json');
    assert.deepEqual(docs.map((d) => d.object?.kind), ['ConfigMap', 'Secret']);
    assert.deepEqual(covered(list, docs[1].range), { line: 2, text: '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b"}}' });
    const stream = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j1"}}\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j2"}}\n';
    const s = parseManifests(stream, 'stream.yaml');
    assert.deepEqual(s.map((d) => [d.documentIndex, d.object?.metadata?.name]), [[0, 'j1'], [1, 'j2']]);
    assert.deepEqual(covered(stream, s[1].range), { line: 1, text: stream.split('\n')[1] });
  });

  it('reports JSON syntax errors where they are, and JSON (not YAML) scalars in .json files', () => {
    const text = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n{"apiVersion": v1,\n';
    const docs = parseManifests(text, 'bad.json');
    assert.equal(docs[0].problems.length, 0);
    assert.equal(docs[1].object, undefined);
    assert.ok(docs[1].problems.some((p) => p.severity === 'error' && p.range.start.line === 1), JSON.stringify(docs[1].problems));
    const unquoted = parseManifests('{"apiVersion": v1, "kind": "ConfigMap"}', 'x.json');
    assert.deepEqual(unquoted[0].problems.map((p) => [p.message, covered('{"apiVersion": v1, "kind": "ConfigMap"}', p.range).text]), [['Unresolved plain scalar "v1"', 'v1']]);
  });
});

describe('parseManifests: properties', () => {
  const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '<<' && k !== '__proto__');
  // `<<` is YAML 1.1's merge key and `__proto__` is special to JSON.parse: neither may appear at any depth.
  const plainKeys = (v: unknown): boolean =>
    Array.isArray(v) ? v.every(plainKeys) : v !== null && typeof v === 'object' ? Object.entries(v).every(([k, x]) => k !== '<<' && k !== '__proto__' && plainKeys(x)) : true;
  const json = fc
    .dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
    .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>)
    .filter(plainKeys);
  const manifest = fc.record({ name: fc.string({ minLength: 1, maxLength: 10 }), data: json }).map(({ name, data }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }));

  it('YAML 1.1 written documents read back to the same objects, and each range holds exactly its document', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), (objs) => {
        const text = objs.map((o) => stringify(o, { version: '1.1' })).join('---\n');
        const docs = parseManifests(text, 'p.yaml');
        assert.deepEqual(docs.map((d) => d.object), objs);
        for (const d of docs) assert.deepEqual(objects(covered(text, d.range).text), [d.object]);
      }),
      { numRuns: 150 },
    );
  });

  it('JSON streams read back to the same objects', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), fc.boolean(), (objs, pretty) => {
        const text = objs.map((o) => JSON.stringify(o, null, pretty ? 2 : undefined)).join('\n');
        const docs = parseManifests(text, 'p.json');
        assert.deepEqual(docs.map((d) => d.object), objs);
        assert.ok(docs.every((d) => d.problems.length === 0));
      }),
      { numRuns: 150 },
    );
  });
});
