/** The registry documents: value rendering (YAML/JSON/text), kubelab: URIs, history labels. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { historyLabel, layoutJson, parseRegistryUri, registryUri, renderValue } from '../../../../src/ui/registry';

const POD = JSON.stringify({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'web-7d9c5b-x2x',
    namespace: 'default',
    uid: '6c1f0e1e-0000-4000-8000-000000000001',
    creationTimestamp: '2026-11-26T07:00:01Z',
    labels: { app: 'web', 'pod-template-hash': '7d9c5b' },
    annotations: { note: 'line1\nline2\n' },
  },
  spec: {
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], args: ['--flag', 'on'] }],
    volumes: [],
    nodeSelector: {},
  },
  status: { phase: 'Pending', qosClass: 'BestEffort' },
});

const POD_YAML = `kind: Pod
apiVersion: v1
metadata:
  name: web-7d9c5b-x2x
  namespace: default
  uid: 6c1f0e1e-0000-4000-8000-000000000001
  creationTimestamp: "2026-11-26T07:00:01Z"
  labels:
    app: web
    pod-template-hash: 7d9c5b
  annotations:
    note: |
      line1
      line2
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
      protocol: TCP
    args:
    - --flag
    - "on"
  volumes: []
  nodeSelector: {}
status:
  phase: Pending
  qosClass: BestEffort
`;

describe('renderValue: JSON values', () => {
  it('YAML in kubectl style, key order as stored', () => {
    assert.deepEqual(renderValue(POD, 'yaml'), { text: POD_YAML, languageId: 'yaml', json: true });
    assert.deepEqual(renderValue(new TextEncoder().encode(POD), 'yaml').text, POD_YAML);
  });

  it('JSON pretty-printed like JSON.stringify(v, null, 2)', () => {
    assert.deepEqual(renderValue(POD, 'json'), { text: `${JSON.stringify(JSON.parse(POD), null, 2)}\n`, languageId: 'json', json: true });
  });

  it('keeps integer-like keys where they are stored and exact number literals', () => {
    const stored = '{"data":{"b":"x","10":"y","2":"z"},"big":12345678901234567890,"f":1.0,"neg":-0}';
    assert.equal(renderValue(stored, 'yaml').text, 'data:\n  b: x\n  "10": "y"\n  "2": z\nbig: 12345678901234567890\nf: 1.0\nneg: 0\n');
    assert.equal(renderValue(stored, 'json').text, '{\n  "data": {\n    "b": "x",\n    "10": "y",\n    "2": "z"\n  },\n  "big": 12345678901234567890,\n  "f": 1.0,\n  "neg": -0\n}\n');
  });

  // Strings a YAML 1.1 reader (kubectl's sigs.k8s.io/yaml) or a YAML 1.2 reader would take for something else.
  const quoting: Array<[string, string]> = [
    ['on', '"on"'], ['yes', '"yes"'], ['No', '"No"'], ['off', '"off"'], ['y', '"y"'], ['true', '"true"'],
    ['null', '"null"'], ['~', '"~"'], ['', '""'], ['2026-01-01', '"2026-01-01"'], ['1_000', '"1_000"'],
    ['0x1F', '"0x1F"'], ['0o17', '"0o17"'], ['1e5', '"1e5"'], ['012', '"012"'], ['1.5', '"1.5"'], ['.inf', '".inf"'],
    ['190:20:30', '"190:20:30"'], ['<<', '"<<"'], [' lead', '" lead"'], ['a: b', '"a: b"'], ['- x', '"- x"'],
    ['#x', '"#x"'], ['*a', '"*a"'], ['{a', '"{a"'], ['\u0000', '"\\0"'],
    ['web-7d9c5b-x2x', 'web-7d9c5b-x2x'], ['10.0.0.1', '10.0.0.1'], ['8080/TCP', '8080/TCP'], ['é', 'é'],
    ['nginx:1.27', 'nginx:1.27'], ['a,b', 'a,b'],
  ];
  for (const [value, want] of quoting) {
    it(`YAML quotes ${JSON.stringify(value)} as ${want}`, () => {
      assert.equal(renderValue(JSON.stringify({ v: value }), 'yaml').text, `v: ${want}\n`);
      const asKey = renderValue(JSON.stringify({ [value]: 1 }), 'yaml').text;
      assert.deepEqual(parseYaml(asKey, { version: '1.1', merge: true }), { [value]: 1 }, asKey);
      assert.deepEqual(parseYaml(asKey, { version: '1.2' }), { [value]: 1 }, asKey);
    });
  }

  it('re-lays out any stored whitespace, leaving strings untouched', () => {
    const stored = '{ "a" :\t[ 1 , { } ,[\r\n] ] ,\n"b\\" :" : " x , y ", "c":{"d":true}}';
    assert.equal(layoutJson(stored), '{\n  "a": [\n    1,\n    {},\n    []\n  ],\n  "b\\" :": " x , y ",\n  "c": {\n    "d": true\n  }\n}');
    assert.deepEqual(JSON.parse(layoutJson(stored)), JSON.parse(stored));
  });

  it('quotes a key "<<" (no YAML 1.1 merge) and renders nested and empty sequences', () => {
    assert.equal(renderValue('{"<<":{"a":1},"x":[[1,2],[]],"n":null,"t":true}', 'yaml').text, '"<<":\n  a: 1\nx:\n- - 1\n  - 2\n- []\n"n": null\nt: true\n');
  });

  it('property: the YAML reads back (as YAML 1.1 and 1.2) as the stored JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (text) => {
        const { text: yaml, json } = renderValue(text, 'yaml');
        assert.equal(json, true);
        assert.deepEqual(parseYaml(yaml, { version: '1.1', merge: false }), JSON.parse(text));
        assert.deepEqual(parseYaml(yaml, { version: '1.2' }), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('property: layoutJson equals JSON.stringify(…, null, 2) whatever the input layout', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, 0, 1, 4, '\t', ' \r\n'), (value, indent) => {
        const canonical = JSON.stringify(value, null, 2);
        const input = JSON.stringify(value, null, indent);
        assert.equal(layoutJson(input), canonical);
        assert.equal(renderValue(input, 'json').text, `${canonical}\n`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderValue: values that are not JSON', () => {
  const cases: Array<[string, string | Uint8Array, 'yaml' | 'json', string]> = [
    ['text (yaml)', 'holder=node-1', 'yaml', '# The stored value is not JSON (13 bytes); shown as text.\nholder=node-1\n'],
    ['text (json)', 'a\nb\n', 'json', '// The stored value is not JSON (4 bytes); shown as text.\na\nb\n'],
    ['UTF-8 text', 'é', 'yaml', '# The stored value is not JSON (2 bytes); shown as text.\né\n'],
    ['not UTF-8', new Uint8Array([0xff, 0x41, 0x5c, 0x0a]), 'yaml', '# The stored value is neither JSON nor UTF-8 text (4 bytes); shown with \\xNN escapes.\n\\xffA\\\\\n'],
    ['protobuf', new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x09, 0x01]), 'json', '// The stored value is Kubernetes protobuf (7 bytes), not JSON; shown with \\xNN escapes.\nk8s\\x00\n\t\\x01\n'],
    ['empty', '', 'yaml', '# The stored value is empty.\n'],
    ['one byte', new Uint8Array([0x78]), 'yaml', '# The stored value is not JSON (1 byte); shown as text.\nx\n'],
  ];
  for (const [name, value, format, want] of cases) {
    it(name, () => assert.deepEqual(renderValue(value, format), { text: want, languageId: 'plaintext', json: false }));
  }
});

/**
 * What VS Code's Uri does to our string: Uri.parse percent-decodes path and query, toString() re-encodes them
 * (only unreserved characters, and "/" in the path, stay literal — so "=" in the query becomes %3D).
 */
