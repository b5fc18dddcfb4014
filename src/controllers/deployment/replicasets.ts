/**
 * ReplicaSet arithmetic and ordering for a Deployment (upstream deployment_util.go and controller_utils.go):
 * which ReplicaSet is the new one (same template, ignoring pod-template-hash; the oldest if several), the old ones,
 * the active ones (replicas > 0), replica sums, the orderings upstream sorts by, saturation, and the proportion a
 * ReplicaSet gets when a Deployment is scaled in the middle of a rollout. Pure functions; inputs are not modified.
 */
import { isDeepStrictEqual } from 'node:util';
import { maxSurge } from './fenceposts';
import { annotationsOf, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, POD_TEMPLATE_HASH, REVISION_ANNOTATION, specReplicas, type Deployment, type PodTemplateSpec, type ReplicaSet } from './types';

type RS = ReplicaSet;

const created = (rs: RS) => String(rs.metadata?.creationTimestamp ?? '');
const nameOf = (rs: RS) => String(rs.metadata?.name ?? '');

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: RS, b: RS): number {
  const ta = Date.parse(created(a)) || 0;
  const tb = Date.parse(created(b)) || 0;
  if (ta !== tb) return ta - tb;
  return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes oldest first. */
export function bySizeOlder(a: RS, b: RS): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newest first. */
export function bySizeNewer(a: RS, b: RS): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** The revision annotation as a number: 0 when absent, undefined when malformed. */
export function revisionOf(o: { metadata?: { annotations?: Record<string, string> } }): number | undefined {
  const v = annotationsOf(o)[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number.parseInt(v, 10) : undefined;
}

/** ReplicaSetsByRevision: by revision, then by creation when equal or unparsable. */
export function byRevision(a: RS, b: RS): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

export function maxRevision(rss: readonly RS[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs) ?? 0), 0);
}

export function filterActive(rss: readonly (RS | null | undefined)[]): RS[] {
  return rss.filter((rs): rs is RS => !!rs && specReplicas(rs) > 0);
}

function statusField(rs: RS | null | undefined, f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return (rs?.status?.[f] as number | undefined) ?? 0;
}

export const actualReplicaCount = (rss: readonly (RS | null | undefined)[]) => rss.reduce((n, rs) => n + statusField(rs, 'replicas'), 0);
export const readyReplicaCount = (rss: readonly (RS | null | undefined)[]) => rss.reduce((n, rs) => n + statusField(rs, 'readyReplicas'), 0);
export const availableReplicaCount = (rss: readonly (RS | null | undefined)[]) => rss.reduce((n, rs) => n + statusField(rs, 'availableReplicas'), 0);

/** Semantic equality as apimachinery's: null/undefined fields and empty lists or maps count as absent. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const n = normalize(x);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v === null ? undefined : v;
}

function withoutHash(t: PodTemplateSpec | undefined): unknown {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return normalize({ ...t, metadata: { ...t?.metadata, labels } });
}

/** EqualIgnoreHash: the templates are equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly RS[]): RS | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: [old ones with replicas, all old ones]. */
export function findOldReplicaSets(d: Deployment, rss: readonly RS[]): [RS[], RS[]] {
  const newRS = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
  return [all.filter((rs) => specReplicas(rs) !== 0), all];
}

/** FindActiveOrLatest: the only active ReplicaSet, the newest when none is active, undefined when several are. */
export function findActiveOrLatest(newRS: RS | undefined, oldRSs: readonly RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

function intAnnotation(rs: RS, key: string): number | undefined {
  const v = annotationsOf(rs)[key];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number.parseInt(v, 10) : undefined;
}

export const desiredReplicasAnnotation = (rs: RS) => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const maxReplicasAnnotation = (rs: RS) => intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

/** IsSaturated: the ReplicaSet has, wants and runs available all of the Deployment's replicas. */
export function isSaturated(d: Deployment, rs: RS | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const want = specReplicas(d);
  return specReplicas(rs) === want && desired === want && statusField(rs, 'availableReplicas') === want;
}

/** Go's math.Round (half away from zero). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** getReplicaSetFraction: how many replicas this ReplicaSet gains (or loses) when the Deployment is resized. */
function replicaSetFraction(rs: RS, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated <= 0) return 0; // never scaled proportionally from zero (upstream would divide by it)
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(size) - specReplicas(rs);
}

/** GetProportion: the share of `toAdd` this ReplicaSet gets, never beyond what is left to add (or remove). */
export function getProportion(rs: RS | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
