/**
 * Completion indexes of Indexed Jobs (upstream job/indexed_job_utils.go): ordered, non-overlapping intervals with
 * upstream's string form for status.completedIndexes ("0,2-4,6" — a pair of neighbours is written "1,2"), parsing
 * that form back (ignoring what is out of range), the indexes that succeeded, the first pending indexes to create
 * pods for, and which active pods to delete (duplicates of an index, pods without a valid index, then the surplus
 * in deletion order).
 */
import type { CachedObject } from '../../client/informers';
import { compareForDeletion } from '../framework/pod-util';
import { completionIndex, hasTrackingFinalizer, isIndexed, isSucceeded, UNKNOWN_INDEX, type Job } from './job-util';

export interface Interval {
  first: number;
  last: number;
}

/** Intervals from sorted, distinct-or-not indexes merged into `base`. */
export function withOrderedIndexes(base: readonly Interval[], indexes: readonly number[]): Interval[] {
  const all = new Set<number>();
  for (const iv of base) for (let i = iv.first; i <= iv.last; i++) all.add(i);
  for (const i of indexes) all.add(i);
  return intervalsOf([...all].sort((a, b) => a - b));
}

function intervalsOf(sorted: readonly number[]): Interval[] {
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i === last.last + 1) last.last = i;
    else if (!last || i > last.last) out.push({ first: i, last: i });
  }
  return out;
}

export function intervalsToString(ivs: readonly Interval[]): string {
  return ivs.map((v) => (v.last > v.first ? `${v.first}${v.last === v.first + 1 ? ',' : '-'}${v.last}` : `${v.first}`)).join(',');
}

export function totalOf(ivs: readonly Interval[]): number {
  return ivs.reduce((n, v) => n + v.last - v.first + 1, 0);
}

export function hasIndex(ivs: readonly Interval[], ix: number): boolean {
  return ivs.some((v) => v.first <= ix && ix <= v.last);
}

/** Parses completedIndexes; elements that do not parse or reach `completions` are dropped (upstream logs them). */
export function parseIndexes(s: string | undefined, completions: number): Interval[] {
  const idx: number[] = [];
  for (const part of (s ?? '').split(',')) {
    if (!part) continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    for (let i = first; i <= last; i++) idx.push(i);
  }
  return withOrderedIndexes([], idx);
}

/** Previous and new succeeded intervals: new adds succeeded pods with a valid index still holding the finalizer. */
export function succeededIndexes(job: Job, pods: readonly CachedObject[]): { prev: Interval[]; now: Interval[] } {
  const completions = job.spec.completions ?? 0;
  const prev = parseIndexes(job.status.completedIndexes, completions);
  const fresh: number[] = [];
  for (const p of pods) {
    const ix = completionIndex(p);
    if (isSucceeded(p) && ix !== UNKNOWN_INDEX && ix < completions && hasTrackingFinalizer(p)) fresh.push(ix);
  }
  return { prev, now: withOrderedIndexes(prev, fresh) };
}

/** Up to `count` indexes below `completions` that are neither succeeded nor taken by an active (or, when only
 * failed pods are replaced, terminating) pod, lowest first. */
export function firstPendingIndexes(succeeded: readonly Interval[], taken: readonly CachedObject[], count: number, completions: number): number[] {
  const busy = new Set<number>();
  for (const iv of succeeded) for (let i = iv.first; i <= iv.last; i++) busy.add(i);
  for (const p of taken) {
    const ix = completionIndex(p);
    if (ix !== UNKNOWN_INDEX) busy.add(ix);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!busy.has(i)) out.push(i);
  return out;
}

/** upstream activePodsForRemoval: for Indexed Jobs first every pod with no/out-of-range index and all but one
 * pod of a repeated index; then the surplus, in deletion order, until `rmAtLeast` are chosen. */
export function activePodsForRemoval(job: Job, pods: readonly CachedObject[], rmAtLeast: number, now: number): CachedObject[] {
  const rm: CachedObject[] = [];
  let left: CachedObject[] = [];
  const order = (a: CachedObject, b: CachedObject) => compareForDeletion(a, b, 0, 0, now);
  if (isIndexed(job)) {
    const completions = job.spec.completions ?? 0;
    const byIndex = new Map<number, CachedObject[]>();
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === UNKNOWN_INDEX || ix >= completions) {
        rm.push(p);
        continue;
      }
      const list = byIndex.get(ix) ?? [];
      list.push(p);
      byIndex.set(ix, list);
    }
    for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
      const same = [...byIndex.get(ix)!].sort(order);
      rm.push(...same.slice(0, -1));
      left.push(same[same.length - 1]);
    }
  } else left = [...pods];
  if (rm.length < rmAtLeast) rm.push(...left.sort(order).slice(0, rmAtLeast - rm.length));
  return rm;
}
