/**
 * Label key/value validation (util/validation IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain), Go value
 * printing used in messages, and labels.NewRequirement's checks (upstream TestRequirementConstructor).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareGoStrings,
  goQuote,
  goStringSlice,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  newRequirement,
  SelectorError,
  type LabelOperator,
} from '../../../../src/api/selectors';

describe('label validation', () => {
  it('qualified names (label keys)', () => {
    for (const ok of ['a', 'A', '1', 'a-b_c.d', 'MyName', '123-abc', 'example.com/MyName', 'a.b-c/x', `${'a'.repeat(253)}/${'b'.repeat(63)}`, 'k'.repeat(63)]) {
      assert.deepEqual(isQualifiedName(ok), [], ok);
    }
    for (const bad of ['', '-a', 'a-', '_a', 'a b', 'a/', '/a', 'a/b/c', 'A.com/x', 'a_b.com/x', '-a.com/x', 'a..b/x', 'k'.repeat(64), 'é', `${'a'.repeat(254)}/b`]) {
      assert.notDeepEqual(isQualifiedName(bad), [], bad);
    }
    assert.deepEqual(isQualifiedName('a/'), [
      'name part must be non-empty',
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    assert.deepEqual(isQualifiedName(`${'k'.repeat(64)}`), ['name part must be no more than 63 characters']);
    // multi-byte characters count in bytes, as Go's len()
    assert.equal(isQualifiedName('é'.repeat(32)).length, 2);
    assert.equal(isQualifiedName('é'.repeat(31)).length, 1);
  });

  it('label values', () => {
    for (const ok of ['', 'a', 'MyValue', 'my_value', '12345', 'a.b-c_d', 'v'.repeat(63)]) assert.deepEqual(isValidLabelValue(ok), [], ok);
    for (const bad of ['-a', 'a-', 'a b', '.', 'a/b', 'v'.repeat(64), '-1']) assert.notDeepEqual(isValidLabelValue(bad), [], bad);
    assert.deepEqual(isValidLabelValue(`${'v'.repeat(63)}-`), [
      'must be no more than 63 characters',
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it('DNS-1123 subdomains', () => {
    for (const ok of ['a', 'example.com', 'a-b.c-d', '0.1.2', 'a'.repeat(253)]) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
    for (const bad of ['', 'A', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', 'a'.repeat(254)]) assert.notDeepEqual(isDNS1123Subdomain(bad), [], bad);
    // a hostile input is linear, not a regex blow-up
    const start = Date.now();
    isDNS1123Subdomain(`${'a-'.repeat(200000)}!`);
    isQualifiedName(`${'a-'.repeat(200000)}!`);
    assert.ok(Date.now() - start < 1000);
  });
});

describe('Go value printing', () => {
  it('goQuote follows strconv.Quote', () => {
    assert.equal(goQuote('a b'), '"a b"');
    assert.equal(goQuote('q"\\'), '"q\\"\\\\"');
    assert.equal(goQuote('\x01\x7f\t\n'), '"\\x01\\x7f\\t\\n"');
    assert.equal(goQuote('é😀'), '"é😀"');
    assert.equal(goQuote('\u2028\u00a0'), '"\\u2028\\u00a0"');
  });

  it('goStringSlice follows %#v of []string', () => {
    assert.equal(goStringSlice(null), '[]string(nil)');
    assert.equal(goStringSlice([]), '[]string{}');
    assert.equal(goStringSlice(['a', 'b c']), '[]string{"a", "b c"}');
  });

  it('compareGoStrings orders by UTF-8 bytes', () => {
    const sorted = ['b', 'a', '\uffff', '😀', 'ab', ''].sort(compareGoStrings);
    assert.deepEqual(sorted, ['', 'a', 'ab', 'b', '\uffff', '😀']);
  });
});

describe('newRequirement (upstream TestRequirementConstructor)', () => {
  it('accepts and rejects as upstream', () => {
    const cases: [string, LabelOperator, string[] | null, boolean][] = [
      ['x', 'in', null, false],
      ['x', 'notin', [], false],
      ['x', 'in', ['foo'], true],
      ['x', 'notin', ['foo'], true],
      ['x', 'exists', null, true],
      ['x', '!', null, true],
      ['1foo', 'in', ['bar'], true],
      ['1234', 'in', ['bar'], true],
      ['y', 'gt', ['1'], true],
      ['z', 'lt', ['6'], true],
      ['foo', 'gt', ['bar'], false],
      ['barz', 'lt', ['blah'], false],
      ['a'.repeat(254), 'exists', null, false],
      ['x', '=', ['a', 'b'], false],
      ['x', 'gt', ['1', '2'], false],
      ['x', 'exists', ['a'], false],
    ];
    for (const [key, op, vals, ok] of cases) {
      if (ok) assert.equal(newRequirement(key, op, vals).key, key);
      else assert.throws(() => newRequirement(key, op, vals), SelectorError, `${key} ${op} ${JSON.stringify(vals)}`);
    }
    assert.throws(() => newRequirement('x', '=', ['a', 'b']), {
      message: 'values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value',
    });
    assert.throws(() => newRequirement('x', 'gt', ['1', '2']), {
      message: `values: Invalid value: []string{"1", "2"}: for 'Gt', 'Lt' operators, exactly one value is required`,
    });
    assert.throws(() => newRequirement('x y', 'in', ['a'], 'spec.selector'), { message: /^spec\.selector\.key: Invalid value: "x y": name part/ });
  });
});
