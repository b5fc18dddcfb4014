import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { StatusError } from '../../../../src/api/status';
import { authenticationFilter, type AuthnApiRequest } from '../../../../src/apiserver/filters/authenticate';
import { createAnonymousAuthenticator, HEALTH_PATHS } from '../../../../src/apiserver/authn/anonymous';
import { createTokenFileAuthenticator, parseTokenFile } from '../../../../src/apiserver/authn/token-file';
import { createX509Authenticator } from '../../../../src/apiserver/authn/x509';
import type { ApiRequest, ApiResponse } from '../../../../src/apiserver/request';

const authenticators = [
  createTokenFileAuthenticator(() => parseTokenFile('s3cret,alice,u1,"dev"\n').entries),
  createX509Authenticator(),
  createAnonymousAuthenticator({ enabled: true, paths: HEALTH_PATHS }),
];
const filter = authenticationFilter(() => authenticators);

function req(over: Partial<AuthnApiRequest>): AuthnApiRequest {
  return { method: 'GET', path: '/api/v1/pods', query: new URLSearchParams(), headers: {}, ...over };
}

async function through(r: ApiRequest): Promise<ApiRequest> {
  let seen: ApiRequest | undefined;
  await filter(r, async (x): Promise<ApiResponse> => {
    seen = x;
    return { status: 200 };
  });
  return seen!;
}

test('a valid token sets req.user and drops the Authorization header', async () => {
  const seen = await through(req({ headers: { authorization: 'Bearer s3cret', accept: 'application/json' } }));
  assert.deepEqual(seen.user, { name: 'alice', uid: 'u1', groups: ['dev', 'system:authenticated'] });
  assert.deepEqual(seen.headers, { accept: 'application/json' });
});

test('a client certificate on the request is used', async () => {
  const cert = { commonName: 'bob', organizations: ['ops'], serial: '1', validFrom: '', validTo: '' };
  const seen = await through(req({ clientCertificate: cert }));
  assert.deepEqual(seen.user, { name: 'bob', groups: ['ops', 'system:authenticated'] });
});

test('the in-process identity is taken as is', async () => {
  const me = { name: 'system:kube-controller-manager', groups: [] };
  const seen = await through(req({ inProcessUser: me }));
  assert.equal(seen.user, me);
});

test('anonymous on an open path', async () => {
  const seen = await through(req({ path: '/readyz' }));
  assert.deepEqual(seen.user, { name: 'system:anonymous', groups: ['system:unauthenticated'] });
});

const rejected: [string, Partial<AuthnApiRequest>][] = [
  ['no credential on a closed path', {}],
  ['wrong token', { headers: { authorization: 'Bearer nope' } }],
  ['wrong token on an open path', { path: '/healthz', headers: { authorization: 'Bearer nope' } }],
];
for (const [name, over] of rejected) {
  test(`401 Unauthorized: ${name}`, async () => {
    await assert.rejects(
      () => through(req(over)),
      (e: unknown) => e instanceof StatusError && e.code === 401 && e.status.message === 'Unauthorized' && e.reason === 'Unauthorized',
    );
  });
}

test('the debug log never holds the token', async () => {
  const lines: string[] = [];
  const logger = { debug: (m: string) => lines.push(m), info() {}, warn() {}, error() {}, child() { return logger; } };
  const f = authenticationFilter(() => authenticators, { logger });
  await assert.rejects(() => f(req({ headers: { authorization: 'Bearer very-secret-value' } }), async () => ({ status: 200 })));
  assert.equal(lines.length, 1);
  assert.ok(!lines[0].includes('very-secret-value'));
});