function throughVsCodeUri(uri: string): string {
  const m = /^([^:/?#]+):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(uri)!;
  const decode = (s: string) => s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => decodeURIComponent(run));
  const encode = (s: string, path: boolean) => s.replace(path ? /[^A-Za-z0-9\-._~/]/gu : /[^A-Za-z0-9\-._~]/gu, (c) => encodeURIComponent(c));
  const query = m[4] === undefined ? '' : `?${encode(decode(m[4]), false)}`;
  return `${m[1]}:${m[2] ? `//${m[2]}` : ''}${encode(decode(m[3]!), true)}${query}`;
}

describe('kubelab: URIs', () => {
  const cases: Array<[string, number | undefined, 'yaml' | 'json', string]> = [
    ['/registry/pods/default/web', 12, 'yaml', 'kubelab:/registry/pods/default/web.yaml?rev=12'],
    ['/registry/pods/default/web', undefined, 'json', 'kubelab:/registry/pods/default/web.json'],
    ['/registry/apiregistration.k8s.io/apiservices/v1.apps', undefined, 'yaml', 'kubelab:/registry/apiregistration.k8s.io/apiservices/v1.apps.yaml'],
    ['/registry/configmaps/default/a b?#%.yaml', 3, 'yaml', 'kubelab:/registry/configmaps/default/a%20b%3F%23%25.yaml.yaml?rev=3'],
    ['/registry/x//y/', undefined, 'json', 'kubelab:/registry/x//y/.json'],
    ['/registry/é/system:node', undefined, 'yaml', 'kubelab:/registry/%C3%A9/system%3Anode.yaml'],
  ];
  for (const [key, rev, format, want] of cases) {
    it(`${key} @ ${rev ?? 'latest'} (${format})`, () => {
      assert.equal(registryUri(key, rev, format), want);
      const back = { key, format, ...(rev === undefined ? {} : { rev }) };
      assert.deepEqual(parseRegistryUri(want), back);
      assert.deepEqual(parseRegistryUri(throughVsCodeUri(want)), back);
    });
  }

  it('accepts VS Code spellings: %3D in the query, an empty authority, a fragment, upper-case scheme', () => {
    const want = { key: '/registry/pods/default/web', format: 'yaml', rev: 12 };
    assert.deepEqual(parseRegistryUri('kubelab:/registry/pods/default/web.yaml?rev%3D12'), want);
    assert.deepEqual(parseRegistryUri('kubelab:///registry/pods/default/web.yaml?rev=12#x'), want);
    assert.deepEqual(parseRegistryUri('KubeLab:/registry/pods/default/web.yaml?foo=1&rev=12'), want);
  });

  const bad = [
    'file:/registry/pods/default/web.yaml', 'kubelab:/registry/pods/default/web', 'kubelab:/registry/pods/default/web.txt',
    'kubelab://host/registry/a.yaml', 'kubelab:registry/a.yaml', 'kubelab:/registry/a.yaml?rev=0', 'kubelab:/registry/a.yaml?rev=-1',
    'kubelab:/registry/a.yaml?rev=1.5', 'kubelab:/registry/a.yaml?rev=x', 'kubelab:/registry/%E0%A4%A.yaml', 'kubelab:/%2Fx.yaml', 'nothing',
  ];
  for (const uri of bad) it(`rejects ${uri}`, () => assert.equal(parseRegistryUri(uri), undefined));

  it('refuses keys that cannot be a URI path, and bad revisions', () => {
    assert.throws(() => registryUri('compact_rev_key'), RangeError);
    assert.throws(() => registryUri('//x'), RangeError);
    assert.throws(() => registryUri('/registry/a', 0), RangeError);
    assert.throws(() => registryUri('/registry/a', 1.5), RangeError);
  });

  it('property: any key round-trips, directly and through VS Code’s Uri', () => {
    const segment = fc.string({ unit: 'binary', maxLength: 8 });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.option(fc.integer({ min: 1, max: 2 ** 53 - 1 }), { nil: undefined }), fc.constantFrom('yaml' as const, 'json' as const), (segs, rev, format) => {
        const key = ['/registry', ...segs].join('/');
        const uri = registryUri(key, rev, format);
        const back = { key, format, ...(rev === undefined ? {} : { rev }) };
        assert.deepEqual(parseRegistryUri(uri), back);
        assert.deepEqual(parseRegistryUri(throughVsCodeUri(uri)), back);
      }),
      { numRuns: 500 },
    );
  });
});

