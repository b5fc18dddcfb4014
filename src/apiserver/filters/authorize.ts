/**
 * Authorization filter (upstream's WithAuthorization): builds the attributes from the RequestInfo and the user,
 * asks the authorizer, and answers 403 Forbidden with Kubernetes' exact message unless it allows the request.
 */
import type { AuthzAttributes, AuthzResult } from '../authz/types';
import { forbiddenError } from '../authz/forbidden';
import type { ApiRequest, Filter } from '../request';

export function authorizationAttributes(req: ApiRequest): AuthzAttributes {
  const info = req.info!;
  return {
    user: req.user!,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    namespace: info.namespace,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

export function authorizationFilter(authorize: (a: AuthzAttributes) => AuthzResult): Filter {
  return async (req, next) => {
    const a = authorizationAttributes(req);
    const d = authorize(a);
    if (d.decision !== 'allow') throw forbiddenError(a, d.reason);
    return next(req);
  };
}
