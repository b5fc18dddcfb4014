/**
 * The label selector string parser against upstream's own cases (apimachinery labels/selector_test.go:
 * TestSelectorParse, TestSetSelectorParser, TestSelectorMatches, TestRequirementSelectorMatching,
 * TestRequiresExactMatch) plus the exact error texts kube-apiserver 1.32 returns as 400 BadRequest.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../../../src/api/status';
import {
  everything,
  labelSelectorFromSet,
  LabelRequirement,
  newRequirement,
  nothing,
  parseLabelSelector,
  selectorOf,
} from '../../../../src/api/selectors';

const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function parseError(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (e) {
    assert.ok(isStatusError(e), `not a StatusError: ${String(e)}`);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail(`${JSON.stringify(s)} parsed`);
}

describe('label selector parser', () => {
  it('reprints good selectors in canonical form (upstream TestSelectorParse)', () => {
    for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
      assert.equal(parseLabelSelector(s).toString(), s.replaceAll(' ', ''), s);
    }
  });

  it('canonical form sorts requirements by key and set values, and keeps == and !=', () => {
    const cases: [string, string][] = [
      ['x=a,a=x', 'a=x,x=a'],
      ['a=x,x=a', 'a=x,x=a'],
      ['z in (c,a,b), y notin (q)', 'y notin (q),z in (a,b,c)'],
      ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
      ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
      ['x in (abc,)', 'x in (,abc)'],
      ['x notin ( )', 'x notin ()'],
      ['x notin (, a)', 'x notin (,a)'],
      ['y==jkl,x=abc', 'x=abc,y==jkl'],
      ['\rx', 'x'],
      ['foo  in\t (abc)', 'foo in (abc)'],
      ['x notin\n (abc)', 'x notin (abc)'],
      ['a ', 'a'],
      ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
      ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
      ['notin=in', 'notin=in'],
      ['x=a,x!=b', 'x=a,x!=b'],
    ];
    for (const [input, out] of cases) assert.equal(parseLabelSelector(input).toString(), out, input);
  });

  it('rejects bad selectors with upstream wording', () => {
    const cases: [string, string][] = [
      ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_MSG}`],
      ['x==a==b', "found '==', expected: ',' or 'end of string'"],
      ['!x=a', "found '=', expected: ',' or 'end of string'"],
      ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
      ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
      ['x,,y', "found ',', expected: identifier after ','"],
      [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
      ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
      ['a in (xyz),', "found '', expected: identifier after ','"],
      ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
      ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
      ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
      ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
      ['(', "found '(', expected: !, identifier, or 'end of string'"],
      ['x in a', "unable to parse requirement: found 'a' expected: '('"],
      ['x in (a=', "unable to parse requirement: found '=', expected: ',' or ')'"],
      ['x in (,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
      ['x=(', "unable to parse requirement: found '(', expected: identifier"],
      ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
      ['x in (,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
      ['!', "unable to parse requirement: found '', expected: identifier"],
      ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART_MSG}`],
      [
        'app.kubernetes_io/name=x',
        'unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      ],
      [
        'a/b/c ?=? def',
        "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
      [
        'x in (a_,b_)',
        `unable to parse requirement: [values[0][x]: Invalid value: "a_": ${LABEL_VALUE_MSG}, values[1][x]: Invalid value: "b_": ${LABEL_VALUE_MSG}]`,
      ],
      [
        'x>a_',
        `unable to parse requirement: [values[0]: Invalid value: "a_": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "a_": ${LABEL_VALUE_MSG}]`,
      ],
      ['x>99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
      [`k=${'v'.repeat(64)}`, `unable to parse requirement: values[0][k]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
      [`${'k'.repeat(64)}`, `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`],
      ['x=\x01', `unable to parse requirement: values[0][x]: Invalid value: "\\x01": ${LABEL_VALUE_MSG}`],
    ];
    for (const [input, msg] of cases) assert.equal(parseError(input), msg, JSON.stringify(input));
  });

  it('a NUL ends the token it is in, as the Go lexer reads a 0 byte', () => {
    assert.equal(parseError('x=a\0b'), "found 'b', expected: ',' or 'end of string'");
    assert.equal(parseLabelSelector('x=a\0').toString(), 'x=a');
    assert.equal(parseLabelSelector('x\0 ,y').toString(), 'x,y');
  });

  it('matches as upstream TestSelectorMatches', () => {
    const yes: [string, Record<string, string>][] = [
      ['', { x: 'y' }],
      ['x=y', { x: 'y' }],
      ['x=y,z=w', { x: 'y', z: 'w' }],
      ['x!=y,z!=w', { x: 'z', z: 'a' }],
      ['notin=in', { notin: 'in' }],
      ['x', { x: 'z' }],
      ['!x', { y: 'z' }],
      ['x>1', { x: '2' }],
      ['x<1', { x: '0' }],
      ['x<1', { x: '-5' }],
      ['x>0', { x: '+1' }],
      ['x<0', { x: '-9223372036854775808' }],
      ['x in (a,b)', { x: 'b' }],
      ['x notin (a,b)', { y: 'a' }],
      ['x in ()', { x: '' }],
      ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
      ['x>9223372036854775806', { x: '9223372036854775807' }],
      ['constructor!=a', {}],
      ['!constructor', {}],
    ];
    const no: [string, Record<string, string> | undefined][] = [
      ['x=z', {}],
      ['x=y', { x: 'z' }],
      ['x=y,z=w', { x: 'w', z: 'w' }],
      ['x!=y,z!=w', { x: 'z', z: 'w' }],
      ['x', { y: 'z' }],
      ['!x', { x: 'z' }],
      ['x>1', { x: '0' }],
      ['x<1', { x: '2' }],
      ['x>1', { x: 'v2' }],
      ['x>1', { x: '1' }],
      ['x>1', { x: '99999999999999999999' }],
      ['x>1', {}],
      ['x in ()', { y: '' }],
      ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
      ['constructor', {}],
      ['x', undefined],
      ['x=', undefined],
    ];
    for (const [s, labels] of yes) assert.ok(parseLabelSelector(s).matches(labels), `${s} should match ${JSON.stringify(labels)}`);
    for (const [s, labels] of no) assert.ok(!parseLabelSelector(s).matches(labels), `${s} should not match ${JSON.stringify(labels)}`);
    assert.ok(parseLabelSelector('x notin (a),!y').matches(undefined));
  });

  it('exposes requirements sorted by key (upstream TestSetSelectorParser)', () => {
    const sel = parseLabelSelector('x notin (abc,,def),bar,z in (),w');
    assert.deepEqual(
      sel.requirements.map((r) => [r.key, r.operator, [...r.values]]),
      [
        ['bar', 'exists', []],
        ['w', 'exists', []],
        ['x', 'notin', ['', 'abc', 'def']],
        ['z', 'in', ['']],
      ],
    );
    assert.deepEqual(
      parseLabelSelector('x,y in (a)').requirements.map((r) => r.key),
      ['x', 'y'],
    );
    assert.equal(parseLabelSelector('x>1').requirements[0].operator, 'gt');
    assert.equal(parseLabelSelector('x<7').requirements[0].operator, 'lt');
    assert.equal(parseLabelSelector('!x').requirements[0].operator, '!');
  });

  it('requiresExactMatch looks at the first requirement on the key (upstream TestRequiresExactMatch)', () => {
    const cases: [string, string, string | undefined][] = [
      ['key in (value)', 'key', 'value'],
      ['key in (value,value2)', 'key', undefined],
      ['key in (value,value1),key2 in (value2)', 'key2', 'value2'],
      ['key=value', 'key', 'value'],
      ['key==value', 'key', 'value'],
      ['key!=value', 'key', undefined],
      ['key in (value),key2 in (value2)', 'key', 'value'],
      ['key', 'key', undefined],
      ['key=', 'key', ''],
      ['other=a', 'key', undefined],
      ['key!=a,key=b', 'key', undefined],
    ];
    for (const [s, key, want] of cases) assert.equal(parseLabelSelector(s).requiresExactMatch(key), want, s);
  });

  it('everything, nothing and selectors from sets', () => {
    assert.ok(everything().matches({ x: 'y' }) && everything().empty() && everything().selectable);
    assert.ok(parseLabelSelector('').empty());
    assert.ok(!nothing().matches({}) && !nothing().empty() && !nothing().selectable);
    assert.equal(nothing().toString(), '');
    assert.ok(labelSelectorFromSet(undefined).empty() && labelSelectorFromSet({}).empty());
    const fromSet = labelSelectorFromSet({ foo: 'bar', baz: 'blah' });
    assert.equal(fromSet.toString(), 'baz=blah,foo=bar');
    assert.ok(fromSet.matches({ foo: 'bar', baz: 'blah', x: 'y' }));
    assert.ok(!fromSet.matches({ foo: 'bar' }));
    assert.ok(!labelSelectorFromSet({ foo: '=blah' }).matches({ foo: 'blah' }));
    assert.equal(fromSet.requiresExactMatch('foo'), 'bar');
    const added = selectorOf([]).add(new LabelRequirement('key2', '=', ['value2']), newRequirement('key', 'in', ['value']));
    assert.equal(added.toString(), 'key in (value),key2=value2');
  });
});
