/**
 * Authorization contracts, as kube-apiserver's authorizer.Attributes / Decision. Authorizers run in order (Node,
 * then RBAC); the first Allow or Deny decides; if all say NoOpinion the request is forbidden (403) with the message
 * Kubernetes writes, e.g. `pods "x" is forbidden: User "dev-user" cannot delete resource "pods" in API group "" in
 * the namespace "default"`. Authorizers never throw; they must not mutate anything.
 */
import type { FieldRequirement } from '../../api/selectors/field-selector';
import type { UserInfo } from '../request';

export interface AuthzAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection, impersonate, bind, escalate, use, approve,
   * or for non-resource requests the lower-case HTTP method (get, post, …). */
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The request's fieldSelector requirements (list/watch; undefined when none or unparsable: GetFieldSelector). */
  fieldSelector?: readonly FieldRequirement[];
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface AuthzResult {
  decision: Decision;
  /** Why (for logs and for SubjectAccessReview status.reason), e.g. `RBAC: allowed by ClusterRoleBinding "x" …`. */
  reason: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(a: AuthzAttributes): AuthzResult;
}

/** The rules a user has in a namespace, as SelfSubjectRulesReview reports them. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}
export interface RulesReview {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

/** An authorizer that can also list rules (RBAC does; Node does not). */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): RulesReview;
}
