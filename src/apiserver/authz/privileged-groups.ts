/**
 * authorizerfactory.NewPrivilegedGroups: kube-apiserver puts this authorizer first (before Node and RBAC) so members
 * of `system:masters` are allowed everything even when no RBAC objects exist yet. Allows with an empty reason;
 * noOpinion for everyone else.
 */
import type { Authorizer, AuthzAttributes, AuthzResult } from './types';

export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';

export function privilegedGroupsAuthorizer(groups: readonly string[] = [SYSTEM_PRIVILEGED_GROUP]): Authorizer {
  return {
    name: 'PrivilegedGroups',
    authorize(a: AuthzAttributes): AuthzResult {
      for (const g of a.user.groups) if (groups.includes(g)) return { decision: 'allow', reason: '' };
      return { decision: 'noOpinion', reason: '' };
    },
  };
}
