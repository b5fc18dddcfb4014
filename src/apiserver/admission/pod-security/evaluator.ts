/**
 * The PodSecurity evaluator (policy/registry.go + checks.go): for a level and version, the checks in force — baseline
 * ids in byte order, then (restricted only) restricted ids in byte order, minus the baseline checks a restricted
 * check overrides; for each check its newest revision not newer than the version; `latest` and versions past the
 * newest revision (v1.32) evaluate as v1.32. Results aggregate as upstream prints them:
 * `reason (detail), reason, …`.
 */
import { compareGoStrings } from '../../../api/selectors/go-format';
import type { LevelVersion } from './api';
import { hostChecks } from './baseline-host';
import { privilegeChecks } from './baseline-privilege';
import { profileChecks } from './baseline-profiles';
import type { Check, CheckPodFn, CheckResult, Obj, VersionedCheck } from './check';
import { restrictedContainerChecks } from './restricted-containers';
import { restrictedPodChecks } from './restricted-pod';

const ALL_CHECKS: Check[] = [...hostChecks, ...privilegeChecks, ...profileChecks, ...restrictedPodChecks, ...restrictedContainerChecks];

/** The newest policy version any check has a revision for: what `latest` means. */
export const MAX_POLICY_VERSION = Math.max(...ALL_CHECKS.flatMap((c) => c.versions.map((v) => v.minimumVersion)));

const byId = (a: Check, b: Check): number => compareGoStrings(a.id, b.id);
const BASELINE = ALL_CHECKS.filter((c) => c.level === 'baseline').sort(byId);
const RESTRICTED = ALL_CHECKS.filter((c) => c.level === 'restricted').sort(byId);

function revision(check: Check, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.minimumVersion <= minor) found = v;
  return found;
}

const cache = new Map<string, CheckPodFn[]>();

/** The check functions in force for a level and version, in upstream's order. */
export function checksFor(lv: LevelVersion): CheckPodFn[] {
  if (lv.level === 'privileged') return [];
  const minor = lv.version.latest || lv.version.minor > MAX_POLICY_VERSION ? MAX_POLICY_VERSION : lv.version.minor;
  const key = `${lv.level}:${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const baseline = BASELINE.map((c) => ({ id: c.id, rev: revision(c, minor) }));
  let fns: CheckPodFn[];
  if (lv.level === 'baseline') {
    fns = baseline.flatMap((c) => (c.rev ? [c.rev.checkPod] : []));
  } else {
    const restricted = RESTRICTED.map((c) => revision(c, minor)).filter((r): r is VersionedCheck => r !== undefined);
    const overridden = new Set(restricted.flatMap((r) => r.overrides ?? []));
    fns = [...baseline.flatMap((c) => (c.rev && !overridden.has(c.id) ? [c.rev.checkPod] : [])), ...restricted.map((r) => r.checkPod)];
  }
  cache.set(key, fns);
  return fns;
}

export interface AggregateResult {
  allowed: boolean;
  reasons: string[];
  /** Same length as reasons; '' where a check gave no detail. */
  details: string[];
}

const UNKNOWN_REASON = 'unknown forbidden reason';

export function evaluatePod(lv: LevelVersion, meta: Obj, spec: Obj): AggregateResult {
  const results: CheckResult[] = checksFor(lv).map((fn) => fn(meta, spec));
  const reasons: string[] = [];
  const details: string[] = [];
  for (const r of results) {
    if (r.allowed) continue;
    reasons.push(r.reason || UNKNOWN_REASON);
    details.push(r.detail);
  }
  return { allowed: reasons.length === 0, reasons, details };
}

/** `host ports, privileged` — what namespace-wide warnings print. */
export function forbiddenReason(r: AggregateResult): string {
  return r.reasons.join(', ');
}

/** `host ports (8080), privileged (container "a" must not set …)` — what a single object's message prints. */
export function forbiddenDetail(r: AggregateResult): string {
  return r.reasons.map((reason, i) => (r.details[i] ? `${reason} (${r.details[i]})` : reason)).join(', ');
}
