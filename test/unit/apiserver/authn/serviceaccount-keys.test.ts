import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ensureServiceAccountKey, generateServiceAccountKey, keyIdOf, loadServiceAccountKey, verificationKeys } from '../../../../src/apiserver/authn/serviceaccount-keys';
import { createPrivateKey } from 'node:crypto';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-sa-'));
}

test('ensure creates sa.key (0600) and sa.pub, then reuses them', () => {
  const dir = path.join(tmp(), 'pki');
  const a = ensureServiceAccountKey(dir);
  assert.match(a.privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(a.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(dir, 'sa.key')).mode & 0o777, 0o600);
  assert.equal(createPrivateKey(a.privateKeyPem).asymmetricKeyDetails?.modulusLength, 2048);
  assert.deepEqual(ensureServiceAccountKey(dir), a);
});

test('load: missing → undefined; missing sa.pub is recreated', () => {
  const dir = tmp();
  assert.equal(loadServiceAccountKey(dir), undefined);
  const a = ensureServiceAccountKey(dir);
  fs.rmSync(path.join(dir, 'sa.pub'));
  assert.deepEqual(loadServiceAccountKey(dir), a);
  assert.ok(fs.existsSync(path.join(dir, 'sa.pub')));
});

const corrupt: [name: string, file: 'sa.key' | 'sa.pub', content: () => string, msg: RegExp][] = [
  ['garbage key', 'sa.key', () => 'not a key', /sa\.key is not a valid PEM file holding an RSA private key; remove it/],
  ['garbage pub', 'sa.pub', () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /sa\.pub is not a valid PEM file holding an RSA public key; remove it to have it recreated from sa\.key/],
  ['EC key', 'sa.key', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /sa\.key holds a ec key, not an RSA private key/],
  ['mismatched pub', 'sa.pub', () => generateServiceAccountKey().publicKeyPem, /sa\.pub does not match .*sa\.key/],
];
for (const [name, file, content, msg] of corrupt) {
  test(`load: ${name} → clear error without key material`, () => {
    const dir = tmp();
    ensureServiceAccountKey(dir);
    const text = content();
    fs.writeFileSync(path.join(dir, file), text);
    assert.throws(() => loadServiceAccountKey(dir), (e: Error) => msg.test(e.message) && !e.message.includes('BEGIN'));
  });
}

test('verificationKeys accepts public and private PEMs with the same kid', () => {
  const p = generateServiceAccountKey();
  const [a, b] = verificationKeys([p.publicKeyPem, p.privateKeyPem]);
  assert.equal(a.kid, b.kid);
  assert.equal(a.kid, keyIdOf(createPrivateKey(p.privateKeyPem)));
  assert.match(a.kid, /^[A-Za-z0-9_-]{43}$/);
});
