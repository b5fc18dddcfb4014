/**
 * A DaemonSet's ControllerRevisions (upstream update.go constructHistory / snapshot / dedupCurHistories /
 * cleanupHistory). A revision's data is `{"spec":{"template":{…,"$patch":"replace"}}}` (what `kubectl rollout
 * undo` applies); the revision equal to the set's template is current, its `controller-revision-hash` label is the
 * hash new pods carry. Missing: created as `<set>-<hash>` with revision max(old)+1 (a name taken by other data bumps
 * status.collisionCount and fails the sync, as upstream); duplicates: the highest revision is kept and pods are
 * relabelled; a current revision older than an old one gets the next number. Old revisions beyond
 * revisionHistoryLimit (default 10) whose hash no live pod carries are deleted, oldest first.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CachedObject, Lister } from '../../client/informers';
import { labelSelectorAsSelector } from '../../api/selectors';
import { isAlreadyExists, type ApiClient, type Obj } from '../framework/api-client';
import { claimObjects } from '../framework/controller-ref';
import { R } from '../framework/resources';
import { newRevision, revisionNumber, sortRevisions } from '../history/controller-history';
import { DS_API_VERSION, DS_HASH_LABEL, DS_KIND, type DaemonSet, type Pod } from './types';

export interface HistoryDeps {
  client: ApiClient;
  revisions: Lister;
  pods: () => Promise<readonly Pod[]>;
}

/** getPatch: the revision data of the set's current template. */
export function revisionDataOf(ds: DaemonSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...JSON.parse(JSON.stringify(ds.spec?.template ?? {})), $patch: 'replace' } } };
}

/** Match: the revision holds the set's current template. */
export function matchesRevision(ds: DaemonSet, rev: CachedObject): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(rev.data ?? null)), revisionDataOf(ds));
}

export const hashOf = (rev: CachedObject): string => String(rev.metadata?.labels?.[DS_HASH_LABEL] ?? '');

async function controlledRevisions(d: HistoryDeps, owner: CachedObject, ds: DaemonSet): Promise<CachedObject[]> {
  const selector = labelSelectorAsSelector(ds.spec?.selector);
  const all = d.revisions.list(ds.metadata?.namespace ?? '');
  return claimObjects({ client: d.client, owner, ownerApiVersion: DS_API_VERSION, ownerKind: DS_KIND, ownerResource: R.daemonsets, resource: R.controllerrevisions, selector }, all);
}

async function snapshot(d: HistoryDeps, owner: CachedObject, ds: DaemonSet, revision: number): Promise<CachedObject> {
  const ns = ds.metadata?.namespace ?? '';
  const data = revisionDataOf(ds);
  const rev = newRevision(owner, DS_API_VERSION, DS_KIND, ds.spec?.template?.metadata?.labels ?? {}, data, revision, ds.status?.collisionCount);
  if (ds.metadata?.annotations) (rev.metadata as Record<string, unknown>).annotations = { ...ds.metadata.annotations };
  try {
    return (await d.client.create(R.controllerrevisions, ns, rev)) as CachedObject;
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const name = String(rev.metadata?.name ?? '');
    const existing = (await d.client.get(R.controllerrevisions, ns, name)) as CachedObject;
    if (matchesRevision(ds, existing)) return existing;
    const fresh = await d.client.get(R.daemonsets, ns, ds.metadata?.name ?? '');
    const freshCount = (fresh.status as { collisionCount?: number } | undefined)?.collisionCount;
    if (freshCount !== ds.status?.collisionCount) {
      throw new Error(`found a stale collision count (${ds.status?.collisionCount ?? 0}, expected ${freshCount ?? 0}) of DaemonSet ${JSON.stringify(ds.metadata?.name)} while processing; will retry until it is updated`);
    }
    const st = ((fresh.status ??= {}) as Record<string, unknown>);
    st.collisionCount = (freshCount ?? 0) + 1;
    await d.client.updateStatus(R.daemonsets, ns, fresh);
    throw e;
  }
}

async function dedupCurrent(d: HistoryDeps, ds: DaemonSet, current: CachedObject[]): Promise<CachedObject> {
  if (current.length === 1) return current[0];
  let keep = current[0];
  for (const r of current) if (revisionNumber(r) >= revisionNumber(keep)) keep = r;
  const ns = ds.metadata?.namespace ?? '';
  // Relabel the pods first, then remove the duplicates.
  for (const p of await d.pods()) {
    if (p.metadata?.labels?.[DS_HASH_LABEL] === hashOf(keep)) continue;
    await d.client.patch(R.pods, ns, p.metadata?.name ?? '', { metadata: { labels: { [DS_HASH_LABEL]: hashOf(keep) } } }, 'merge');
  }
  for (const r of current) {
    if (r.metadata?.name !== keep.metadata?.name) await d.client.delete(R.controllerrevisions, ns, String(r.metadata?.name ?? ''));
  }
  return keep;
}

/** constructHistory: the current revision (created or renumbered if need be) and the old ones. */
export async function constructHistory(d: HistoryDeps, owner: CachedObject, ds: DaemonSet): Promise<{ cur: CachedObject; old: CachedObject[] }> {
  const ns = ds.metadata?.namespace ?? '';
  const current: CachedObject[] = [];
  const old: CachedObject[] = [];
  for (let rev of await controlledRevisions(d, owner, ds)) {
    if (!(DS_HASH_LABEL in (rev.metadata?.labels ?? {}))) {
      const toUpdate = structuredClone(rev) as Obj;
      const meta = toUpdate.metadata as { labels?: Record<string, string>; name?: string };
      meta.labels = { ...(meta.labels ?? {}), [DS_HASH_LABEL]: String(meta.name ?? '') };
      rev = (await d.client.update(R.controllerrevisions, ns, toUpdate)) as CachedObject;
    }
    (matchesRevision(ds, rev) ? current : old).push(rev);
  }
  const next = old.reduce((m, r) => Math.max(m, revisionNumber(r)), 0) + 1;
  if (current.length === 0) return { cur: await snapshot(d, owner, ds, next), old };
  let cur = await dedupCurrent(d, ds, current);
  if (revisionNumber(cur) < next) {
    const toUpdate = structuredClone(cur) as Obj;
    toUpdate.revision = next;
    cur = (await d.client.update(R.controllerrevisions, ns, toUpdate)) as CachedObject;
  }
  return { cur, old };
}

/** cleanupHistory: deletes old revisions beyond the limit that no live pod still carries, oldest first. */
export async function cleanupHistory(d: HistoryDeps, ds: DaemonSet, old: readonly CachedObject[], livePods: readonly Pod[]): Promise<void> {
  let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set(livePods.map((p) => p.metadata?.labels?.[DS_HASH_LABEL]).filter((h): h is string => !!h));
  for (const rev of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(hashOf(rev))) continue;
    await d.client.delete(R.controllerrevisions, ds.metadata?.namespace ?? '', String(rev.metadata?.name ?? ''));
    toKill--;
  }
}
