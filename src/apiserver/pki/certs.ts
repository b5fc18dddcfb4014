/**
 * The cluster's PKI: a self-signed CA and an API server serving certificate (SANs 127.0.0.1, ::1, localhost and
 * any extra names) signed by it, created on first start in `<dataDir>/pki` (keys mode 0600) and reused afterwards.
 * Keys come from node:crypto (fast, native); node-forge builds the X.509 certificates.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import forge from 'node-forge';
import { writeFileDurable } from '../../base/durable-file';

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

const DAY = 24 * 60 * 60 * 1000;

function keyPair(): { priv: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { priv: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

export function createCa(now: number, commonName = 'kubelab-ca'): { cert: string; key: string } {
  const kp = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(kp.pub);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + 3650 * DAY);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(kp.priv), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: kp.priv };
}

export interface LeafOptions {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ips?: string[];
  server?: boolean;
  client?: boolean;
  days?: number;
}

/** A certificate signed by the CA (serving and/or client auth). */
export function signLeaf(ca: { cert: string; key: string }, o: LeafOptions, now: number): { cert: string; key: string } {
  const kp = keyPair();
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(kp.pub);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + (o.days ?? 365) * DAY);
  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: o.commonName }];
  for (const org of o.organizations ?? []) subject.push({ name: 'organizationName', value: org });
  cert.setSubject(subject);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = [...(o.dnsNames ?? []).map((value) => ({ type: 2, value })), ...(o.ips ?? []).map((ip) => ({ type: 7, ip }))];
  const ext: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: o.server ?? false, clientAuth: o.client ?? false },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (altNames.length) ext.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(ext);
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: kp.priv };
}

function writePrivate(file: string, data: string): void {
  writeFileDurable(file, data, 0o600);
}

/** Loads `<dir>/{ca,apiserver}.{crt,key}`, creating whatever is missing. A corrupt file is an error naming it. */
export function ensurePki(dir: string, now: number, extraNames: string[] = []): Pki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (n: string) => path.join(dir, n);
  let ca: { cert: string; key: string };
  if (fs.existsSync(f('ca.crt')) && fs.existsSync(f('ca.key'))) {
    ca = { cert: fs.readFileSync(f('ca.crt'), 'utf8'), key: fs.readFileSync(f('ca.key'), 'utf8') };
    check(f('ca.crt'), () => forge.pki.certificateFromPem(ca.cert));
    check(f('ca.key'), () => forge.pki.privateKeyFromPem(ca.key));
  } else {
    ca = createCa(now);
    writeFileDurable(f('ca.crt'), ca.cert, 0o644);
    writePrivate(f('ca.key'), ca.key);
    for (const n of ['apiserver.crt', 'apiserver.key']) fs.rmSync(f(n), { force: true });
  }
  let leaf: { cert: string; key: string };
  if (fs.existsSync(f('apiserver.crt')) && fs.existsSync(f('apiserver.key'))) {
    leaf = { cert: fs.readFileSync(f('apiserver.crt'), 'utf8'), key: fs.readFileSync(f('apiserver.key'), 'utf8') };
    const c = check(f('apiserver.crt'), () => forge.pki.certificateFromPem(leaf.cert));
    check(f('apiserver.key'), () => forge.pki.privateKeyFromPem(leaf.key));
    if (c.validity.notAfter.getTime() < now + 30 * DAY) leaf = newServing(ca, now, extraNames, f);
  } else {
    leaf = newServing(ca, now, extraNames, f);
  }
  return { caCert: ca.cert, caKey: ca.key, serverCert: leaf.cert, serverKey: leaf.key };
}

function newServing(ca: { cert: string; key: string }, now: number, extra: string[], f: (n: string) => string): { cert: string; key: string } {
  const leaf = signLeaf(ca, { commonName: 'kube-apiserver', dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', ...extra], ips: ['127.0.0.1', '::1'], server: true }, now);
  writeFileDurable(f('apiserver.crt'), leaf.cert, 0o644);
  writePrivate(f('apiserver.key'), leaf.key);
  return leaf;
}

function check<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${file} is not a valid PEM file (${(e as Error).message}); remove it to have a new one generated`);
  }
}
