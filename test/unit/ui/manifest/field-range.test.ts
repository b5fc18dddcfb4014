/**
 * rangeOfField / locateField: API field paths in every wording the API server uses (field.Path, strict decoding,
 * structured-merge-diff, Go type errors) → the YAML node's range; missing fields → the deepest existing node.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { locateField, parseFieldPath, parseManifests, rangeOfField, type LocateOptions } from '../../../../src/ui/manifest';
import { covered, lineOf } from './text';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
    tier: "bad value!"
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
          protocol: TCP
      - name: sidecar
        image: busybox
        args: ["sleep", "3600"]
        command:
        env:
        - name: A
          value: "1"
`;

const [deployment] = parseManifests(DEPLOYMENT, 'web.yaml');
const at = (path: string, opts?: LocateOptions) => covered(DEPLOYMENT, rangeOfField(deployment, path, opts));
const line = (needle: string, from?: string) => lineOf(DEPLOYMENT, needle, from);

describe('rangeOfField: fields that exist', () => {
  const cases: [string, LocateOptions | undefined, { line: number; text: string }][] = [
    ['spec.template.spec.containers[0].image', undefined, { line: line('nginx:1.27'), text: 'nginx:1.27' }],
    ['spec.replicas', undefined, { line: line('replicas: 2'), text: '2' }],
    ['spec.replicas', { prefer: 'key' }, { line: line('replicas: 2'), text: 'replicas' }],
    ['metadata.labels[app.kubernetes.io/name]', undefined, { line: line('app.kubernetes.io/name'), text: 'web' }],
    // strict decoding words map keys with dots: `metadata.labels.app.kubernetes.io/name`
    ['metadata.labels.app.kubernetes.io/name', undefined, { line: line('app.kubernetes.io/name'), text: 'web' }],
    ['spec.template.spec.containers[1].args[1]', undefined, { line: line('args:'), text: '"3600"' }],
    ['.spec.template.spec.containers[name="sidecar"].image', undefined, { line: line('busybox'), text: 'busybox' }],
    ['.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].protocol', undefined, { line: line('protocol: TCP'), text: 'TCP' }],
    ['.spec.template.spec.containers[name="sidecar"].args[="sleep"]', undefined, { line: line('args:'), text: '"sleep"' }],
    ['spec.template.spec.containers[1].env[0].value', undefined, { line: line('value: "1"'), text: '"1"' }],
    // a map or list: the key naming it
    ['spec.selector', undefined, { line: line('selector:'), text: 'selector' }],
    ['spec.template.spec.containers', undefined, { line: line('containers:'), text: 'containers' }],
    // a list item that is a map: its first entry
    ['spec.template.spec.containers[1]', undefined, { line: line('- name: sidecar') , text: 'name: sidecar' }],
    // an empty value: the key
    ['spec.template.spec.containers[1].command', undefined, { line: line('command:'), text: 'command' }],
    // the root: the document's first line
    ['', undefined, { line: 0, text: 'apiVersion: apps/v1' }],
    ['<nil>', undefined, { line: 0, text: 'apiVersion: apps/v1' }],
  ];
  for (const [path, opts, want] of cases) {
    it(`${path || '(root)'}${opts ? ` ${JSON.stringify(opts)}` : ''}`, () => {
      assert.deepEqual(at(path, opts), want);
      if (path && path !== '<nil>') assert.equal(locateField(deployment, path, opts).exact, true);
    });
  }
});

describe('rangeOfField: fields that do not exist → the deepest node that does', () => {
  const cases: [string, { line: number; text: string }][] = [
    ['metadata.namespace', { line: line('metadata:'), text: 'metadata' }],
    ['spec.strategy.rollingUpdate.maxSurge', { line: line('spec:'), text: 'spec' }],
    ['spec.template.spec.containers[0].resources.limits', { line: line('- name: web') , text: 'name: web' }],
    ['spec.template.spec.containers[5].image', { line: line('containers:'), text: 'containers' }],
    ['.spec.template.spec.containers[name="nope"].image', { line: line('containers:'), text: 'containers' }],
    ['spec.replicas.value', { line: line('replicas: 2'), text: 'replicas' }],
    ['status', { line: 0, text: 'apiVersion: apps/v1' }],
  ];
  for (const [path, want] of cases) {
    it(path, () => {
      assert.deepEqual(at(path), want);
      assert.equal(locateField(deployment, path).exact, false);
    });
  }
});

describe('locateField options', () => {
  it('anyIndex looks through lists for Go type-error paths, which carry no indices', () => {
    assert.deepEqual(at('spec.template.spec.containers.image', { anyIndex: true }), { line: line('nginx:1.27'), text: 'nginx:1.27' });
    // the first container has no args: the second one's are found
    assert.deepEqual(at('spec.template.spec.containers.args', { anyIndex: true }), { line: line('args:'), text: 'args' });
    assert.deepEqual(at('spec.template.spec.containers.env.value', { anyIndex: true }), { line: line('value: "1"'), text: '"1"' });
    // without anyIndex the path stops at the list
    assert.deepEqual(at('spec.template.spec.containers.image'), { line: line('containers:'), text: 'containers' });
  });

  it('badValue picks the map entry (key or value) or list item a cause quotes', () => {
    assert.deepEqual(at('metadata.labels', { badValue: 'bad value!' }), { line: line('tier:'), text: '"bad value!"' });
    assert.deepEqual(at('metadata.labels', { badValue: 'tier' }), { line: line('tier:'), text: 'tier' });
    assert.deepEqual(at('spec.template.spec.containers[1].args', { badValue: '3600' }), { line: line('args:'), text: '"3600"' });
    assert.deepEqual(at('metadata.labels', { badValue: 'absent' }), { line: line('labels:'), text: 'labels' });
  });

  it('follows aliases and merge keys into the node that holds the value', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx-base: &base\n  image: nginx\nspec:\n  containers:\n  - <<: *base\n    name: a\n';
    const [doc] = parseManifests(text, 'pod.yaml');
    assert.deepEqual(covered(text, rangeOfField(doc, 'spec.containers[0].image')), { line: 4, text: 'nginx' });
    assert.deepEqual(covered(text, rangeOfField(doc, 'spec.containers[0].name')), { line: 8, text: 'a' });
  });

  it('with a duplicated key, points at the last one: the value that is sent', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  name: e\n';
    const [doc] = parseManifests(text, 'dup.yaml');
    assert.equal(doc.object?.metadata?.name, 'e');
    assert.deepEqual(covered(text, rangeOfField(doc, 'metadata.name')), { line: 4, text: 'e' });
  });

  it('is relative to the document (a List item, a JSON value in a stream)', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: x}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data: {k: y}\n';
    const docs = parseManifests(text, 'l.yaml');
    assert.deepEqual(covered(text, rangeOfField(docs[0], 'data[k]')), { line: 3, text: 'x' });
    assert.deepEqual(covered(text, rangeOfField(docs[1], 'data[k]')), { line: 7, text: 'y' });
    assert.deepEqual(covered(text, rangeOfField(docs[1], 'spec')), { line: 4, text: 'apiVersion: v1' });
    const stream = '{"kind": "ConfigMap", "data": {"k": "1"}}\n{"kind": "ConfigMap",\n "data": {"k": "2"}}';
    const s = parseManifests(stream, 's.json');
    assert.deepEqual(covered(stream, rangeOfField(s[1], 'data.k')), { line: 2, text: '"2"' });
  });
});

describe('parseFieldPath', () => {
  const cases: [string, unknown][] = [
    ['spec.template.spec.containers[0].image', [{ t: 'field', name: 'spec' }, { t: 'field', name: 'template' }, { t: 'field', name: 'spec' }, { t: 'field', name: 'containers' }, { t: 'bracket', raw: '0', index: 0 }, { t: 'field', name: 'image' }]],
    ['metadata.labels[app.kubernetes.io/name]', [{ t: 'field', name: 'metadata' }, { t: 'field', name: 'labels' }, { t: 'bracket', raw: 'app.kubernetes.io/name' }]],
    ['.spec.ports[port=80,protocol="TCP"]', [{ t: 'field', name: 'spec' }, { t: 'field', name: 'ports' }, { t: 'bracket', raw: 'port=80,protocol="TCP"', select: [['port', 80], ['protocol', 'TCP']] }]],
    ['.metadata.finalizers[="a]b"]', [{ t: 'field', name: 'metadata' }, { t: 'field', name: 'finalizers' }, { t: 'bracket', raw: '="a]b"', value: { v: 'a]b' } }]],
    ['[0]', [{ t: 'bracket', raw: '0', index: 0 }]],
    ['data[bad key]', [{ t: 'field', name: 'data' }, { t: 'bracket', raw: 'bad key' }]],
  ];
  for (const [path, want] of cases) it(path, () => assert.deepEqual(parseFieldPath(path), want));
});

describe('rangeOfField: property', () => {
  const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._/-]{0,7}$/).filter((k) => k !== '<<');
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
  }));

  /** Every scalar leaf with its field.Path (`a[key][0]`) and its value. */
  function leaves(v: unknown, path: string, out: [string, unknown][]): [string, unknown][] {
    if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, `${path}[${k}]`, out);
    else out.push([path, v]);
    return out;
  }

  it('every scalar leaf is found exactly, and its range holds text that reads back to its value', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), fc.boolean(), (data, flow) => {
        const obj = JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'X', data })) as Record<string, unknown>;
        const text = flow ? JSON.stringify(obj, null, 1) : stringify(obj, { version: '1.1' });
        const [doc] = parseManifests(text, flow ? 'p.json' : 'p.yaml');
        for (const [path, leaf] of leaves(obj.data, 'data', [])) {
          const loc = locateField(doc, path);
          assert.equal(loc.exact, true, path);
          const got = covered(text, loc.range).text;
          if (got === (path.match(/\[([^\]]*)\]$/)?.[1] ?? '')) continue; // an empty value underlines its key
          assert.deepEqual(parse(got, { version: '1.1' }) ?? null, leaf, `${path} → ${JSON.stringify(got)}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
