/**
 * ControllerRevision history (upstream pkg/controller/history), shared by the StatefulSet and DaemonSet
 * controllers: a revision is a snapshot (`data`) of an owner's pod template with a sequence number (`revision`);
 * its name is `<owner>-<hash>`, the hash a FNV-1 32-bit of the data (plus the owner's collisionCount, when set),
 * rendered with upstream's SafeEncodeString alphabet. A name taken by different data bumps the collision count.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CachedObject } from '../../client/informers';
import { ApiClient, isAlreadyExists, type Obj } from '../framework/api-client';
import { newControllerRef } from '../framework/controller-ref';
import { R } from '../framework/resources';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream rand.SafeEncodeString: each byte mapped onto an alphabet without vowels or look-alikes. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** FNV-1 (not 1a) 32-bit over the UTF-8 bytes. */
export function fnv1_32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h >>> 0;
}

/** Canonical JSON (sorted keys) so equal data always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let s = canonicalJson(data);
  if (collisionCount !== undefined) s += String(collisionCount);
  return safeEncodeString(String(fnv1_32(s)));
}

/** `<prefix>-<hash>`, the prefix cut to 223 characters (upstream ControllerRevisionName). */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

export const REVISION_HASH_LABEL = 'controller-revision-hash';

export function revisionNumber(r: CachedObject): number {
  return Number((r as { revision?: number }).revision ?? 0);
}

/** Oldest first: by revision, then creation time, then name (upstream ByRevision). */
export function sortRevisions(revs: readonly CachedObject[]): CachedObject[] {
  return [...revs].sort((a, b) => revisionNumber(a) - revisionNumber(b) || String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
}

export function nextRevision(revs: readonly CachedObject[]): number {
  return revs.reduce((m, r) => Math.max(m, revisionNumber(r)), 0) + 1;
}

/** A new (unsaved) ControllerRevision of `owner` holding `data`; labels are the owner's template labels. */
export function newRevision(owner: CachedObject, ownerApiVersion: string, ownerKind: string, labels: Record<string, string>, data: unknown, revision: number, collisionCount?: number): Obj {
  const hash = hashRevisionData(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(String(owner.metadata?.name ?? ''), hash),
      namespace: owner.metadata?.namespace,
      labels: { ...labels, [REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(owner, ownerApiVersion, ownerKind)],
    },
    data,
    revision,
  };
}

/**
 * Creates the revision; when its name is taken by a revision with equal data, returns that one; when taken by other
 * data, bumps the collision count and tries the next name. Returns the revision and the collision count used.
 */
export async function createRevision(client: ApiClient, owner: CachedObject, ownerApiVersion: string, ownerKind: string, labels: Record<string, string>, data: unknown, revision: number, collisionCount: number): Promise<{ revision: Obj; collisionCount: number }> {
  const ns = String(owner.metadata?.namespace ?? '');
  for (let cc = collisionCount; ; cc++) {
    const rev = newRevision(owner, ownerApiVersion, ownerKind, labels, data, revision, cc);
    try {
      return { revision: await client.create(R.controllerrevisions, ns, rev), collisionCount: cc };
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await client.get(R.controllerrevisions, ns, String(rev.metadata?.name));
      if (isDeepStrictEqual(existing.data, data)) return { revision: existing, collisionCount: cc };
    }
  }
}
