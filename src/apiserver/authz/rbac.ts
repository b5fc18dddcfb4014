/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac + pkg/registry/rbac/validation's DefaultRuleResolver). Every
 * call reads ClusterRoleBindings, then (for a namespaced request) the namespace's RoleBindings, from the reader, and
 * visits the rules of each binding that applies to the user, in that order. The first rule that allows the request
 * decides, with upstream's reason (`RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole
 * "cluster-admin" to Group "system:masters"`). RBAC never denies: without an allowing rule the answer is noOpinion,
 * with reason `RBAC: <errors>` when referenced roles could not be resolved (e.g. `RBAC: clusterrole.rbac.
 * authorization.k8s.io "x" not found`), else ''.
 *
 * A RoleBinding may reference a ClusterRole; its rules then apply within the binding's namespace only. rulesFor()
 * answers SelfSubjectRulesReview: cluster-wide plus namespace rules; like upstream's RBACAuthorizer.RulesFor,
 * incomplete stays false and resolution errors are reported in evaluationError.
 *
 * Bindings are indexed by subject (see rbac-bindings.ts); an index is rebuilt only when the reader returns different
 * binding objects. Never throws, never mutates what the reader returns.
 */
import type { StoredObject } from '../../api/object';
import { goQuote } from '../../api/selectors';
import type { ClusterReader } from '../reader';
import type { UserInfo } from '../request';
import { BindingIndexCache, type AppliedBinding, type RoleRefLike, type SubjectLike } from './rbac-bindings';
import { ruleAllows, type PolicyRuleLike } from './rbac-rules';
import type { Authorizer, AuthzAttributes, AuthzResult, NonResourceRule, ResourceRule, RuleResolver, RulesReview } from './types';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Where a rule came from; turned into upstream's describer text only when a request is allowed. */
interface RuleSource {
  readonly applied: AppliedBinding;
  /** '' for a ClusterRoleBinding. */
  readonly namespace: string;
}

/** Called per rule (or per resolution error); return false to stop visiting. */
type Visitor = (source: RuleSource | undefined, rule: PolicyRuleLike | undefined, err: string | undefined) => boolean;

export function createRbacAuthorizer(reader: ClusterReader): Authorizer & RuleResolver {
  const cache = new BindingIndexCache();

  function roleRules(ref: RoleRefLike | undefined, bindingNamespace: string): { rules?: readonly PolicyRuleLike[]; err?: string } {
    const kind = ref?.kind ?? '';
    const name = ref?.name ?? '';
    let obj: Readonly<StoredObject> | undefined;
    switch (kind) {
      case 'Role':
        obj = reader.get(RBAC_GROUP, 'roles', bindingNamespace, name);
        if (!obj) return { err: `role.${RBAC_GROUP} ${goQuote(name)} not found` };
        break;
      case 'ClusterRole':
        obj = reader.get(RBAC_GROUP, 'clusterroles', '', name);
        if (!obj) return { err: `clusterrole.${RBAC_GROUP} ${goQuote(name)} not found` };
        break;
      default:
        return { err: `unsupported role reference kind: ${goQuote(kind)}` };
    }
    const rules = (obj as { rules?: readonly PolicyRuleLike[] | null }).rules;
    return { rules: rules ?? [] };
  }

  /** Returns false when the visitor stopped the walk. */
  function visitBindings(applied: AppliedBinding[], namespace: string, visitor: Visitor): boolean {
    for (const a of applied) {
      const { rules, err } = roleRules(a.binding.roleRef, namespace);
      if (err !== undefined) {
        if (!visitor(undefined, undefined, err)) return false;
        continue;
      }
      const source: RuleSource = { applied: a, namespace };
      for (const rule of rules!) if (!visitor(source, rule, undefined)) return false;
    }
    return true;
  }

  /** DefaultRuleResolver.VisitRulesFor. */
  function visitRulesFor(user: UserInfo, namespace: string, visitor: Visitor): void {
    const crbs = cache.forCluster(reader.list(RBAC_GROUP, 'clusterrolebindings'));
    if (!visitBindings(crbs.applicable(user), '', visitor)) return;
    if (!namespace) return;
    const rbs = cache.forNamespace(namespace, reader.list(RBAC_GROUP, 'rolebindings', namespace));
    visitBindings(rbs.applicable(user), namespace, visitor);
  }

  return {
    name: 'RBAC',

    authorize(a: AuthzAttributes): AuthzResult {
      let allowedBy: RuleSource | undefined;
      let errors: string[] | undefined;
      visitRulesFor(a.user, a.namespace, (source, rule, err) => {
        if (rule && ruleAllows(a, rule)) {
          allowedBy = source;
          return false;
        }
        if (err !== undefined) (errors ??= []).push(err);
        return true;
      });
      if (allowedBy) return { decision: 'allow', reason: `RBAC: allowed by ${describeSource(allowedBy)}` };
      return { decision: 'noOpinion', reason: errors ? `RBAC: ${aggregateMessage(errors)}` : '' };
    },

    rulesFor(user: UserInfo, namespace: string): RulesReview {
      const rules: PolicyRuleLike[] = [];
      const errors: string[] = [];
      visitRulesFor(user, namespace, (_source, rule, err) => {
        if (rule) rules.push(rule);
        if (err !== undefined) errors.push(err);
        return true;
      });
      const review: RulesReview = {
        resourceRules: rules.filter((r) => r.resources?.length).map(toResourceRule),
        nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map(toNonResourceRule),
        incomplete: false,
      };
      if (errors.length) review.evaluationError = aggregateMessage(errors);
      return review;
    },
  };
}

/** describeSubject: `ServiceAccount "name/ns"` (ns defaulting to the binding's), else `Kind "name"`. */
function describeSubject(s: SubjectLike, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${goQuote(`${s.name ?? ''}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind ?? ''} ${goQuote(s.name ?? '')}`;
}

/** clusterRoleBindingDescriber / roleBindingDescriber. */
function describeSource(src: RuleSource): string {
  const b = src.applied.binding;
  const subject = (b.subjects ?? [])[src.applied.subjectIndex];
  const ref = b.roleRef ?? {};
  const of = `of ${ref.kind ?? ''} ${goQuote(ref.name ?? '')} to ${describeSubject(subject, src.namespace)}`;
  if (!src.namespace) return `ClusterRoleBinding ${goQuote(b.metadata.name ?? '')} ${of}`;
  return `RoleBinding ${goQuote(`${b.metadata.name ?? ''}/${b.metadata.namespace ?? src.namespace}`)} ${of}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message as is; several de-duplicated and joined as `[a, b]`. */
export function aggregateMessage(errors: readonly string[]): string {
  if (errors.length === 1) return errors[0];
  const seen = [...new Set(errors)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

function copy(v: readonly string[] | undefined): string[] | undefined {
  return v && v.length ? [...v] : undefined;
}

function toResourceRule(r: PolicyRuleLike): ResourceRule {
  const out: ResourceRule = { verbs: [...(r.verbs ?? [])] };
  const apiGroups = copy(r.apiGroups);
  const resources = copy(r.resources);
  const resourceNames = copy(r.resourceNames);
  if (apiGroups) out.apiGroups = apiGroups;
  if (resources) out.resources = resources;
  if (resourceNames) out.resourceNames = resourceNames;
  return out;
}

function toNonResourceRule(r: PolicyRuleLike): NonResourceRule {
  const out: NonResourceRule = { verbs: [...(r.verbs ?? [])] };
  const urls = copy(r.nonResourceURLs);
  if (urls) out.nonResourceURLs = urls;
  return out;
}
