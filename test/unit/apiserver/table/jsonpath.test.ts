import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileJsonPath } from '../../../../src/apiserver/table/jsonpath';

const doc = {
  metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'shop', tier: 'fe' } },
  spec: {
    items: [{ name: 'a', n: 1, on: true }, { name: 'b', n: 2 }, { name: 'c', n: 3, on: false }],
    nested: { deep: { value: null } },
  },
};

describe('JSONPath subset (client-go jsonpath, AllowMissingKeys)', () => {
  const cases: [string, unknown[] | undefined][] = [
    ['.metadata.name', ['x']],
    ['{.metadata.name}', ['x']],
    ['$.metadata.name', ['x']],
    ['.metadata.labels.app\\.kubernetes\\.io/name', ['shop']],
    [".metadata.labels['app.kubernetes.io/name']", ['shop']],
    ['.metadata.labels["tier"]', ['fe']],
    ['.metadata.missing', []],
    ['.metadata.name.deeper', []],
    ['.spec.nested.deep.value', [null]],
    ['.spec.items[0].name', ['a']],
    ['.spec.items[-1].name', ['c']],
    ['.spec.items[1:].name', ['b', 'c']],
    ['.spec.items[0:2].n', [1, 2]],
    ['.spec.items[*].name', ['a', 'b', 'c']],
    ['.spec.items.*.n', [1, 2, 3]],
    ['.metadata.labels.*', ['shop', 'fe']],
    ['..name', ['x', 'a', 'b', 'c']],
    ['.spec.items[?(@.name=="b")].n', [2]],
    [".spec.items[?(@.name=='c')].n", [3]],
    ['.spec.items[?(@.n>1)].name', ['b', 'c']],
    ['.spec.items[?(@.n<=1)].name', ['a']],
    ['.spec.items[?(@.n!=2)].name', ['a', 'c']],
    ['.spec.items[?(@.on==true)].name', ['a']],
    ['.spec.items[?(@.on)].name', ['a', 'c']],
    ['.spec.items[5].name', undefined],
    ['.spec.items[?(@.name==1)].n', undefined],
    ['.metadata[0]', undefined],
  ];
  for (const [path, want] of cases) it(`${path} → ${JSON.stringify(want)}`, () => assert.deepEqual(compileJsonPath(path)(doc), want));

  it('rejects syntax errors at compile time', () => {
    assert.throws(() => compileJsonPath('.spec.items[0'));
    assert.throws(() => compileJsonPath('.spec.items[a:b]'));
  });
  it('compiles once per path', () => {
    assert.equal(compileJsonPath('.spec.items[0].n'), compileJsonPath('.spec.items[0].n'));
  });
});
