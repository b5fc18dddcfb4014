import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createAnonymousAuthenticator, HEALTH_PATHS } from '../../../../src/apiserver/authn/anonymous';
import type { AuthnInput } from '../../../../src/apiserver/authn/types';

const anon = { user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
const cert = { commonName: 'x', organizations: [], serial: '1', validFrom: '', validTo: '' };

const cases: [name: string, opts: Parameters<typeof createAnonymousAuthenticator>[0], input: AuthnInput, want: unknown][] = [
  ['disabled', { enabled: false }, { headers: {}, path: '/healthz' }, undefined],
  ['enabled, any path', { enabled: true }, { headers: {}, path: '/api/v1/pods' }, anon],
  ['enabled, empty list = every path', { enabled: true, paths: [] }, { headers: {}, path: '/api' }, anon],
  ['allowed path', { enabled: true, paths: HEALTH_PATHS }, { headers: {}, path: '/readyz' }, anon],
  ['path not listed', { enabled: true, paths: HEALTH_PATHS }, { headers: {}, path: '/api/v1/secrets' }, undefined],
  ['paths match exactly', { enabled: true, paths: HEALTH_PATHS }, { headers: {}, path: '/healthz/etcd' }, undefined],
  ['bearer token present', { enabled: true }, { headers: { authorization: 'Bearer x' }, path: '/healthz' }, undefined],
  ['client certificate present', { enabled: true }, { headers: {}, path: '/healthz', clientCertificate: cert }, undefined],
  ['non-bearer Authorization counts as no credential (as upstream)', { enabled: true }, { headers: { authorization: 'Basic dTpw' }, path: '/livez' }, anon],
];
for (const [name, opts, input, want] of cases) {
  test(`anonymous: ${name}`, () => assert.deepEqual(createAnonymousAuthenticator(opts).authenticate(input), want));
}
