/**
 * PodSecurity check plumbing, as pod-security-admission's `policy` package: a check is a function of (pod metadata,
 * pod spec) returning allowed, or a forbidden reason plus an optional detail; checks are versioned by the policy
 * minor version they first apply to. Helpers print lists exactly as upstream's joinQuote/pluralize do. Objects are
 * decoded JSON: a missing or mistyped field reads as Go's nil/zero value. Checks never throw and never mutate.
 */
import { compareGoStrings } from '../../../api/selectors/go-format';
import { arr, obj, objs, optObj, str, type Obj } from '../../validation/access';

export type { Obj };
export { arr, obj, objs, optObj, str };

export type Level = 'privileged' | 'baseline' | 'restricted';

export interface CheckResult {
  allowed: boolean;
  /** Short reason, always printed when forbidden: `host namespaces`. */
  reason: string;
  /** Optional specifics, printed in parentheses after the reason: `hostNetwork=true`. */
  detail: string;
}

export type CheckPodFn = (meta: Obj, spec: Obj) => CheckResult;

export interface VersionedCheck {
  /** First policy version (minor of 1.x) this revision applies to. */
  minimumVersion: number;
  checkPod: CheckPodFn;
  /** Restricted checks only: baseline check ids this one replaces at restricted level. */
  overrides?: string[];
}

export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** Strictly increasing minimum versions. */
  versions: VersionedCheck[];
}

export const ALLOWED: CheckResult = Object.freeze({ allowed: true, reason: '', detail: '' });

export function forbid(reason: string, detail = ''): CheckResult {
  return { allowed: false, reason, detail };
}

export function joinQuote(items: readonly string[]): string {
  return items.length ? `"${items.join('", "')}"` : '';
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `container "a"` / `containers "a", "b"`. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** A sets.String's List(): unique, in Go byte order. */
export function setList(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareGoStrings);
}

/** Init containers, then containers, then ephemeral containers (upstream's visitContainers order). */
export function allContainers(spec: Obj): Obj[] {
  return [...objs(spec.initContainers), ...objs(spec.containers), ...objs(spec.ephemeralContainers)];
}

export function containerName(c: Obj): string {
  return str(c.name);
}

/** The container's securityContext, or undefined when nil. */
export function securityContext(c: Obj): Obj | undefined {
  return optObj(c.securityContext);
}

export function podSecurityContext(spec: Obj): Obj | undefined {
  return optObj(spec.securityContext);
}

/** spec.os.name == "windows" (the 1.25+ restricted exemptions). */
export function isWindowsPod(spec: Obj): boolean {
  return str(optObj(spec.os)?.name) === 'windows';
}

/** A field holding a map of strings (labels, annotations), non-strings dropped as a decoder would reject them. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[k] = val;
  return out;
}
