/**
 * Authentication filter: identifies the user from a bearer token (compared in constant time) or rejects the
 * request with 401 Unauthorized, as kube-apiserver does when no authenticator accepts it. The full plugin chain
 * (token file, client certificates, ServiceAccount tokens, impersonation) replaces this in the pipeline issue.
 */
import { timingSafeEqual } from 'node:crypto';
import { StatusError } from '../../api/status';
import type { Filter, UserInfo } from '../request';

export interface TokenUser {
  token: string;
  user: UserInfo;
}

export function bearerTokenAuthentication(tokens: () => TokenUser[]): Filter {
  return async (req, next) => {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (m) {
      const given = Buffer.from(m[1]);
      for (const t of tokens()) {
        const want = Buffer.from(t.token);
        if (want.length === given.length && timingSafeEqual(want, given)) {
          req.user = t.user;
          return next(req);
        }
      }
    }
    throw StatusError.unauthorized();
  };
}
