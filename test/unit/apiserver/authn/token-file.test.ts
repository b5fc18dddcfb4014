import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bearerToken } from '../../../../src/apiserver/authn/bearer';
import { createTokenFileAuthenticator, parseTokenFile, type TokenEntry } from '../../../../src/apiserver/authn/token-file';

type Row = [name: string, text: string, entries: [token: string, user: string, uid: string | undefined, groups: string[], line: number][], errors: string[]];

const parseCases: Row[] = [
  ['three columns', 'tok1,alice,u1\n', [['tok1', 'alice', 'u1', [], 1]], []],
  ['quoted groups', 'tok1,alice,u1,"dev,ops"\n', [['tok1', 'alice', 'u1', ['dev', 'ops'], 1]], []],
  ['single group unquoted', 'tok1,alice,u1,dev\n', [['tok1', 'alice', 'u1', ['dev'], 1]], []],
  ['extra columns ignored', 'tok1,alice,u1,"a,b",ignored,more\n', [['tok1', 'alice', 'u1', ['a', 'b'], 1]], []],
  ['comments and blank lines', '# admin\n\ntok1,alice,u1\r\n\r\n#x,y,z\ntok2,bob,u2\n', [['tok1', 'alice', 'u1', [], 3], ['tok2', 'bob', 'u2', [], 6]], []],
  ['no trailing newline', 'tok1,alice,u1', [['tok1', 'alice', 'u1', [], 1]], []],
  ['empty uid', 'tok1,alice,,g\n', [['tok1', 'alice', undefined, ['g'], 1]], []],
  ['escaped quote in quoted field', 'tok1,"al""ice",u1\n', [['tok1', 'al"ice', 'u1', [], 1]], []],
  ['quoted newline spans lines', 'tok1,alice,u1,"a,\nb"\ntok2,bob,u2\n', [['tok1', 'alice', 'u1', ['a', '\nb'], 1], ['tok2', 'bob', 'u2', [], 3]], []],
  ['fields are not trimmed', 'tok1, alice,u1\n', [['tok1', ' alice', 'u1', [], 1]], []],
  ['too few columns', 'tok1,alice\ntok2,bob,u2\n', [['tok2', 'bob', 'u2', [], 2]], ['line 1: must have at least 3 columns (token, user name, user uid), found 2']],
  ['empty token', ',alice,u1\n', [], ['line 1: empty token']],
  ['bare quote', 'to"k1,alice,u1\ntok2,bob,u2\n', [['tok2', 'bob', 'u2', [], 2]], ['line 1: bare " in non-quoted-field']],
  ['text after closing quote', '"tok1"x,alice,u1\n', [], ['line 1: extraneous or missing " in quoted-field']],
  ['unterminated quote', 'tok1,alice,"u1\n', [], ['line 2: extraneous or missing " in quoted-field']],
  ['one column', 'justatoken\n', [], ['line 1: must have at least 3 columns (token, user name, user uid), found 1']],
];

for (const [name, text, entries, errors] of parseCases) {
  test(`parseTokenFile: ${name}`, () => {
    const r = parseTokenFile(text);
    assert.deepEqual(
      r.entries.map((e) => [e.token, e.user.name, e.user.uid, e.user.groups, e.line]),
      entries,
    );
    assert.deepEqual(r.errors, errors);
  });
}

test('parseTokenFile: a duplicate token keeps the later line and warns', () => {
  const r = parseTokenFile('t,alice,u1\nx,carol,u3\nt,bob,u2\n');
  assert.deepEqual(r.entries.map((e) => e.user.name), ['carol', 'bob']);
  assert.deepEqual(r.warnings, ['line 3: duplicate token (also on line 1); the later line wins']);
});

test('parseTokenFile: messages never contain the token', () => {
  const secret = 'S3CRET-TOKEN-VALUE';
  const r = parseTokenFile(`${secret}\n${secret}"x,a,b\n${secret},a,b\n${secret},c,d\n`);
  for (const m of [...r.errors, ...r.warnings]) assert.ok(!m.includes(secret), m);
  assert.equal(r.errors.length, 2);
});

