/**
 * ClusterRole aggregation as upstream's clusterrole-aggregation controller computes it (pkg/controller/
 * clusterroleaggregation): for each of `aggregationRule.clusterRoleSelectors` in order, the ClusterRoles whose labels
 * the selector matches, sorted by name (Go byte order), skipping the aggregated role itself; their rules are appended
 * in order, each rule only once (semantic equality: a missing list equals an empty one). Pure: nothing is mutated,
 * the result holds copies.
 *
 * A selector is converted with LabelSelectorAsSelector, so an empty selector (no matchLabels, no matchExpressions)
 * selects every ClusterRole, as upstream; an invalid operator throws SelectorError (the controller logs and retries).
 */
import type { StoredObject } from '../../api/object';
import { compareGoStrings, labelSelectorAsSelector, type V1LabelSelector } from '../../api/selectors';
import type { PolicyRuleLike } from './rbac-rules';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface ClusterRoleLike {
  readonly metadata: { readonly name?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly aggregationRule?: { readonly clusterRoleSelectors?: readonly V1LabelSelector[] } | null;
  readonly rules?: readonly PolicyRuleLike[] | null;
}

const FIELDS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** equality.Semantic.DeepEqual of two PolicyRules (nil and empty lists are equal; order matters). */
export function policyRuleEqual(a: PolicyRuleLike, b: PolicyRuleLike): boolean {
  return FIELDS.every((f) => sameList(a[f], b[f]));
}

/** equality.Semantic.DeepEqual of two rule lists: what the controller compares before writing. */
export function policyRulesEqual(a: readonly PolicyRuleLike[] | null | undefined, b: readonly PolicyRuleLike[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => policyRuleEqual(r, y[i]));
}

function copyRule(r: PolicyRuleLike): PolicyRule {
  const out: PolicyRule = { verbs: [...(r.verbs ?? [])] };
  if (r.apiGroups) out.apiGroups = [...r.apiGroups];
  if (r.resources) out.resources = [...r.resources];
  if (r.resourceNames) out.resourceNames = [...r.resourceNames];
  if (r.nonResourceURLs) out.nonResourceURLs = [...r.nonResourceURLs];
  return out;
}

/**
 * The rules `role` should have, or undefined when it has no aggregationRule (the controller leaves such roles alone).
 * `allRoles` is every ClusterRole (it may include `role` itself, which is skipped).
 */
export function aggregateClusterRole(role: Readonly<StoredObject>, allRoles: readonly Readonly<StoredObject>[]): PolicyRule[] | undefined {
  const self = role as unknown as ClusterRoleLike;
  const selectors = self.aggregationRule?.clusterRoleSelectors;
  if (!self.aggregationRule) return undefined;
  const out: PolicyRule[] = [];
  for (const sel of selectors ?? []) {
    const selector = labelSelectorAsSelector(sel);
    const selected = (allRoles as unknown as readonly ClusterRoleLike[])
      .filter((r) => selector.matches(r.metadata.labels))
      .sort((a, b) => compareGoStrings(a.metadata.name ?? '', b.metadata.name ?? ''));
    for (const r of selected) {
      if (r.metadata.name === self.metadata.name) continue;
      for (const rule of r.rules ?? []) if (!out.some((x) => policyRuleEqual(x, rule))) out.push(copyRule(rule));
    }
  }
  return out;
}

/**
 * Runs aggregation over a set of ClusterRoles until nothing changes (what the controller converges to, since every
 * ClusterRole change requeues all aggregated roles): e.g. `admin` picks up `edit`, which picks up `view`. Returns new
 * role objects (shallow copies with new `rules`) for the aggregated ones and the originals for the rest.
 */
export function aggregateAll<T extends Readonly<StoredObject>>(roles: readonly T[]): T[] {
  let current = [...roles];
  for (let round = 0; round <= roles.length; round++) {
    let changed = false;
    current = current.map((r) => {
      const rules = aggregateClusterRole(r, current);
      if (rules === undefined || policyRulesEqual(rules, (r as unknown as ClusterRoleLike).rules)) return r;
      changed = true;
      return { ...r, rules } as T;
    });
    if (!changed) break;
  }
  return current;
}
