import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { StoredObject } from '../../../../src/api/object';
import type { ClusterReader } from '../../../../src/apiserver/reader';
import { createServiceAccountAuthenticator } from '../../../../src/apiserver/authn/serviceaccount';
import { serviceAccountClaims, signServiceAccountToken, type ClaimsOptions } from '../../../../src/apiserver/authn/serviceaccount-jwt';
import { generateServiceAccountKey, verificationKeys } from '../../../../src/apiserver/authn/serviceaccount-keys';

const pair = generateServiceAccountKey();
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

class FakeReader implements ClusterReader {
  objects = new Map<string, StoredObject>();
  put(resource: string, namespace: string, name: string, uid: string, deletionTimestamp?: string): this {
    this.objects.set(`${resource}/${namespace}/${name}`, { metadata: { name, namespace: namespace || undefined, uid, ...(deletionTimestamp ? { deletionTimestamp } : {}) } });
    return this;
  }
  get(group: string, resource: string, namespace: string, name: string) {
    assert.equal(group, '');
    return this.objects.get(`${resource}/${namespace}/${name}`);
  }
  list() {
    return [];
  }
}

const base: ClaimsOptions = { namespace: 'ci', serviceAccount: { name: 'builder', uid: 'sa-1' }, now: NOW, jti: 'jti-1' };
const token = (o: Partial<ClaimsOptions> = {}) => signServiceAccountToken(pair.privateKeyPem, serviceAccountClaims({ ...base, ...o }));
const iso = (ms: number) => new Date(ms).toISOString();

function world(): FakeReader {
  return new FakeReader().put('serviceaccounts', 'ci', 'builder', 'sa-1').put('pods', 'ci', 'web-0', 'pod-1').put('secrets', 'ci', 'tok', 'sec-1').put('nodes', '', 'node-1', 'node-uid');
}

function run(reader: ClusterReader, tok: string, now = NOW + 5_000) {
  const a = createServiceAccountAuthenticator({ publicKeys: verificationKeys([pair.publicKeyPem]), reader, now: () => now });
  return a.authenticate({ headers: { authorization: `Bearer ${tok}` }, path: '/api' });
}

test('a pod-bound token authenticates as upstream 1.32 builds the user', () => {
  const r = run(world(), token({ pod: { name: 'web-0', uid: 'pod-1' }, node: { name: 'node-1', uid: 'node-uid' } }));
  assert.deepEqual(r, {
    user: {
      name: 'system:serviceaccount:ci:builder',
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'],
      extra: {
        'authentication.kubernetes.io/pod-name': ['web-0'],
        'authentication.kubernetes.io/pod-uid': ['pod-1'],
        'authentication.kubernetes.io/credential-id': ['JTI=jti-1'],
        'authentication.kubernetes.io/node-name': ['node-1'],
        'authentication.kubernetes.io/node-uid': ['node-uid'],
      },
    },
  });
});

