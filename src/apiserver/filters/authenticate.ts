/**
 * Authentication filter (upstream's WithAuthentication): runs the authenticators through the union, sets
 * `req.user`, and removes the `Authorization` header once it has served its purpose (as upstream does after a
 * successful authentication). When nobody authenticates the request it throws 401 `Unauthorized`; the reason is
 * logged at debug level without any credential. The authenticators are fetched per request so a reloaded token
 * file or rotated key takes effect at once.
 */
import type { Logger } from '../../base/logger';
import { StatusError } from '../../api/status';
import type { Authenticator } from '../authn/types';
import { authenticateRequest } from '../authn/union';
import type { ApiRequest, Filter } from '../request';

/** ApiRequest carries what this filter reads: `clientCertificate` (HTTPS) and `inProcessUser` (in-process). */
export type AuthnApiRequest = ApiRequest;

export interface AuthenticationFilterOptions {
  logger?: Logger;
}

export function authenticationFilter(getAuthenticators: () => readonly Authenticator[], opts: AuthenticationFilterOptions = {}): Filter {
  return async (req, next) => {
    const r = req as AuthnApiRequest;
    const result = await authenticateRequest(getAuthenticators(), {
      headers: r.headers,
      path: r.path,
      clientCertificate: r.clientCertificate,
      inProcessUser: r.inProcessUser,
    });
    if ('error' in result) {
      opts.logger?.debug(`Unable to authenticate the request ${r.method} ${r.path}: ${result.error}`);
      throw StatusError.unauthorized();
    }
    r.user = result.user;
    if (r.headers.authorization !== undefined) {
      r.headers = { ...r.headers };
      delete r.headers.authorization;
    }
    return next(r);
  };
}
