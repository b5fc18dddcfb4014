import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { authenticateRequest } from '../../../../src/apiserver/authn/union';
import { createAnonymousAuthenticator } from '../../../../src/apiserver/authn/anonymous';
import { createTokenFileAuthenticator, parseTokenFile } from '../../../../src/apiserver/authn/token-file';
import { createX509Authenticator } from '../../../../src/apiserver/authn/x509';
import type { AuthnResult, Authenticator } from '../../../../src/apiserver/authn/types';
import { withAuthenticatedGroup } from '../../../../src/apiserver/authn/user';

const fixed = (name: string, r: AuthnResult, calls?: string[]): Authenticator => ({
  name,
  authenticate: async () => {
    calls?.push(name);
    return r;
  },
});
const input = { headers: {}, path: '/api' };

test('first user wins and gets system:authenticated; later authenticators are not asked', async () => {
  const calls: string[] = [];
  const r = await authenticateRequest([fixed('a', undefined, calls), fixed('b', { error: 'bad' }, calls), fixed('c', { user: { name: 'u', groups: ['g'] } }, calls), fixed('d', { user: { name: 'v', groups: [] } }, calls)], input);
  assert.deepEqual(r, { user: { name: 'u', groups: ['g', 'system:authenticated'] }, authenticator: 'c' });
  assert.deepEqual(calls, ['a', 'b', 'c']);
});

test('errors are collected; nobody → error', async () => {
  assert.deepEqual(await authenticateRequest([fixed('a', { error: 'x' }), fixed('b', { error: 'y' }), fixed('c', { error: 'x' })], input), { error: '[x, y]' });
  assert.deepEqual(await authenticateRequest([fixed('a', { error: 'x' })], input), { error: 'x' });
  assert.ok('error' in (await authenticateRequest([fixed('a', undefined)], input)));
  assert.ok('error' in (await authenticateRequest([], input)));
});

test('a throwing authenticator is an error that does not echo what it threw', async () => {
  const boom: Authenticator = { name: 'boom', authenticate: () => { throw new Error('token s3cret broke'); } };
  const r = await authenticateRequest([boom], input);
  assert.ok('error' in r && !r.error.includes('s3cret'));
  const r2 = await authenticateRequest([boom, fixed('ok', { user: { name: 'u', groups: [] } })], input);
  assert.ok('user' in r2);
});

test('anonymous is not given system:authenticated; a group already there is not doubled', async () => {
  const anon = await authenticateRequest([createAnonymousAuthenticator({ enabled: true })], input);
  assert.deepEqual(anon, { user: { name: 'system:anonymous', groups: ['system:unauthenticated'] }, authenticator: 'anonymous' });
  const r = await authenticateRequest([fixed('a', { user: { name: 'u', groups: ['system:authenticated', 'x'] } })], input);
  assert.ok('user' in r);
  assert.deepEqual(r.user.groups, ['system:authenticated', 'x']);
});

test('inProcessUser is accepted as is, without asking anyone', async () => {
  const calls: string[] = [];
  const me = { name: 'system:kube-scheduler', groups: [] };
  const r = await authenticateRequest([fixed('a', { error: 'no' }, calls)], { ...input, inProcessUser: me });
  assert.deepEqual(r, { user: me, authenticator: 'in-process' });
  assert.deepEqual(calls, []);
});

test('a wrong token is not rescued by anonymous; a client cert beats a bad token', async () => {
  const list = [createTokenFileAuthenticator(() => parseTokenFile('t,alice,1\n').entries), createX509Authenticator(), createAnonymousAuthenticator({ enabled: true })];
  assert.deepEqual(await authenticateRequest(list, { headers: { authorization: 'Bearer wrong' }, path: '/healthz' }), { error: 'invalid bearer token' });
  const cert = { commonName: 'bob', organizations: ['ops'], serial: '1', validFrom: '', validTo: '' };
  const r = await authenticateRequest(list, { headers: { authorization: 'Bearer wrong' }, path: '/', clientCertificate: cert });
  assert.deepEqual(r, { user: { name: 'bob', groups: ['ops', 'system:authenticated'] }, authenticator: 'x509' });
  const t = await authenticateRequest(list, { headers: { authorization: 'Bearer t' }, path: '/' });
  assert.deepEqual(t, { user: { name: 'alice', uid: '1', groups: ['system:authenticated'] }, authenticator: 'token-file' });
});

test('withAuthenticatedGroup does not mutate its input', () => {
  const u = { name: 'a', groups: ['g'] };
  assert.deepEqual(withAuthenticatedGroup(u).groups, ['g', 'system:authenticated']);
  assert.deepEqual(u.groups, ['g']);
});

test('property: random bearer tokens never authenticate through the union and never throw', async () => {
  const list = [createTokenFileAuthenticator(() => parseTokenFile('known-token,alice,1\n').entries), createX509Authenticator()];
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (s) => {
      fc.pre(!s.startsWith('known-token'));
      const r = await authenticateRequest(list, { headers: { authorization: `Bearer ${s}` }, path: '/' });
      assert.ok('error' in r);
      assert.ok(!(s.length > 24 && r.error.includes(s)));
    }),
    { numRuns: 300 },
  );
});
