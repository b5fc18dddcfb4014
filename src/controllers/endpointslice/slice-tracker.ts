/**
 * EndpointSliceTracker (upstream staging endpointslice endpointslice_tracker.go): what this controller last wrote
 * per Service and slice uid, so a sync can tell that its informer cache is stale (it would otherwise act on old
 * slices and duplicate them) and informer events can tell the controller's own writes from other people's.
 * Upstream tracks metadata.generation; KubeLab's API server does not bump an EndpointSlice's generation, so the
 * tracker keeps the resourceVersion (a number: the store revision of the write) instead.
 */
import type { CachedObject } from '../../client/informers';
import { LABEL_SERVICE_NAME } from './slice-model';

const DELETION_EXPECTED = -1;

function rvOf(s: CachedObject): number {
  const n = Number(s.metadata?.resourceVersion ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function serviceKeyOf(s: CachedObject): string {
  return `${String(s.metadata?.namespace ?? '')}/${s.metadata?.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
}

export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private versions(s: CachedObject, create: boolean): Map<string, number> | undefined {
    const key = serviceKeyOf(s);
    let m = this.byService.get(key);
    if (!m && create) this.byService.set(key, (m = new Map()));
    return m;
  }

  has(s: CachedObject): boolean {
    return this.versions(s, false)?.has(String(s.metadata?.uid ?? '')) ?? false;
  }

  /** ShouldSync: not written by us, or changed since (a newer version than the one we wrote). */
  shouldSync(s: CachedObject): boolean {
    const v = this.versions(s, false)?.get(String(s.metadata?.uid ?? ''));
    return v === undefined || rvOf(s) > v;
  }

  /** StaleSlices: the cache lacks a slice we wrote, has an older version of one, or still has one we deleted. */
  staleSlices(namespace: string, service: string, slices: readonly CachedObject[]): boolean {
    const m = this.byService.get(`${namespace}/${service}`);
    if (!m) return false;
    const seen = new Set<string>();
    for (const s of slices) {
      const uid = String(s.metadata?.uid ?? '');
      seen.add(uid);
      const v = m.get(uid);
      if (v !== undefined && (v === DELETION_EXPECTED || v > rvOf(s))) return true;
    }
    for (const [uid, v] of m) if (v !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }

  update(s: CachedObject): void {
    this.versions(s, true)!.set(String(s.metadata?.uid ?? ''), rvOf(s));
  }

  expectDeletion(s: CachedObject): void {
    this.versions(s, true)!.set(String(s.metadata?.uid ?? ''), DELETION_EXPECTED);
  }

  /** HandleDeletion: false when the deletion was not ours (the Service needs a sync). */
  handleDeletion(s: CachedObject): boolean {
    const m = this.versions(s, false);
    if (!m) return true;
    const uid = String(s.metadata?.uid ?? '');
    const v = m.get(uid);
    m.delete(uid);
    return !(v !== undefined && v !== DELETION_EXPECTED);
  }

  deleteService(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
  }
}
