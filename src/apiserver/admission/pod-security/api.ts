/**
 * PodSecurity levels, policy versions and namespace labels, as pod-security-admission's `api` package. A namespace's
 * `pod-security.kubernetes.io/<mode>` and `<mode>-version` labels override the configured defaults. An unparsable
 * enforce level reads as restricted (fail closed), an unparsable audit/warn level as privileged (fail open), an
 * unparsable version as latest; each bad label also yields a field error (upstream's wording).
 */
import { fieldErr, type FieldError } from '../../../api/field-errors';
import type { Level } from './check';

export type { Level };

export interface Version {
  latest: boolean;
  /** The minor of v1.<minor>; meaningless when latest. */
  minor: number;
}

export interface LevelVersion {
  level: Level;
  version: Version;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const LATEST: Version = Object.freeze({ latest: true, minor: 0 });

const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];
const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;

export function versionString(v: Version): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** `restricted:latest`, `baseline:v1.29` (upstream's LevelVersion.String). */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.version.latest === b.version.latest && (a.version.latest || a.version.minor === b.version.minor);
}

export function parseLevel(s: string): { level: Level; error?: string } {
  return (LEVELS as readonly string[]).includes(s) ? { level: s as Level } : { level: 'restricted', error: `must be one of ${LEVELS.join(', ')}` };
}

export function parseVersion(s: string): { version: Version; error?: string } {
  if (s === 'latest') return { version: LATEST };
  const m = VERSION_RE.exec(s);
  if (!m) return { version: LATEST, error: 'must be "latest" or "v1.x"' };
  return { version: { latest: false, minor: Number(m[1]) } };
}

/** +1 when a is stricter than b, -1 when looser, 0 when equal. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

type Mode = keyof Policy;
const MODES: Mode[] = ['enforce', 'audit', 'warn'];

/** The effective policy of a namespace's labels over the defaults, and the label errors (never throws). */
export function policyToEvaluate(labels: Readonly<Record<string, string>> | undefined, defaults: Policy): { policy: Policy; errs: FieldError[] } {
  const policy: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errs: FieldError[] = [];
  if (!labels) return { policy, errs };
  for (const mode of MODES) {
    const levelLabel = LABEL_PREFIX + mode;
    if (Object.hasOwn(labels, levelLabel)) {
      const value = labels[levelLabel];
      const r = parseLevel(value);
      policy[mode].level = r.error && mode !== 'enforce' ? 'privileged' : r.level;
      if (r.error) errs.push(fieldErr.invalid(`metadata.labels[${levelLabel}]`, value, r.error));
    }
    const versionLabel = `${levelLabel}-version`;
    if (Object.hasOwn(labels, versionLabel)) {
      const value = labels[versionLabel];
      const r = parseVersion(value);
      policy[mode].version = r.version;
      if (r.error) errs.push(fieldErr.invalid(`metadata.labels[${versionLabel}]`, value, r.error));
    }
  }
  return { policy, errs };
}

/** The configured defaults (upstream's PodSecurityConfiguration.defaults); throws on a bad value, as startup does. */
export function defaultPolicy(d: Partial<Record<Mode | `${Mode}Version`, string>> = {}): Policy {
  const lv = (mode: Mode): LevelVersion => {
    const l = parseLevel(d[mode] ?? 'privileged');
    const v = parseVersion(d[`${mode}Version`] ?? 'latest');
    if (l.error) throw new Error(`PodSecurity defaults.${mode}: ${l.error}`);
    if (v.error) throw new Error(`PodSecurity defaults.${mode}-version: ${v.error}`);
    return { level: l.level, version: v.version };
  };
  return { enforce: lv('enforce'), audit: lv('audit'), warn: lv('warn') };
}
