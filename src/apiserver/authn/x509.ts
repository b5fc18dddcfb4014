/**
 * Client certificate authentication (upstream's x509 CommonNameUserConversion): the subject common name is the
 * user name, the subject organizations are the groups. The certificate has already been verified against the
 * cluster CA by the TLS layer; a certificate with an empty common name authenticates nobody (undefined), as
 * upstream. With `now`, a certificate outside its validity window is rejected (a second line of defence).
 */
import type { Authenticator } from './types';

export interface X509Options {
  /** Current time in ms; when given, validity is checked again here. */
  now?: () => number;
}

export function createX509Authenticator(opts: X509Options = {}): Authenticator {
  return {
    name: 'x509',
    authenticate(input) {
      const cert = input.clientCertificate;
      if (!cert || !cert.commonName) return undefined;
      if (opts.now) {
        const t = opts.now();
        const from = Date.parse(cert.validFrom);
        const to = Date.parse(cert.validTo);
        if (!(t >= from && t <= to)) return { error: 'x509: certificate has expired or is not yet valid' };
      }
      return { user: { name: cert.commonName, groups: [...cert.organizations] } };
    },
  };
}
