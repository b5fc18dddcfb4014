/**
 * Field selector syntax as apimachinery's fields package (upstream fields/selector_test.go cases plus escaping):
 * parse, canonical text, matching with missing fields as '', requiresExactMatch, transform, and error texts.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../../../src/api/status';
import {
  escapeFieldValue,
  everythingFields,
  fieldSelectorFromSet,
  parseFieldSelector,
  unescapeFieldValue,
} from '../../../../src/api/selectors';

function parseError(s: string): string {
  try {
    parseFieldSelector(s);
  } catch (e) {
    assert.ok(isStatusError(e));
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail(`${JSON.stringify(s)} parsed`);
}

describe('field selector', () => {
  it('reprints good selectors (terms ordered by their raw text)', () => {
    const cases: [string, string][] = [
      ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
      ['', ''],
      ['x!=a,y=b', 'x!=a,y=b'],
      ['x=a,a=x', 'a=x,x=a'],
      ['a=x,x=a', 'a=x,x=a'],
      ['x==a', 'x=a'],
      ['x=', 'x='],
      ['x=a,,y=b,', 'x=a,y=b'],
      ['x=a\\,b', 'x=a\\,b'],
      ['x=a\\=b', 'x=a\\=b'],
      ['x=a\\\\b', 'x=a\\\\b'],
      ['x=\\\\,y=1', 'x=\\\\,y=1'],
      ['spec.nodeName=node-1,status.phase!=Running', 'spec.nodeName=node-1,status.phase!=Running'],
      ['x= y', 'x= y'],
    ];
    for (const [input, out] of cases) assert.equal(parseFieldSelector(input).toString(), out, input);
  });

  it('splits each term at the first operator: != before == before =', () => {
    const reqs = (s: string) => parseFieldSelector(s).requirements.map((r) => [r.field, r.operator, r.value]);
    assert.deepEqual(reqs('a!=b'), [['a', '!=', 'b']]);
    assert.deepEqual(reqs('a==b'), [['a', '=', 'b']]);
    assert.deepEqual(reqs('a=\\=b'), [['a', '=', '=b']]);
    assert.deepEqual(reqs('a!\\=b'), [['a!\\', '=', 'b']]);
    assert.deepEqual(reqs('a b=c d'), [['a b', '=', 'c d']]);
    assert.deepEqual(reqs('x=a\\,b\\=c\\\\d'), [['x', '=', 'a,b=c\\d']]);
    assert.deepEqual(reqs('b=2,a=1'), [
      ['a', '=', '1'],
      ['b', '=', '2'],
    ]);
  });

  it('rejects bad selectors with upstream wording', () => {
    const cases: [string, string][] = [
      ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
      ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
      ['a', "invalid selector: 'a'; can't understand 'a'"],
      ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
      ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
      ['x=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
      ['x=a\\é', 'invalid field selector: invalid escape sequence: \\é'],
      ['z=a\\b,a=b=c', 'invalid field selector: unescaped character in value: 61'],
      ['a!==b', 'invalid field selector: unescaped character in value: 61'],
    ];
    for (const [input, msg] of cases) assert.equal(parseError(input), msg, input);
  });

  it('matches as upstream TestSelectorMatches; a missing field reads as the empty string', () => {
    const yes: [string, Record<string, string>][] = [
      ['', { x: 'y' }],
      ['x=y', { x: 'y' }],
      ['x=y,z=w', { x: 'y', z: 'w' }],
      ['x!=y,z!=w', { x: 'z', z: 'a' }],
      ['notin=in', { notin: 'in' }],
      ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
      ['x=', {}],
      ['x!=a', {}],
      ['constructor=', {}],
      ['x=a\\,b', { x: 'a,b' }],
    ];
    const no: [string, Record<string, string>][] = [
      ['x=y', { x: 'z' }],
      ['x=y,z=w', { x: 'w', z: 'w' }],
      ['x!=y,z!=w', { x: 'z', z: 'w' }],
      ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
      ['x!=', {}],
      ['x=a', {}],
    ];
    for (const [s, f] of yes) assert.ok(parseFieldSelector(s).matches(f), `${s} ~ ${JSON.stringify(f)}`);
    for (const [s, f] of no) assert.ok(!parseFieldSelector(s).matches(f), `${s} !~ ${JSON.stringify(f)}`);
  });

  it('requiresExactMatch returns the first equality term on the field (upstream TestRequiresExactMatch)', () => {
    const cases: [string, string, string | undefined][] = [
      ['', 'test', undefined],
      ['a=b', 'test', undefined],
      ['test=b', 'test', 'b'],
      ['test=', 'test', ''],
      ['test!=b', 'test', undefined],
      ['test!=', 'test', undefined],
      ['a=,test=b', 'test', 'b'],
      ['spec.nodeName=node-1,metadata.namespace=default', 'spec.nodeName', 'node-1'],
    ];
    for (const [s, f, want] of cases) assert.equal(parseFieldSelector(s).requiresExactMatch(f), want, s);
  });

  it('escapes and unescapes values; every string survives the round trip', () => {
    assert.equal(escapeFieldValue('a\\b,c=d'), 'a\\\\b\\,c\\=d');
    assert.equal(unescapeFieldValue('a\\\\b\\,c\\=d'), 'a\\b,c=d');
    for (const v of ['', 'plain', '\\', ',', '=', '\\\\,,==', 'a=b,c\\d', 'ünï\\cødé=']) {
      assert.equal(unescapeFieldValue(escapeFieldValue(v)), v);
      const sel = fieldSelectorFromSet({ f: v });
      assert.equal(parseFieldSelector(sel.toString()).requiresExactMatch('f'), v);
    }
  });

  it('everything, sets and transforms', () => {
    assert.ok(everythingFields().empty() && everythingFields().matches({ a: 'b' }));
    assert.ok(parseFieldSelector('').empty() && parseFieldSelector(',,').empty());
    assert.ok(!parseFieldSelector('a=').empty());
    const set = fieldSelectorFromSet({ x: 'y' });
    assert.ok(set.matches({ x: 'y' }) && !set.matches({ x: 'z' }));
    const t = parseFieldSelector('a=1,b!=2,c=3').transform((f, v) => (f === 'b' ? ['', ''] : [`new.${f}`, v]));
    assert.equal(t.toString(), 'new.a=1,new.c=3');
    assert.throws(() => parseFieldSelector('a=1').transform(() => {
      throw new Error('nope');
    }), /nope/);
  });
});
