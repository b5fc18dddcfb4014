/**
 * RBAC escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased): a
 * user may write a Role or ClusterRole only with rules they already hold (in that namespace), or with the
 * `escalate` verb on the resource; a RoleBinding or ClusterRoleBinding only to a role whose rules they hold, or with
 * the `bind` verb on that role; a ClusterRole's aggregationRule needs full authority (cluster-admin). Members of
 * system:masters and the API server's own writes skip the checks; updates that only touch ownerReferences or
 * finalizers (the garbage collector's) are let through. Refusals are 403 Forbidden with upstream's text:
 * `user "u" (groups=["g" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:` and one
 * compacted rule per line. Runs before admission, as upstream's storage wrapper does.
 */
import { isDeepStrictEqual } from 'node:util';
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { goQuote } from '../../api/selectors';
import { StatusError } from '../../api/status';
import { compactRules, compactString, covers, q } from '../authz/rbac-covers';
import type { PolicyRuleLike } from '../authz/rbac-rules';
import type { AuthzAttributes, AuthzResult, RulesReview } from '../authz/types';
import type { UserInfo } from '../request';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const FULL_AUTHORITY: PolicyRuleLike[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export interface EscalationDeps {
  authorize(a: AuthzAttributes): AuthzResult;
  rulesFor(user: UserInfo, namespace: string): RulesReview;
  /** A consistent read of a Role or ClusterRole (`roles` / `clusterroles`); undefined when there is none. */
  getRole(resource: 'roles' | 'clusterroles', namespace: string, name: string): Promise<Readonly<StoredObject> | undefined>;
}

/** Called by create and update before admission; throws 403 (or 404 for a missing role) to refuse the write. */
export type WriteGuard = (r: ResourceInfo, obj: StoredObject, old: Readonly<StoredObject> | undefined, user: UserInfo | undefined) => Promise<void>;

type RoleRef = { apiGroup?: string; kind?: string; name?: string };

export function rbacEscalationGuard(deps: EscalationDeps): WriteGuard {
  const allowed = (user: UserInfo, verb: string, resource: string, namespace: string, name: string, apiVersion = 'v1') =>
    deps.authorize({ user, verb, isResourceRequest: true, path: '', apiGroup: RBAC_GROUP, apiVersion, namespace, resource, subresource: '', name }).decision === 'allow';

  /** ConfirmNoEscalation: the error text, or undefined when the user holds every rule. */
  const missingRights = (user: UserInfo, namespace: string, rules: readonly PolicyRuleLike[]): string | undefined => {
    const review = deps.rulesFor(user, namespace);
    const owner: PolicyRuleLike[] = [...review.resourceRules, ...review.nonResourceRules];
    const { ok, missing } = covers(owner, rules);
    if (ok) return undefined;
    const lines = [...new Set(compactRules(missing).map(compactString))].sort();
    let msg = `user ${goQuote(user.name)} (groups=${q(user.groups ?? [])}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
    if (review.evaluationError) msg += `; resolution errors: [${review.evaluationError}]`;
    return msg;
  };

  return async (r, obj, old, user) => {
    if (r.group !== RBAC_GROUP || !user || (user.groups ?? []).includes('system:masters')) return;
    if (old && onlyGcFieldsChanged(obj, old)) return;
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const forbid = (message: string) => StatusError.forbidden({ group: RBAC_GROUP, resource: r.resource }, name, message);
    switch (r.resource) {
      case 'roles':
      case 'clusterroles': {
        if (allowed(user, 'escalate', r.resource, namespace, name, r.version)) return;
        const err = missingRights(user, namespace, ((obj as { rules?: PolicyRuleLike[] }).rules ?? []) as PolicyRuleLike[]);
        if (err) throw forbid(err);
        const agg = (obj as { aggregationRule?: unknown }).aggregationRule;
        if (r.resource === 'clusterroles' && agg && !isDeepStrictEqual(agg, (old as { aggregationRule?: unknown } | undefined)?.aggregationRule)) {
          if (missingRights(user, '', FULL_AUTHORITY)) throw forbid('must have cluster-admin privileges to use the aggregationRule');
        }
        return;
      }
      case 'rolebindings':
      case 'clusterrolebindings': {
        const ref = ((obj as { roleRef?: RoleRef }).roleRef ?? {}) as RoleRef;
        const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
        if (!refResource) return; // validation refuses the kind
        if (allowed(user, 'bind', refResource, namespace, ref.name ?? '')) return;
        const role = await deps.getRole(refResource, refResource === 'roles' ? namespace : '', ref.name ?? '');
        if (!role) throw StatusError.notFound({ group: RBAC_GROUP, resource: refResource }, ref.name ?? '');
        const err = missingRights(user, namespace, ((role as { rules?: PolicyRuleLike[] }).rules ?? []) as PolicyRuleLike[]);
        if (err) throw forbid(err);
        return;
      }
    }
  };
}

/** IsOnlyMutatingGCFields: equal once ownerReferences, finalizers and managedFields are taken from the old object. */
function onlyGcFieldsChanged(obj: Readonly<StoredObject>, old: Readonly<StoredObject>): boolean {
  const strip = (o: Readonly<StoredObject>) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return isDeepStrictEqual(strip(obj), strip(old));
}
