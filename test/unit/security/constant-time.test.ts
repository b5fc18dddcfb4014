/**
 * Claim: every comparison of a presented secret (bearer token, endpoint token) with a known one is constant time.
 * Timing cannot be measured reliably in a unit test, so this checks (1) behaviour: secretEqual and the token-file
 * authenticator agree with plain equality on arbitrary strings (fast-check), (2) use: both go through
 * crypto.timingSafeEqual, the token file once per entry and never stopping early, and (3) the source: no `=== token`
 * style comparison in the code that authenticates (src/apiserver/authn, src/cluster, src/client, the filters).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it, mock } from 'node:test';
import fc from 'fast-check';
import { secretEqual } from '../../../src/base/secret-equal';
import { createTokenFileAuthenticator, type TokenEntry } from '../../../src/apiserver/authn/token-file';

const root = path.resolve(__dirname, '..', '..', '..');
/** The real module object (what the code under test reads timingSafeEqual from), so it can be spied on. */
const crypto = createRequire(__filename)('node:crypto') as typeof import('node:crypto');

const entry = (token: string, name: string, line: number): TokenEntry => ({ token, user: { name, groups: [] }, line });
const auth = (entries: TokenEntry[], token: string) =>
  createTokenFileAuthenticator(() => entries).authenticate({ headers: { authorization: `Bearer ${token}` } } as never);

describe('secretEqual', () => {
  it('is plain string equality, whatever the lengths and contents', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        assert.equal(secretEqual(a, b), a === b);
        assert.equal(secretEqual(a, a), true);
      }),
    );
    assert.equal(secretEqual('', ''), true);
    assert.equal(secretEqual('abc', 'abcd'), false);
    assert.equal(secretEqual('é', 'e\u0301'), false);
  });

  it('compares with crypto.timingSafeEqual on equal-length digests', () => {
    const spy = mock.method(crypto, 'timingSafeEqual');
    try {
      secretEqual('short', 'a much longer token than the other one');
      assert.equal(spy.mock.callCount(), 1);
      const [x, y] = spy.mock.calls[0].arguments as [Buffer, Buffer];
      assert.equal(x.length, 32);
      assert.equal(y.length, 32);
    } finally {
      spy.mock.restore();
    }
  });
});

describe('token-file authenticator', () => {
  it('finds exactly the entry whose token equals the presented one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,40}$/), { minLength: 1, maxLength: 8 }), fc.nat(), fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,40}$/), (tokens, i, other) => {
        const entries = tokens.map((t, n) => entry(t, `u${n}`, n + 1));
        const pick = tokens[i % tokens.length];
        assert.deepEqual(auth(entries, pick), { user: { name: `u${i % tokens.length}`, groups: [] } });
        const r = auth(entries, other);
        if (tokens.includes(other)) assert.ok(r && 'user' in r);
        else assert.deepEqual(r, { error: 'invalid bearer token' });
      }),
    );
  });

  it('runs timingSafeEqual against every entry, even after a match on the first', () => {
    const entries = [entry('first-token', 'a', 1), entry('second-token', 'b', 2), entry('third-token', 'c', 3)];
    const spy = mock.method(crypto, 'timingSafeEqual');
    try {
      assert.deepEqual(auth(entries, 'first-token'), { user: { name: 'a', groups: [] } });
      assert.equal(spy.mock.callCount(), 3);
      spy.mock.resetCalls();
      assert.deepEqual(auth(entries, 'nope'), { error: 'invalid bearer token' });
      assert.equal(spy.mock.callCount(), 3);
    } finally {
      spy.mock.restore();
    }
  });
});

/** Directories whose code handles presented credentials. */
const CHECKED = ['src/apiserver/authn', 'src/apiserver/filters', 'src/cluster', 'src/client'];
const SECRETISH = /token|secret|password|nonce/i;
/** `a === b` / `a !== b` with simple operands (identifiers, member chains, literals). */
const COMPARISON = /([\w$.?[\]'"`]+)\s*(===|!==|==|!=)\s*([\w$.?[\]'"`]+)/g;
const HARMLESS_OPERAND = /^(undefined|null|true|false|\d+|'[^']*'|"[^"]*")$/;

/** `x.token === y` style comparisons of secrets in `text` (presence checks and typeof tests are fine). */
function secretComparisons(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, n) => {
    if (/^\s*(\*|\/\/)/.test(line)) return;
    for (const m of line.matchAll(COMPARISON)) {
      const [, left, , right] = m;
      // The compared thing is the last name of a member chain: `k.secret.uid` is a uid, `hello.token` a token.
      const last = (s: string) => s.split(/\?\.|\./).pop() ?? s;
      if (!SECRETISH.test(last(left)) && !SECRETISH.test(last(right))) continue;
      if (HARMLESS_OPERAND.test(left) || HARMLESS_OPERAND.test(right)) continue;
      const before = line.slice(0, m.index);
      if (/typeof\s*$/.test(before)) continue;
      found.push(`${n + 1}: ${line.trim()}`);
    }
  });
  return found;
}

function tsFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

describe('architecture: no plain comparison of secrets', () => {
  it('the detector fires on `=== token` style code and not on presence checks', () => {
    assert.deepEqual(secretComparisons('if (hello.token === token) ok();'), ['1: if (hello.token === token) ok();']);
    assert.equal(secretComparisons('return given !== entry.token;').length, 1);
    assert.equal(secretComparisons('if (cur.endpoint?.token == token) x();').length, 1);
    assert.equal(secretComparisons("if (token === undefined) return;\nif (typeof m.token !== 'string') return;\nif (a.length === tokens.length) x();").length, 0);
  });

  it(`finds none in ${CHECKED.join(', ')}`, () => {
    const hits = CHECKED.flatMap(tsFiles).flatMap((f) => secretComparisons(fs.readFileSync(path.join(root, f), 'utf8')).map((h) => `${f}:${h}`));
    assert.deepEqual(hits, []);
  });

  it('the endpoint server and the endpoint file compare tokens with secretEqual', () => {
    for (const f of ['src/cluster/endpoint-server.ts', 'src/cluster/endpoint-file.ts']) {
      assert.match(fs.readFileSync(path.join(root, f), 'utf8'), /secretEqual\(/, f);
    }
  });
});
