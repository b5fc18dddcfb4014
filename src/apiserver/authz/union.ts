/**
 * authorizerunion.New: asks each authorizer in turn; the first allow or deny decides (with that authorizer's reason);
 * when every one has no opinion the result is noOpinion with the non-empty reasons joined by newlines — the text the
 * 403 message then carries (see forbidden.ts, re-exported here).
 */
import type { Authorizer, AuthzAttributes, AuthzResult } from './types';

export { forbiddenError, forbiddenMessage } from './forbidden';

export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    name: authorizers.map((a) => a.name).join(','),
    authorize(a: AuthzAttributes): AuthzResult {
      const reasons: string[] = [];
      for (const authz of authorizers) {
        const r = authz.authorize(a);
        if (r.decision !== 'noOpinion') return r;
        if (r.reason) reasons.push(r.reason);
      }
      return { decision: 'noOpinion', reason: reasons.join('\n') };
    },
  };
}
