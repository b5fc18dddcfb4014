/**
 * Impersonation filter (upstream's WithImpersonation): when `Impersonate-*` headers are present, the authenticated
 * user must be allowed the `impersonate` verb on each requested user, group, uid, extra or ServiceAccount; the
 * request then continues as the impersonated user, without the headers.
 */
import type { AuthzAttributes, AuthzResult } from '../authz/types';
import { impersonate } from '../authn/impersonation';
import type { Filter } from '../request';

export function impersonationFilter(authorize: (a: AuthzAttributes) => AuthzResult): Filter {
  return async (req, next) => {
    if (!req.user) return next(req);
    const imp = impersonate(req.headers, req.user, authorize);
    if (!imp) return next(req);
    const headers = { ...req.headers };
    for (const h of imp.removeHeaders) delete headers[h];
    return next({ ...req, headers, user: imp.user });
  };
}
