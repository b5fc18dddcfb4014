/**
 * Which ControllerRevisions a StatefulSet pass works with (upstream getStatefulSetRevisions / truncateHistory):
 * the update revision is the latest when it holds the set's template, else an older equal one renumbered to the
 * top (a rollback), else a new one; the current revision is status.currentRevision's, or the update revision when
 * there is none (a new set). History beyond revisionHistoryLimit is deleted oldest first, never a live revision
 * (current, update, or one a pod is at).
 */
import { getPodRevision } from './identity';
import { equalRevisionData, findEqualRevisions, nextRevisionNumber, revisionData } from './revision-data';
import type { RevisionHistory } from './revision-history';
import type { Pod, Revision, StatefulSet } from './types';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** `revisions` sorted oldest first. */
export async function currentAndUpdateRevisions(history: RevisionHistory, set: StatefulSet, revisions: readonly Revision[]): Promise<{ current: Revision; update: Revision; collisionCount: number }> {
  let collisionCount = set.status?.collisionCount ?? 0;
  const data = revisionData(set);
  const equal = findEqualRevisions(revisions, data);
  const last = revisions[revisions.length - 1];
  let update: Revision;
  if (equal.length > 0 && last && equalRevisionData(last.data, data)) {
    update = last;
  } else if (equal.length > 0) {
    update = await history.renumber(equal[equal.length - 1], nextRevisionNumber(revisions));
  } else {
    const created = await history.create(set, data, nextRevisionNumber(revisions), collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/** The revisions to delete: non-live ones beyond the limit, oldest first. `revisions` sorted oldest first. */
export function revisionsToTruncate(set: StatefulSet, pods: readonly Pod[], revisions: readonly Revision[], current?: Revision, update?: Revision): Revision[] {
  const live = new Set<string>(pods.map(getPodRevision));
  if (current) live.add(String(current.metadata.name));
  if (update) live.add(String(update.metadata.name));
  const history = revisions.filter((r) => !live.has(String(r.metadata.name)));
  const limit = set.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  return history.length <= limit ? [] : history.slice(0, history.length - limit);
}

export async function truncateHistory(history: RevisionHistory, set: StatefulSet, pods: readonly Pod[], revisions: readonly Revision[], current?: Revision, update?: Revision): Promise<void> {
  for (const r of revisionsToTruncate(set, pods, revisions, current, update)) await history.delete(r);
}
