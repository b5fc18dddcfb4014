/**
 * Authentication contracts. The authentication filter runs the authenticators in order; the first that returns a
 * user wins. An authenticator that recognizes the credential type but rejects the credential returns `{ error }`;
 * when every authenticator declines (undefined) or fails, the request is answered 401 Unauthorized, as
 * kube-apiserver does (with anonymous access on, credential-less requests become `system:anonymous` instead).
 * Authenticators must not throw for bad input (malformed tokens, certificates) — they return `{ error }`.
 */
import type { UserInfo } from '../request';

/** What authenticators may look at. Header names are lower case. */
export interface AuthnInput {
  headers: Record<string, string | undefined>;
  path: string;
  /** A client certificate the TLS layer has already verified against the cluster CA (absent in-process). */
  clientCertificate?: VerifiedClientCertificate;
  /** In-process callers (KubeLab's own components) present their identity this way; never set from HTTP. */
  inProcessUser?: UserInfo;
}

export interface VerifiedClientCertificate {
  /** Subject common name. */
  commonName: string;
  /** Subject organizations, in order. */
  organizations: string[];
  /** Certificate serial (hex), for logs. */
  serial: string;
  /** Validity, ISO strings. */
  validFrom: string;
  validTo: string;
}

export type AuthnResult = { user: UserInfo } | { error: string } | undefined;

export interface Authenticator {
  readonly name: string;
  authenticate(input: AuthnInput): AuthnResult | Promise<AuthnResult>;
}
