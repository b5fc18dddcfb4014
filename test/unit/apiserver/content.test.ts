import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodeBody, negotiate } from '../../../src/apiserver/content';
import { StatusError } from '../../../src/api/status';

test("kubectl get's Accept header negotiates a Table", () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiate(accept, true), { form: 'table', yaml: false });
  assert.deepEqual(negotiate(accept, false), { form: 'object', yaml: false });
});

test('protobuf first still gets JSON; protobuf only is 406', () => {
  assert.equal(negotiate('application/vnd.kubernetes.protobuf,application/json', true).form, 'object');
  assert.throws(() => negotiate('application/vnd.kubernetes.protobuf', true), (e: StatusError) => e.code === 406);
});

test('PartialObjectMetadata is negotiated', () => {
  assert.equal(negotiate('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', true).form, 'metadata');
});

test('malformed JSON is 400 with the position', () => {
  assert.throws(
    () => decodeBody(Buffer.from('{"a":\n  1,,}'), 'application/json'),
    (e: StatusError) => e.code === 400 && /line 2/.test(e.message),
  );
});

test('YAML bodies decode; bad YAML is 400 naming the line', () => {
  assert.deepEqual(decodeBody('a: 1\nb: [x]\n', 'application/yaml'), { a: 1, b: ['x'] });
  assert.throws(() => decodeBody('a: 1\n b: : 2\n', 'application/yaml'), (e: StatusError) => e.code === 400 && /line \d+/.test(e.message));
});

test('bodies over 3 MiB are 413 even in-process', () => {
  assert.throws(() => decodeBody('x'.repeat(3 * 1024 * 1024 + 1), 'application/json'), (e: StatusError) => e.code === 413);
});

test('bodies nested too deep are 400, never a stack overflow', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  assert.throws(() => decodeBody(deep, 'application/json'), (e: StatusError) => e.code === 400 && /nested more than 1000 levels/.test(e.message));
  const medium = '{"a":'.repeat(1500) + '1' + '}'.repeat(1500);
  assert.throws(() => decodeBody(medium, 'application/json'), (e: StatusError) => e.code === 400);
  const yaml = 'a:\n' + Array.from({ length: 1200 }, (_, i) => ' '.repeat(i + 1) + 'a:').join('\n') + ' 1\n';
  assert.throws(() => decodeBody(yaml, 'application/yaml'), (e: StatusError) => e.code === 400);
  assert.deepEqual(decodeBody('{"a":'.repeat(900) + '1' + '}'.repeat(900), 'application/json') !== undefined, true);
});

test('the depth limit is exact whether or not the text has enough brackets to be walked', () => {
  const nested = (n: number, open: string, close: string) => open.repeat(n) + '1' + close.repeat(n);
  const tooDeep = (e: StatusError) => e.code === 400 && /nested more than 1000 levels/.test(e.message);
  for (const [open, close] of [['[', ']'], ['{"a":', '}']]) {
    assert.notEqual(decodeBody(nested(1000, open, close), 'application/json'), undefined);
    assert.throws(() => decodeBody(nested(1001, open, close), 'application/json'), tooDeep);
  }
  // Many brackets, shallow: walked and accepted (brackets inside strings only make the walk happen).
  const wide = JSON.stringify(Array.from({ length: 3000 }, () => ({ a: [] })));
  assert.equal((decodeBody(wide, 'application/json') as unknown[]).length, 3000);
  assert.deepEqual(decodeBody(JSON.stringify({ s: '['.repeat(5000) }), 'application/json'), { s: '['.repeat(5000) });
  // Many brackets and too deep, the deep part last.
  const mixed = `[${'[],'.repeat(2000)}${nested(1000, '[', ']')}]`;
  assert.throws(() => decodeBody(mixed, 'application/json'), tooDeep);
});

test('YAML mapping keys that are sequences or mappings are 400, as sigs.k8s.io/yaml refuses them (found by the HTTP fuzzer)', () => {
  const cases: [string, string][] = [
    ['? [a]\n: b\n', '[]interface {}{"a"}'],
    ['metadata:\n  ? {x: 1, y: [true, null]}\n  : v\n', 'map[interface {}]interface {}{"x":1, "y":[]interface {}{true, interface {}(nil)}}'],
  ];
  for (const [yaml, key] of cases) {
    assert.throws(
      () => decodeBody(yaml, 'application/yaml'),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.status.message === `error converting YAML to JSON: yaml: invalid map key: ${key}`,
    );
  }
  assert.deepEqual(decodeBody('a: {b: [1]}\n', 'application/yaml'), { a: { b: [1] } });
});

test("deep YAML is refused like deep JSON, fast and without the parser's stack overflow message (found by the HTTP fuzzer)", () => {
  const deep = (n: number) => `data: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
  const block = (n: number) => `data:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`;
  for (const body of [deep(1001), deep(1_000_000), block(2000)]) {
    const started = Date.now();
    assert.throws(
      () => decodeBody(body, 'application/yaml'),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.status.message === 'the request body is nested more than 1000 levels deep',
    );
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  }
  // Brackets inside quoted scalars do not count.
  assert.deepEqual(decodeBody(`a: ["${'['.repeat(2000)}", '${'{'.repeat(2000)}']\n`, 'application/yaml'), { a: ['['.repeat(2000), '{'.repeat(2000)] });
  assert.deepEqual(decodeBody(deep(50), 'application/yaml'), { data: JSON.parse(`${'['.repeat(50)}1${']'.repeat(50)}`) });
});
