/**
 * Rule coverage (pkg/registry/rbac/validation: Covers, BreakdownRule, ruleCovers, CompactRules, CompactString): whether
 * a set of owner rules grants everything a set of servant rules would, and the missing rules, compacted and worded
 * as upstream's escalation error lists them (`{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}`).
 */
import { goQuote } from '../../api/selectors';
import type { PolicyRuleLike } from './rbac-rules';

const has = (set: readonly string[] | undefined, v: string): boolean => !!set && set.includes(v);
const hasAll = (set: readonly string[] | undefined, vs: readonly string[] | undefined): boolean => (vs ?? []).every((v) => has(set, v));

/** One rule per group × resource × verb (× resourceName), and per nonResourceURL × verb. */
export function breakdownRule(rule: PolicyRuleLike): PolicyRuleLike[] {
  const out: PolicyRuleLike[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) for (const n of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [n] });
        else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourceCoversAll(set: readonly string[] | undefined, covers: readonly string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(set, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  if (owner === sub) return true;
  return owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, ''));
}

function nonResourceURLsCoverAll(set: readonly string[] | undefined, covers: readonly string[] | undefined): boolean {
  return (covers ?? []).every((p) => (set ?? []).some((o) => nonResourceURLCovers(o, p)));
}

function ruleCovers(owner: PolicyRuleLike, sub: PolicyRuleLike): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = nonResourceURLsCoverAll(owner.nonResourceURLs, sub.nonResourceURLs);
  const names = !sub.resourceNames?.length ? !owner.resourceNames?.length : !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** Covers: true when every broken-down servant rule is covered by some owner rule; else the uncovered ones. */
export function covers(owner: readonly PolicyRuleLike[], servant: readonly PolicyRuleLike[]): { ok: boolean; missing: PolicyRuleLike[] } {
  const missing = servant.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  return { ok: missing.length === 0, missing };
}

/** CompactRules: simple rules (one group, one resource, at most one name, no URLs) of the same target merge verbs. */
export function compactRules(rules: readonly PolicyRuleLike[]): PolicyRuleLike[] {
  const out: PolicyRuleLike[] = [];
  const simple = new Map<string, PolicyRuleLike & { verbs: string[] }>();
  for (const r of rules) {
    const isSimple = !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1 && (r.resourceNames?.length ?? 0) <= 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs.push(...(r.verbs ?? []));
    else simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
  }
  return [...out, ...simple.values()];
}

/** Go's %q of a []string: `["a" "b"]`. */
export function q(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

/** CompactString. */
export function compactString(r: PolicyRuleLike): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