describe('historyLabel', () => {
  const pod = (meta: object) => JSON.stringify({ kind: 'Pod', metadata: { name: 'web', ...meta } });
  const cases: Array<[string, Parameters<typeof historyLabel>[0], string]> = [
    ['creation', { modRevision: 1234, version: 1, value: pod({ creationTimestamp: '2026-11-26T07:00:01Z' }) }, 'rev 1234 · version 1 · 2026-11-26 07:00:01'],
    ['newest managedFields time wins', { modRevision: 1240, version: 3, value: pod({ creationTimestamp: '2026-11-26T07:00:01Z', managedFields: [{ time: '2026-11-26T07:05:00Z' }, { time: '2026-11-26T07:03:00Z' }] }) }, 'rev 1240 · version 3 · 2026-11-26 07:05:00'],
    ['deletionTimestamp', { modRevision: 1250, version: 4, value: pod({ creationTimestamp: '2026-11-26T07:00:01Z', deletionTimestamp: '2026-11-26T08:00:00Z' }) }, 'rev 1250 · version 4 · 2026-11-26 08:00:00'],
    ['lease renewTime (MicroTime)', { modRevision: 7, version: 9, value: JSON.stringify({ kind: 'Lease', spec: { renewTime: '2026-11-26T07:00:09.123456Z' } }) }, 'rev 7 · version 9 · 2026-11-26 07:00:09'],
    ['offset converted to UTC', { modRevision: 8, version: 1, value: pod({ creationTimestamp: '2026-11-26T09:00:01+02:00' }) }, 'rev 8 · version 1 · 2026-11-26 07:00:01'],
    ['no timestamp', { modRevision: 9, version: 2, value: pod({}) }, 'rev 9 · version 2'],
    ['not a timestamp', { modRevision: 9, version: 2, value: pod({ creationTimestamp: '1' }) }, 'rev 9 · version 2'],
    ['not JSON', { modRevision: 10, version: 1, value: 'raw' }, 'rev 10 · version 1'],
    ['bytes', { modRevision: 11, version: 1, value: new TextEncoder().encode(pod({ creationTimestamp: '2026-01-01T00:00:00Z' })) }, 'rev 11 · version 1 · 2026-01-01 00:00:00'],
    ['tombstone', { modRevision: 12, version: 0, value: '' }, 'rev 12 · deleted'],
  ];
  for (const [name, entry, want] of cases) it(name, () => assert.equal(historyLabel(entry), want));
});
