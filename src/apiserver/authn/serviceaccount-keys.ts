/**
 * The ServiceAccount token signing key: an RSA 2048 key pair kept as `sa.key` (PKCS#1 PEM, mode 0600) and `sa.pub`
 * (SPKI PEM) in a directory, like kube-apiserver's --service-account-signing-key-file / --service-account-key-file.
 * Key ids are upstream's: base64url (no padding) of the sha256 of the DER-encoded public key (PKIX).
 * Errors name the file, never its contents.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileDurable } from '../../base/durable-file';

export interface ServiceAccountKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A public key ready for token verification. */
export interface VerificationKey {
  kid: string;
  key: KeyObject;
}

export const SA_KEY_FILE = 'sa.key';
export const SA_PUB_FILE = 'sa.pub';

/** Upstream's key id for a public (or private: its public half is used) key. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

/** Verification keys from PEM strings or KeyObjects; private keys contribute their public half (as upstream). */
export function verificationKeys(keys: readonly (string | KeyObject)[]): VerificationKey[] {
  return keys.map((k) => {
    let key: KeyObject;
    if (typeof k !== 'string') key = k.type === 'private' ? createPublicKey(k) : k;
    else key = /PRIVATE KEY-----/.test(k) ? createPublicKey(createPrivateKey(k)) : createPublicKey(k);
    return { kid: keyIdOf(key), key };
  });
}

export function generateServiceAccountKey(): ServiceAccountKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Writes `<dir>/sa.key` (mode 0600) and `<dir>/sa.pub`, creating `dir` (mode 0700) when missing. */
export function saveServiceAccountKey(dir: string, pair: ServiceAccountKeyPair): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, SA_KEY_FILE);
  writeFileDurable(keyFile, pair.privateKeyPem, 0o600);
  writeFileDurable(path.join(dir, SA_PUB_FILE), pair.publicKeyPem, 0o644);
}

/**
 * Reads and checks the pair in `dir`: `sa.key` must be an RSA private key, `sa.pub` (recreated from it when
 * missing) an RSA public key matching it. Returns undefined when `sa.key` does not exist; throws an Error naming
 * the file when one is corrupt.
 */
export function loadServiceAccountKey(dir: string): ServiceAccountKeyPair | undefined {
  const keyFile = path.join(dir, SA_KEY_FILE);
  const pubFile = path.join(dir, SA_PUB_FILE);
  if (!fs.existsSync(keyFile)) return undefined;
  const privateKeyPem = fs.readFileSync(keyFile, 'utf8');
  const priv = parse(keyFile, () => createPrivateKey(privateKeyPem), 'an RSA private key', 'remove it to have a new key pair generated');
  if (!fs.existsSync(pubFile)) {
    const publicKeyPem = createPublicKey(priv).export({ type: 'spki', format: 'pem' }).toString();
    fs.writeFileSync(pubFile, publicKeyPem, { mode: 0o644 });
    return { privateKeyPem, publicKeyPem };
  }
  const publicKeyPem = fs.readFileSync(pubFile, 'utf8');
  const pub = parse(pubFile, () => createPublicKey(publicKeyPem), 'an RSA public key', `remove it to have it recreated from ${SA_KEY_FILE}`);
  if (keyIdOf(pub) !== keyIdOf(priv)) {
    throw new Error(`${pubFile} does not match ${keyFile}; remove both to have a new key pair generated`);
  }
  return { privateKeyPem, publicKeyPem };
}

/** Loads the pair in `dir`, generating and saving a new one when there is none. */
export function ensureServiceAccountKey(dir: string): ServiceAccountKeyPair {
  const existing = loadServiceAccountKey(dir);
  if (existing) return existing;
  const pair = generateServiceAccountKey();
  saveServiceAccountKey(dir, pair);
  return pair;
}

function parse(file: string, fn: () => KeyObject, what: string, hint: string): KeyObject {
  let k: KeyObject;
  try {
    k = fn();
  } catch (_e) {
    throw new Error(`${file} is not a valid PEM file holding ${what}; ${hint}`);
  }
  if (k.asymmetricKeyType !== 'rsa') throw new Error(`${file} holds a ${k.asymmetricKeyType ?? 'non-RSA'} key, not ${what}; ${hint}`);
  return k;
}
