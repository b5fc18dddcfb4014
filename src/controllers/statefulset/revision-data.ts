/**
 * What a StatefulSet ControllerRevision holds (upstream getPatch / ApplyRevision): a strategic merge patch
 * `{"spec":{"template":{…,"$patch":"replace"}}}` that puts the saved pod template back on a set; applying one
 * replaces spec.template with the saved one. Revisions are equal when their data is. Pure functions.
 */
import { isDeepStrictEqual } from 'node:util';
import { deepCopy } from '../../api/object';
import { revisionNumber } from '../history/controller-history';
import type { PodTemplate, Revision, StatefulSet } from './types';

export function revisionData(set: StatefulSet): { spec: { template: PodTemplate } } {
  return { spec: { template: { ...deepCopy(set.spec.template ?? {}), $patch: 'replace' } } };
}

/** A copy of `set` whose template is the one saved in `revision`. */
export function applyRevision(set: StatefulSet, revision: Revision): StatefulSet {
  const clone = deepCopy(set);
  const saved = (revision.data as { spec?: { template?: PodTemplate } } | undefined)?.spec?.template;
  if (saved) {
    const template = deepCopy(saved);
    delete template.$patch;
    clone.spec.template = template;
  }
  return clone;
}

export function equalRevisionData(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

/** The revisions (sorted oldest first) whose data equals `data`, in the same order. */
export function findEqualRevisions(revisions: readonly Revision[], data: unknown): Revision[] {
  return revisions.filter((r) => equalRevisionData(r.data, data));
}

/** 1 + the highest revision number (1 for none). */
export function nextRevisionNumber(revisions: readonly Revision[]): number {
  return revisions.reduce((m, r) => Math.max(m, revisionNumber(r)), 0) + 1;
}
