/**
 * The cluster's authenticators, in kube-apiserver's order: client certificates (x509, signed by the cluster CA),
 * the static token file, ServiceAccount tokens (signed with `<dataDir>/pki/sa.key`), then — only when enabled —
 * anonymous access to the health endpoints. Key material lives in the data directory, mode 0600.
 */
import * as path from 'node:path';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { createAnonymousAuthenticator, HEALTH_PATHS } from '../apiserver/authn/anonymous';
import { DEFAULT_SA_ISSUER } from '../apiserver/authn/serviceaccount-jwt';
import { ensureServiceAccountKey, verificationKeys, type ServiceAccountKeyPair } from '../apiserver/authn/serviceaccount-keys';
import { createServiceAccountAuthenticator } from '../apiserver/authn/serviceaccount';
import { createTokenFileAuthenticator } from '../apiserver/authn/token-file';
import type { Authenticator } from '../apiserver/authn/types';
import { createX509Authenticator } from '../apiserver/authn/x509';
import { ensureTokens, type TokenSource } from '../apiserver/pki/tokens';
import type { ClusterReader } from '../apiserver/reader';

export interface AuthenticationOptions {
  dataDir: string;
  logger: Logger;
  clock: Clock;
  /** Let requests without credentials reach the health endpoints as system:anonymous (default off). */
  anonymousHealth?: boolean;
}

export interface ClusterAuthentication {
  tokens: TokenSource;
  serviceAccountKey: ServiceAccountKeyPair;
  issuer: string;
  authenticators(reader: ClusterReader): () => readonly Authenticator[];
}

export function setUpAuthentication(o: AuthenticationOptions): ClusterAuthentication {
  const tokens = ensureTokens(o.dataDir, o.logger, () => o.clock.now());
  const serviceAccountKey = ensureServiceAccountKey(path.join(o.dataDir, 'pki'));
  const keys = verificationKeys([serviceAccountKey.publicKeyPem]);
  return {
    tokens,
    serviceAccountKey,
    issuer: DEFAULT_SA_ISSUER,
    authenticators(reader) {
      const list: Authenticator[] = [
        createX509Authenticator({ now: () => o.clock.now() }),
        createTokenFileAuthenticator(() => tokens.entries()),
        createServiceAccountAuthenticator({ publicKeys: keys, issuer: DEFAULT_SA_ISSUER, reader, now: () => o.clock.now() }),
        createAnonymousAuthenticator({ enabled: o.anonymousHealth ?? false, paths: HEALTH_PATHS }),
      ];
      return () => list;
    },
  };
}