const bearerCases: [string | undefined, string | undefined][] = [
  [undefined, undefined],
  ['', undefined],
  ['Bearer abc', 'abc'],
  ['bearer abc', 'abc'],
  ['BEARER abc', 'abc'],
  ['  Bearer abc  ', 'abc'],
  ['Bearer abc def', 'abc'],
  ['Bearer  abc', undefined],
  ['Bearer', undefined],
  ['Basic dXNlcjpwYXNz', undefined],
  ['Bearerabc', undefined],
];
for (const [header, want] of bearerCases) {
  test(`bearerToken(${JSON.stringify(header)})`, () => assert.equal(bearerToken({ authorization: header }), want));
}

const entries = parseTokenFile('s3cret,alice,u1,"dev,ops"\nother-token,bob,u2\n').entries;
const authn = createTokenFileAuthenticator(() => entries);

const authCases: [name: string, header: string | undefined, want: string | undefined | { error: string }][] = [
  ['known token', 'Bearer s3cret', 'alice'],
  ['second entry', 'Bearer other-token', 'bob'],
  ['no header', undefined, undefined],
  ['not bearer', 'Basic s3cret', undefined],
  ['unknown token', 'Bearer nope', { error: 'invalid bearer token' }],
  ['prefix of a token', 'Bearer s3cre', { error: 'invalid bearer token' }],
  ['token plus suffix', 'Bearer s3cretX', { error: 'invalid bearer token' }],
  ['case differs', 'Bearer S3CRET', { error: 'invalid bearer token' }],
];
for (const [name, header, want] of authCases) {
  test(`token-file authenticator: ${name}`, () => {
    const r = authn.authenticate({ headers: { authorization: header }, path: '/api' });
    if (typeof want === 'string') {
      assert.ok(r && 'user' in r);
      assert.equal(r.user.name, want);
    } else assert.deepEqual(r, want);
  });
}

test('token-file authenticator: the user is a copy with groups and uid, without system:authenticated', () => {
  const r = authn.authenticate({ headers: { authorization: 'Bearer s3cret' }, path: '/' });
  assert.deepEqual(r, { user: { name: 'alice', uid: 'u1', groups: ['dev', 'ops'] } });
  assert.ok(r && 'user' in r);
  r.user.groups.push('mutated');
  assert.deepEqual(entries[0].user.groups, ['dev', 'ops']);
});

test('token-file authenticator: compares against every entry (no early exit)', () => {
  const reads: string[] = [];
  const mk = (token: string, name: string): TokenEntry => ({
    get token() {
      reads.push(name);
      return token;
    },
    user: { name, groups: [] },
    line: 1,
  });
  const list = [mk('first', 'a'), mk('second', 'b'), mk('third', 'c')];
  const a = createTokenFileAuthenticator(() => list);
  const r = a.authenticate({ headers: { authorization: 'Bearer first' }, path: '/' });
  assert.ok(r && 'user' in r && r.user.name === 'a');
  assert.deepEqual(reads, ['a', 'b', 'c']);
});

test('token-file authenticator: a reloaded list takes effect', () => {
  let list = parseTokenFile('t1,alice,u1\n').entries;
  const a = createTokenFileAuthenticator(() => list);
  assert.ok('user' in (a.authenticate({ headers: { authorization: 'Bearer t1' }, path: '/' }) as object));
  list = parseTokenFile('t2,bob,u2\n').entries;
  assert.deepEqual(a.authenticate({ headers: { authorization: 'Bearer t1' }, path: '/' }), { error: 'invalid bearer token' });
});

test('property: random bearer tokens never authenticate or throw; random files never throw', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (tok, text) => {
      const headers = { authorization: `Bearer ${tok}` };
      fc.pre(!['s3cret', 'other-token'].includes(bearerToken(headers) ?? ''));
      const r = authn.authenticate({ headers, path: '/' });
      assert.ok(r === undefined || ('error' in r && r.error === 'invalid bearer token'));
      const parsed = parseTokenFile(text);
      assert.ok(Array.isArray(parsed.entries));
    }),
    { numRuns: 500 },
  );
});
