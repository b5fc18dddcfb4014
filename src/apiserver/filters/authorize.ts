/**
 * Authorization filter (upstream's WithAuthorization): builds the attributes from the RequestInfo and the user,
 * asks the authorizer, and answers 403 Forbidden with Kubernetes' exact message unless it allows the request.
 */
import { parseFieldSelectorOrThrow, type FieldRequirement } from '../../api/selectors/field-selector';
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
    fieldSelector: fieldRequirements(req),
  };
}

/** The fieldSelector of a list/watch, parsed (upstream's AuthorizeWithSelectors attributes); undefined if absent or
 * unparsable (the handler answers the parse error itself). */
function fieldRequirements(req: ApiRequest): readonly FieldRequirement[] | undefined {
  const raw = req.info?.verb === 'list' || req.info?.verb === 'watch' ? req.query.get('fieldSelector') : null;
  if (!raw) return undefined;
  try {
    return parseFieldSelectorOrThrow(raw).requirements;
  } catch {
    return undefined;
  }
}

export function authorizationFilter(authorize: (a: AuthzAttributes) => AuthzResult): Filter {
  return async (req, next) => {
    const a = authorizationAttributes(req);
    const d = authorize(a);
    if (d.decision !== 'allow') throw forbiddenError(a, d.reason);
    return next(req);
  };
}
