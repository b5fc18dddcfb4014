/**
 * Anonymous access (kube-apiserver --anonymous-auth, and 1.32's AnonymousAuthConfigurableEndpoints): when enabled,
 * a request that presents no credential (no bearer token, no client certificate) is `system:anonymous` in group
 * `system:unauthenticated`. With a non-empty `paths` list only those exact paths are open to anonymous requests
 * (upstream's anonymous.conditions); an empty or absent list allows every path, as upstream.
 * The union never adds `system:authenticated` to this user.
 */
import { bearerToken } from './bearer';
import type { Authenticator } from './types';
import { ALL_UNAUTHENTICATED, ANONYMOUS_USER } from './user';

/** The health endpoints kubeadm-style clusters leave open with AnonymousAuthConfigurableEndpoints. */
export const HEALTH_PATHS: readonly string[] = ['/healthz', '/livez', '/readyz'];

export interface AnonymousOptions {
  enabled: boolean;
  paths?: readonly string[];
}

export function createAnonymousAuthenticator(o: AnonymousOptions): Authenticator {
  const allowed = new Set(o.paths ?? []);
  return {
    name: 'anonymous',
    authenticate(input) {
      if (!o.enabled) return undefined;
      if (bearerToken(input.headers) !== undefined || input.clientCertificate || input.inProcessUser) return undefined;
      if (allowed.size && !allowed.has(input.path)) return undefined;
      return { user: { name: ANONYMOUS_USER, groups: [ALL_UNAUTHENTICATED] } };
    },
  };
}
