import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash, createPublicKey, sign } from 'node:crypto';
import fc from 'fast-check';
import {
  DEFAULT_SA_ISSUER,
  goJson,
  serviceAccountClaims,
  signServiceAccountToken,
  verifyServiceAccountToken,
  type ServiceAccountClaims,
} from '../../../../src/apiserver/authn/serviceaccount-jwt';
import { generateServiceAccountKey, keyIdOf, verificationKeys } from '../../../../src/apiserver/authn/serviceaccount-keys';

const pair = generateServiceAccountKey();
const other = generateServiceAccountKey();
const keys = verificationKeys([pair.publicKeyPem]);
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const sec = (ms: number) => Math.floor(ms / 1000);

function claims(over: Partial<ServiceAccountClaims> = {}): ServiceAccountClaims {
  return {
    ...serviceAccountClaims({
      namespace: 'default',
      serviceAccount: { name: 'builder', uid: 'sa-uid' },
      pod: { name: 'web-0', uid: 'pod-uid' },
      node: { name: 'node-1', uid: 'node-uid' },
      now: NOW,
      jti: 'f0e1d2c3-0000-4000-8000-000000000001',
    }),
    ...over,
  };
}

function part(token: string, i: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Re-signs a token whose payload was changed (for claim tests that need a valid signature). */
function signRaw(payload: object, header: object = { alg: 'RS256', kid: keys[0].kid }, key = pair.privateKeyPem): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

test('claims: as upstream builds a pod-bound token', () => {
  const c = claims();
  assert.deepEqual(c, {
    iss: DEFAULT_SA_ISSUER,
    sub: 'system:serviceaccount:default:builder',
    aud: [DEFAULT_SA_ISSUER],
    exp: sec(NOW) + 3600,
    iat: sec(NOW),
    nbf: sec(NOW),
    jti: 'f0e1d2c3-0000-4000-8000-000000000001',
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid: 'sa-uid' }, pod: { name: 'web-0', uid: 'pod-uid' }, node: { name: 'node-1', uid: 'node-uid' } },
  });
  const random = serviceAccountClaims({ namespace: 'a', serviceAccount: { name: 'b', uid: 'c' }, now: NOW });
  assert.match(random.jti!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.throws(
    () => serviceAccountClaims({ namespace: 'a', serviceAccount: { name: 'b', uid: 'c' }, secret: { name: 's', uid: 'u' }, pod: { name: 'p', uid: 'u' }, now: NOW }),
    /token can only be bound to one object type/,
  );
});

