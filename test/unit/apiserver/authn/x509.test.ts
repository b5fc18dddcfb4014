import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createX509Authenticator } from '../../../../src/apiserver/authn/x509';
import type { VerifiedClientCertificate } from '../../../../src/apiserver/authn/types';
import { createCa, signLeaf } from '../../../../src/apiserver/pki/certs';
import { issueClientCertificate, peerCertificateInfo } from '../../../../src/apiserver/pki/client-certs';

const cert = (over: Partial<VerifiedClientCertificate> = {}): VerifiedClientCertificate => ({
  commonName: 'jane',
  organizations: ['dev', 'system:masters'],
  serial: '01',
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2026-01-01T00:00:00.000Z',
  ...over,
});

const cases: [name: string, input: VerifiedClientCertificate | undefined, want: unknown, now?: number][] = [
  ['CN → user, O → groups', cert(), { user: { name: 'jane', groups: ['dev', 'system:masters'] } }],
  ['no organizations', cert({ organizations: [] }), { user: { name: 'jane', groups: [] } }],
  ['node identity', cert({ commonName: 'system:node:n1', organizations: ['system:nodes'] }), { user: { name: 'system:node:n1', groups: ['system:nodes'] } }],
  ['empty CN authenticates nobody', cert({ commonName: '' }), undefined],
  ['no certificate', undefined, undefined],
  ['valid at now', cert(), { user: { name: 'jane', groups: ['dev', 'system:masters'] } }, Date.UTC(2025, 5, 1)],
  ['expired at now', cert(), { error: 'x509: certificate has expired or is not yet valid' }, Date.UTC(2026, 5, 1)],
  ['not yet valid at now', cert(), { error: 'x509: certificate has expired or is not yet valid' }, Date.UTC(2024, 5, 1)],
];
for (const [name, input, want, now] of cases) {
  test(`x509: ${name}`, () => {
    const a = createX509Authenticator(now === undefined ? {} : { now: () => now });
    assert.deepEqual(a.authenticate({ headers: {}, path: '/', clientCertificate: input }), want);
  });
}

test('issueClientCertificate + peerCertificateInfo over a real TLS handshake', async () => {
  const now = Date.now();
  const ca = createCa(now);
  const server = signLeaf(ca, { commonName: 'kube-apiserver', dnsNames: ['localhost'], ips: ['127.0.0.1'], server: true }, now);
  const client = issueClientCertificate({ certPem: ca.cert, keyPem: ca.key }, 'jane', ['dev', 'ops'], 30, now);
  const got = await new Promise<{ info: VerifiedClientCertificate; authorized: boolean }>((resolve, reject) => {
    const srv = tls.createServer({ cert: server.cert, key: server.key, ca: [ca.cert], requestCert: true, rejectUnauthorized: true }, (sock) => {
      resolve({ info: peerCertificateInfo(sock.getPeerCertificate()), authorized: sock.authorized });
      sock.end();
      srv.close();
    });
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      const c = tls.connect({ host: '127.0.0.1', port, ca: [ca.cert], cert: client.certPem, key: client.keyPem, servername: 'localhost' }, () => c.end());
      c.on('error', () => {});
    });
  });
  assert.equal(got.authorized, true);
  assert.equal(got.info.commonName, 'jane');
  assert.deepEqual(got.info.organizations, ['dev', 'ops']);
  assert.match(got.info.serial, /^[0-9a-f]+$/);
  const days = (Date.parse(got.info.validTo) - Date.parse(got.info.validFrom)) / 86_400_000;
  assert.ok(days > 29.9 && days < 30.1, String(days));
  const user = createX509Authenticator({ now: () => now }).authenticate({ headers: {}, path: '/', clientCertificate: got.info });
  assert.deepEqual(user, { user: { name: 'jane', groups: ['dev', 'ops'] } });
});

test('peerCertificateInfo: single O as a string, several CNs (the last wins, as Go)', () => {
  const peer = {
    subject: { CN: ['first', 'last'], O: 'solo' },
    serialNumber: 'ABCDEF',
    valid_from: 'Jan  1 00:00:00 2025 GMT',
    valid_to: 'Jan  1 00:00:00 2026 GMT',
  } as unknown as tls.PeerCertificate;
  assert.deepEqual(peerCertificateInfo(peer), {
    commonName: 'last',
    organizations: ['solo'],
    serial: 'abcdef',
    validFrom: '2025-01-01T00:00:00.000Z',
    validTo: '2026-01-01T00:00:00.000Z',
  });
});
