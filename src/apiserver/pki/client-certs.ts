/**
 * Client certificates for users and components: issued by the cluster CA with CN = user name and O = groups (the
 * convention kube-apiserver's x509 authenticator reads), and read back from a verified TLS peer certificate.
 * Keys come from node:crypto (fast); node-forge builds and signs the certificate.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import forge from 'node-forge';
import type { VerifiedClientCertificate } from '../authn/types';

const DAY = 24 * 60 * 60 * 1000;

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/** A client-auth certificate signed by `ca`, valid from a minute ago for `days` (default 365). */
export function issueClientCertificate(
  ca: { certPem: string; keyPem: string },
  commonName: string,
  organizations: readonly string[] = [],
  days = 365,
  now: number = Date.now(),
): IssuedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + days * DAY);
  const subject: forge.pki.CertificateField[] = [];
  for (const o of organizations) subject.push({ name: 'organizationName', value: o });
  subject.push({ name: 'commonName', value: commonName });
  cert.setSubject(subject);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function iso(s: string): string {
  const t = Date.parse(s);
  return Number.isNaN(t) ? s : new Date(t).toISOString();
}

/**
 * The identity in a TLS peer certificate. Call it only for a socket whose `authorized` is true (the chain was
 * verified against the cluster CA). Node gives a repeated subject field as an array, a single one as a string.
 */
export function peerCertificateInfo(peer: PeerCertificate): VerifiedClientCertificate {
  const subject = (peer.subject ?? {}) as unknown as Record<string, string | string[] | undefined>;
  const cn = list(subject.CN);
  return {
    // Go's pkix.Name keeps the last CN when there are several; so do we.
    commonName: cn[cn.length - 1] ?? '',
    organizations: list(subject.O),
    serial: (peer.serialNumber ?? '').toLowerCase(),
    validFrom: iso(peer.valid_from),
    validTo: iso(peer.valid_to),
  };
}
