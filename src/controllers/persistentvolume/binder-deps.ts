/**
 * What the PV controller's sync functions share: the API client (writes as `persistent-volume-binder`), the event
 * recorder (source `persistentvolume-controller`), the newest-known views of volumes and claims, the listers of
 * classes, pods and nodes, and a way to queue a claim. The `save*` helpers write one object (spec or status) and
 * remember the server's answer in the newest-known view, so the next read does not see a stale version.
 */
import type { EventRecorder } from '../../client/events';
import type { CachedObject, Lister } from '../../client/informers';
import type { Logger } from '../../base/logger';
import type { ApiClient, Obj } from '../framework/api-client';
import { R } from '../framework/resources';
import type { NewestCache } from './newest-cache';
import { asPV, asPVC, type PersistentVolume, type PersistentVolumeClaim } from './types';

export interface BinderDeps {
  readonly client: ApiClient;
  readonly recorder: EventRecorder;
  readonly volumes: NewestCache;
  readonly claims: NewestCache;
  readonly classes: Lister;
  readonly pods: Lister;
  readonly logger: Logger;
  enqueueClaim(namespace: string, name: string): void;
}

const obj = (o: PersistentVolume | PersistentVolumeClaim): Obj => o as unknown as Obj;

export async function saveVolume(d: BinderDeps, v: PersistentVolume): Promise<PersistentVolume> {
  const out = (await d.client.update(R.persistentvolumes, '', obj(v))) as CachedObject;
  d.volumes.remember(out);
  return asPV(out);
}

export async function saveVolumeStatus(d: BinderDeps, v: PersistentVolume): Promise<PersistentVolume> {
  const out = (await d.client.updateStatus(R.persistentvolumes, '', obj(v))) as CachedObject;
  d.volumes.remember(out);
  return asPV(out);
}

export async function saveClaim(d: BinderDeps, c: PersistentVolumeClaim): Promise<PersistentVolumeClaim> {
  const out = (await d.client.update(R.persistentvolumeclaims, c.metadata?.namespace ?? '', obj(c))) as CachedObject;
  d.claims.remember(out);
  return asPVC(out);
}

export async function saveClaimStatus(d: BinderDeps, c: PersistentVolumeClaim): Promise<PersistentVolumeClaim> {
  const out = (await d.client.updateStatus(R.persistentvolumeclaims, c.metadata?.namespace ?? '', obj(c))) as CachedObject;
  d.claims.remember(out);
  return asPVC(out);
}

/** T with every property writable, all the way down. */
export type Writable<T> = T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;

/** A deep copy safe to edit (informer objects are frozen). */
export function copy<T>(o: T): Writable<T> {
  return structuredClone(o) as Writable<T>;
}

export function setAnnotation(o: { metadata?: { annotations?: Record<string, string> } }, key: string, value: string): void {
  o.metadata ??= {};
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [key]: value };
}