test('sign: header {alg, kid} with upstream key id, payload keys sorted as Go writes them', () => {
  const token = signServiceAccountToken(pair.privateKeyPem, claims());
  const der = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url');
  assert.equal(keyIdOf(createPublicKey(pair.publicKeyPem)), kid);
  assert.equal(Buffer.from(token.split('.')[0], 'base64url').toString(), `{"alg":"RS256","kid":"${kid}"}`);
  assert.deepEqual(Object.keys(part(token, 1)), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
  assert.deepEqual(Object.keys(part(token, 1)['kubernetes.io'] as object), ['namespace', 'node', 'pod', 'serviceaccount']);
  assert.ok(!/=/.test(token));
});

test('goJson escapes like Go', () => {
  assert.equal(goJson({ b: '<&>', a: [1, 'x\u2028'] }), '{"a":[1,"x\\u2028"],"b":"\\u003c\\u0026\\u003e"}');
});

test('round trip', () => {
  const token = signServiceAccountToken(pair.privateKeyPem, claims());
  const r = verifyServiceAccountToken(keys, token, { now: NOW + 1000 });
  assert.ok(r && 'claims' in r);
  assert.deepEqual(r.claims, claims());
  assert.deepEqual(r.audiences, [DEFAULT_SA_ISSUER]);
});

const good = () => signServiceAccountToken(pair.privateKeyPem, claims());
const min = 60_000;

const cases: [name: string, token: () => string, opts: Partial<Parameters<typeof verifyServiceAccountToken>[2]>, want: string | undefined | 'ok', keySet?: typeof keys][] = [
  ['expired beyond leeway', good, { now: NOW + 3600_000 + min + 1000 }, 'service account token has expired'],
  ['expired within leeway', good, { now: NOW + 3600_000 + min - 1000 }, 'ok'],
  ['not valid yet', () => signServiceAccountToken(pair.privateKeyPem, claims({ nbf: sec(NOW) + 600, iat: sec(NOW) })), { now: NOW }, 'service account token is not valid yet'],
  ['nbf within leeway', () => signServiceAccountToken(pair.privateKeyPem, claims({ nbf: sec(NOW) + 30 })), { now: NOW }, 'ok'],
  ['issued in the future', () => signServiceAccountToken(pair.privateKeyPem, claims({ iat: sec(NOW) + 600 })), { now: NOW }, 'service account token is issued in the future'],
  ['other issuer → not ours', () => signServiceAccountToken(pair.privateKeyPem, claims({ iss: 'https://elsewhere' })), { now: NOW }, undefined],
  ['configured issuer', () => signServiceAccountToken(pair.privateKeyPem, claims({ iss: 'https://kubelab', aud: ['https://kubelab'] })), { now: NOW, issuer: 'https://kubelab' }, 'ok'],
  ['second accepted issuer', () => signServiceAccountToken(pair.privateKeyPem, claims({ iss: 'https://old' })), { now: NOW, issuer: ['https://new', 'https://old'], audiences: [DEFAULT_SA_ISSUER] }, 'ok'],
  ['wrong audience', () => signServiceAccountToken(pair.privateKeyPem, claims({ aud: ['vault'] })), { now: NOW }, 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]'],
  ['one of several audiences', () => signServiceAccountToken(pair.privateKeyPem, claims({ aud: ['vault', 'api'] })), { now: NOW, audiences: ['api', 'x'] }, 'ok'],
  ['no audience → implicit (legacy)', () => signServiceAccountToken(pair.privateKeyPem, claims({ aud: [] })), { now: NOW }, 'ok'],
  ['signed by another key with our kid', () => signRaw(claims(), { alg: 'RS256', kid: keys[0].kid }, other.privateKeyPem), { now: NOW }, 'go-jose/go-jose: error in cryptographic primitive'],
  ['signed by an unknown key', () => signServiceAccountToken(other.privateKeyPem, claims()), { now: NOW }, 'invalid signature, no keys found'],
  ['no kid: every key tried', () => signRaw(claims(), { alg: 'RS256' }), { now: NOW }, 'ok'],
  ['no kid, wrong key', () => signRaw(claims(), { alg: 'RS256' }, other.privateKeyPem), { now: NOW }, 'go-jose/go-jose: error in cryptographic primitive'],
  ['alg none', () => { const t = good().split('.'); return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${t[1]}.`; }, { now: NOW }, 'go-jose/go-jose: unknown/unsupported algorithm'],
  ['payload tampered', () => { const t = good().split('.'); const p = part(good(), 1); (p['kubernetes.io'] as { namespace: string }).namespace = 'kube-system'; return `${t[0]}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${t[2]}`; }, { now: NOW }, 'go-jose/go-jose: error in cryptographic primitive'],
  ['signature truncated', () => good().slice(0, -4), { now: NOW }, 'go-jose/go-jose: error in cryptographic primitive'],
  ['signature not base64url', () => `${good()}=`, { now: NOW }, undefined],
  ['two parts', () => good().split('.').slice(0, 2).join('.'), { now: NOW }, undefined],
  ['JSON token', () => '{"iss":"https://kubernetes.default.svc.cluster.local"}', { now: NOW }, undefined],
  ['no keys configured', good, { now: NOW }, 'invalid signature, no keys found', []],
  ['two keys, the second matches', good, { now: NOW }, 'ok', verificationKeys([other.publicKeyPem, pair.privateKeyPem])],
];

for (const [name, token, opts, want, keySet] of cases) {
  test(`verify: ${name}`, () => {
    const r = verifyServiceAccountToken(keySet ?? keys, token(), { now: NOW, ...opts });
    if (want === undefined) assert.equal(r, undefined);
    else if (want === 'ok') assert.ok(r && 'claims' in r, JSON.stringify(r));
    else assert.deepEqual(r, { error: want });
  });
}

test('verify: claims of the wrong type are rejected after the signature', () => {
  const r = verifyServiceAccountToken(keys, signRaw({ ...claims(), exp: 'tomorrow' }), { now: NOW });
  assert.ok(r && 'error' in r);
});

test('property: random strings are never accepted and never throw', () => {
  const prefix = good().split('.').slice(0, 2).join('.');
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }).map((s) => `${prefix}.${s}`)), (s) => {
      const r = verifyServiceAccountToken(keys, s, { now: NOW });
      assert.ok(r === undefined || 'error' in r);
      if (r && 'error' in r && s.length > 20) assert.ok(!r.error.includes(s));
    }),
    { numRuns: 300 },
  );
});
