/**
 * RBAC rule matching exactly as upstream's rbac.RuleAllows and the rbac/v1 evaluation helpers (VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches). Pure functions over PolicyRule
 * shapes; rules may be frozen objects straight from the watch cache (nothing here mutates them).
 *
 * - verbs / apiGroups / resources: `*` matches anything; otherwise an exact match.
 * - resources: the request's combined `resource/subresource` must match exactly, or a rule entry `*\/<subresource>`
 *   matches that subresource of any resource (`pods/*` is NOT a wildcard upstream: it only matches the literal
 *   subresource `*`).
 * - resourceNames: an empty list matches every name; otherwise the request name must be listed. Requests without a
 *   name (create, list, watch, deletecollection) therefore never match a rule with resourceNames.
 * - nonResourceURLs: `*` matches every path; an entry ending in `*` is a prefix match; otherwise exact.
 */
import type { AuthzAttributes } from './types';

/** rbac/v1 PolicyRule as read from the store (arrays may be frozen; fields may be absent). */
export interface PolicyRuleLike {
  readonly verbs?: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export const VERB_ALL = '*';
export const API_GROUP_ALL = '*';
export const RESOURCE_ALL = '*';
export const NON_RESOURCE_ALL = '*';

export function verbMatches(rule: PolicyRuleLike, verb: string): boolean {
  for (const v of rule.verbs ?? []) if (v === VERB_ALL || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRuleLike, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === API_GROUP_ALL || g === group) return true;
  return false;
}

/** `combined` is `resource` or `resource/subresource`; `subresource` is the bare subresource ('' for none). */
export function resourceMatches(rule: PolicyRuleLike, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === RESOURCE_ALL || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRuleLike, name: string): boolean {
  const names = rule.resourceNames;
  if (!names || names.length === 0) return true;
  return names.includes(name);
}

/** Go's strings.TrimRight(s, "*"). */
function trimStars(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 42) end--;
  return s.slice(0, end);
}

export function nonResourceURLMatches(rule: PolicyRuleLike, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === NON_RESOURCE_ALL || u === path) return true;
    if (u.endsWith('*') && path.startsWith(trimStars(u))) return true;
  }
  return false;
}

/** rbac.RuleAllows: does this one rule allow the request? */
export function ruleAllows(a: AuthzAttributes, rule: PolicyRuleLike): boolean {
  if (a.isResourceRequest) {
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return (
      verbMatches(rule, a.verb) &&
      apiGroupMatches(rule, a.apiGroup) &&
      resourceMatches(rule, combined, a.subresource) &&
      resourceNameMatches(rule, a.name)
    );
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

/** rbac.RulesAllow: does any of the rules allow the request? */
export function rulesAllow(a: AuthzAttributes, rules: readonly PolicyRuleLike[]): boolean {
  for (const r of rules) if (ruleAllows(a, r)) return true;
  return false;
}