type Case = [name: string, reader: () => FakeReader, tok: () => string, want: string | 'ok', now?: number];
const cases: Case[] = [
  ['plain token', world, () => token(), 'ok'],
  ['ServiceAccount deleted', () => { const w = world(); w.objects.delete('serviceaccounts/ci/builder'); return w; }, () => token(), 'serviceaccounts "builder" not found'],
  ['ServiceAccount recreated with another uid', () => world().put('serviceaccounts', 'ci', 'builder', 'sa-2'), () => token(), 'service account UID (sa-2) does not match claim (sa-1)'],
  ['ServiceAccount terminating for more than the leeway', () => world().put('serviceaccounts', 'ci', 'builder', 'sa-1', iso(NOW - 120_000)), () => token(), 'service account ci/builder has been deleted'],
  ['ServiceAccount terminating within the leeway', () => world().put('serviceaccounts', 'ci', 'builder', 'sa-1', iso(NOW - 30_000)), () => token(), 'ok'],
  ['pod gone', () => { const w = world(); w.objects.delete('pods/ci/web-0'); return w; }, () => token({ pod: { name: 'web-0', uid: 'pod-1' } }), 'service account token has been invalidated'],
  ['pod recreated with another uid', () => world().put('pods', 'ci', 'web-0', 'pod-2'), () => token({ pod: { name: 'web-0', uid: 'pod-1' } }), 'pod UID (pod-2) does not match service account pod ref claim (pod-1)'],
  ['pod deleted, grace period running', () => world().put('pods', 'ci', 'web-0', 'pod-1', iso(NOW + 30_000)), () => token({ pod: { name: 'web-0', uid: 'pod-1' } }), 'ok'],
  ['pod deleted, past grace + leeway', () => world().put('pods', 'ci', 'web-0', 'pod-1', iso(NOW - 61_000)), () => token({ pod: { name: 'web-0', uid: 'pod-1' } }), 'service account token has been invalidated', NOW],
  ['secret-bound, secret exists', world, () => token({ secret: { name: 'tok', uid: 'sec-1' } }), 'ok'],
  ['secret-bound, secret gone', () => { const w = world(); w.objects.delete('secrets/ci/tok'); return w; }, () => token({ secret: { name: 'tok', uid: 'sec-1' } }), 'service account token has been invalidated'],
  ['secret-bound, other uid', () => world().put('secrets', 'ci', 'tok', 'sec-9'), () => token({ secret: { name: 'tok', uid: 'sec-1' } }), 'secret UID (sec-9) does not match service account secret ref claim (sec-1)'],
  ['node-bound, node exists', world, () => token({ node: { name: 'node-1', uid: 'node-uid' } }), 'ok'],
  ['node-bound, node gone', () => { const w = world(); w.objects.delete('nodes//node-1'); return w; }, () => token({ node: { name: 'node-1', uid: 'node-uid' } }), 'service account token has been invalidated'],
  ['node-bound, node recreated', () => world().put('nodes', '', 'node-1', 'node-2'), () => token({ node: { name: 'node-1', uid: 'node-uid' } }), 'node UID (node-2) does not match service account node ref claim (node-uid)'],
  ['expired', world, () => token({ expirationSeconds: 600 }), 'service account token has expired', NOW + 3600_000],
];

for (const [name, reader, tok, want, now] of cases) {
  test(`serviceaccount: ${name}`, () => {
    const r = run(reader(), tok(), now);
    if (want === 'ok') assert.ok(r && 'user' in r, JSON.stringify(r));
    else assert.deepEqual(r, { error: want });
  });
}

test('tokens of another issuer, static tokens and no token are left to others', () => {
  assert.equal(run(world(), token({ issuer: 'https://dex.example' })), undefined);
  assert.equal(run(world(), 'static-token-abc'), undefined);
  const a = createServiceAccountAuthenticator({ publicKeys: () => verificationKeys([pair.publicKeyPem]), reader: world(), now: () => NOW });
  assert.equal(a.authenticate({ headers: {}, path: '/' }), undefined);
});

test('configured issuer and audiences', () => {
  const a = createServiceAccountAuthenticator({
    publicKeys: verificationKeys([pair.publicKeyPem]),
    issuer: 'https://kubelab.local',
    audiences: ['kubelab'],
    reader: world(),
    now: () => NOW,
  });
  const ok = a.authenticate({ headers: { authorization: `Bearer ${token({ issuer: 'https://kubelab.local', audiences: ['kubelab'] })}` }, path: '/' });
  assert.ok(ok && 'user' in ok);
  const bad = a.authenticate({ headers: { authorization: `Bearer ${token({ issuer: 'https://kubelab.local' })}` }, path: '/' });
  assert.deepEqual(bad, { error: 'token audiences ["https://kubelab.local"] is invalid for the target audiences ["kubelab"]' });
});

test('property: random bearer tokens never authenticate and never throw', () => {
  const reader = world();
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      const r = run(reader, s);
      assert.ok(r === undefined || 'error' in r);
    }),
    { numRuns: 300 },
  );
});
