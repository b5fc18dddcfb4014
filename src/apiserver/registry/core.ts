/**
 * The generic registry's shared core: the one place that turns API operations into Store transactions (create
 * iff absent, update iff unchanged since read, delete iff unchanged), maps store failures to Status errors, and
 * reads consistently through the watch cache. create.ts, update.ts and delete.ts build on it.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { deepCopy, type StoredObject } from '../../api/object';
import type { ResourceInfo, ResourceRegistry } from '../../api/resources';
import { StatusError } from '../../api/status';
import { StoreError, type LeaseId, type Store, type TxnResult } from '../../storage/store';
import type { CacheRouter } from '../watch/cache-router';
import type { CachedObject } from '../watch/cached-object';
import type { ResourceCache } from '../watch/resource-cache';
import type { UserInfo } from '../request';
import { noAdmission, type RegistryAdmission } from './admission';
import type { WriteGuard } from './rbac-escalation';
import type { ObjectHooks } from './hooks';
import { storageKey } from './meta';
import { ServiceAllocator, type ServiceRanges } from './service-alloc';
import { strategyFor, type Strategy } from './strategy';
import { LeaseManager } from './lease-manager';
import { answerJson, encodeStored, metadataWithRvLast, type StoredEncoding } from './stored-json';
import { rememberJson } from '../object-json';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface RegistryDeps {
  store: Store;
  router: CacheRouter;
  resources: ResourceRegistry;
  clock: Clock;
  logger: Logger;
  hooks: ObjectHooks;
  serviceRanges?: ServiceRanges;
  /** Admission plugins (none when absent). */
  admission?: RegistryAdmission;
  /** Checks on who may write what, before admission (RBAC escalation prevention). */
  writeGuard?: WriteGuard;
  /** How long Events live after their last write (kube-apiserver's --event-ttl; default 1 h). */
  eventTtlSeconds?: number;
}

export const DEFAULT_EVENT_TTL_SECONDS = 3600;

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  /** Warning texts collected for the `Warning` response header. */
  warnings: string[];
  /** Who asks (admission sees it); absent for the API server's own writes. */
  user?: UserInfo;
  /**
   * Told the saved object as soon as an update is sequenced in the store (see TxnOptions.onSequenced), before it
   * is durable; not called for no-op, dry-run, deleting or failed writes. For the API server's own writes.
   */
  onSequenced?(saved: StoredObject): void;
}

export class RegistryCore {
  private readonly strategies = new WeakMap<ResourceInfo, Strategy>();
  readonly services: ServiceAllocator;

  private readonly leases: LeaseManager;
  /** The stored encoding of each object this core last wrote (for answer()). */
  private readonly encodings = new WeakMap<object, StoredEncoding>();

  constructor(readonly deps: RegistryDeps) {
    this.leases = new LeaseManager(deps.store, deps.clock);
    this.services = new ServiceAllocator(() => deps.router.cache('/registry/services/specs'), deps.serviceRanges);
  }

  get admission(): RegistryAdmission {
    return this.deps.admission ?? noAdmission;
  }

  strategy(r: ResourceInfo): Strategy {
    let s = this.strategies.get(r);
    if (!s) this.strategies.set(r, (s = strategyFor(r)));
    return s;
  }

  cache(r: ResourceInfo): ResourceCache {
    const c = this.deps.router.cache(r.storagePrefix);
    if (!c) throw StatusError.serviceUnavailable(`the watch cache for ${r.resource} is not ready`);
    return c;
  }

  key(r: ResourceInfo, namespace: string, name: string): string {
    return storageKey(r, namespace, name);
  }

  /** The object as of now (a consistent read through the cache). */
  async current(r: ResourceInfo, namespace: string, name: string): Promise<CachedObject | undefined> {
    await this.deps.router.sync();
    return this.cache(r).get(this.key(r, namespace, name));
  }

  /** A mutable copy of a cached object. */
  copy(o: Readonly<StoredObject>): StoredObject {
    return deepCopy(o) as StoredObject;
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** Namespaced writes need an existing namespace that is not terminating (NamespaceLifecycle). */
  async checkNamespace(r: ResourceInfo, namespace: string, name: string): Promise<void> {
    if (!r.namespaced) return;
    const nsCache = this.deps.router.cache('/registry/namespaces');
    if (!nsCache) return;
    let ns = nsCache.get(`/registry/namespaces/${namespace}`);
    if (!ns) {
      await this.deps.router.sync();
      ns = nsCache.get(`/registry/namespaces/${namespace}`);
    }
    if (!ns) throw StatusError.notFound({ group: '', resource: 'namespaces' }, namespace);
    const phase = (ns.obj.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Terminating' || ns.obj.metadata.deletionTimestamp) {
      const e = StatusError.forbidden(
        { group: r.group, resource: r.resource },
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
      e.status.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
      throw e;
    }
  }

  /** Writes a new object; AlreadyExists when the key is taken. Returns the revision. */
  async putNew(r: ResourceInfo, key: string, obj: StoredObject): Promise<number> {
    const lease = await this.leaseFor(key);
    const value = this.encode(obj);
    const res = await this.hinted(key, value, obj, () =>
      this.deps.store.txn({
        compare: [{ key, target: 'createRevision', op: '=', value: 0 }],
        success: [{ type: 'put', key, value, ...(lease ? { lease } : {}) }],
        failure: [],
      }),
    );
    if (!res.succeeded) throw StatusError.alreadyExists({ group: r.group, resource: r.resource }, obj.metadata.name ?? '');
    return res.revision;
  }

  /** Replaces the object iff its modRevision is still `rev`; returns the new revision or undefined on a race. */
  async putIfUnchanged(key: string, rev: number, obj: StoredObject, onSequenced?: (revision: number) => void): Promise<number | undefined> {
    const lease = await this.leaseFor(key);
    const value = this.encode(obj);
    const opts = onSequenced && { onSequenced: (r: TxnResult) => onSequenced(r.revision) };
    const put = { type: 'put' as const, key, value, ...(lease ? { lease } : {}) };
    const res = await this.hinted(key, value, obj, () => this.deps.store.txn({ compare: [{ key, target: 'modRevision', op: '=', value: rev }], success: [put], failure: [] }, opts));
    return res.succeeded ? res.revision : undefined;
  }

  /** Deletes iff unchanged since `rev`; returns the delete's revision or undefined on a race. */
  async deleteIfUnchanged(key: string, rev: number): Promise<number | undefined> {
    const res = await this.guard(() =>
      this.deps.store.txn({ compare: [{ key, target: 'modRevision', op: '=', value: rev }], success: [{ type: 'delete', sel: { key } }], failure: [] }),
    );
    return res.succeeded ? res.revision : undefined;
  }

  /**
   * Runs a write of `obj` (encoded as `value`) with the watch cache told about it, so the cache adopts `obj` instead
   * of parsing `value` when the store's watch delivers it (which may be after the write resolves, so the hint stays
   * until then; a failed write withdraws it). From here on `obj` belongs to the cache (it gets frozen): callers
   * return copies of it. A txn that did not write (compare failed) leaves a hint no event will match: harmless.
   */
  private async hinted<T>(key: string, value: string, obj: StoredObject, fn: () => Promise<T>): Promise<T> {
    this.deps.router.hint(key, value, obj);
    try {
      return await this.guard(fn);
    } catch (e) {
      this.deps.router.unhint(key, obj);
      throw e;
    }
  }

  /**
   * Events live eventTtlSeconds after their last write (kube-apiserver's --event-ttl): each write of one carries a
   * storage lease of that TTL (shared between writes, see lease-manager.ts), so the store deletes them when it ends.
   */
  private leaseFor(key: string): Promise<LeaseId | undefined> {
    const ttl = this.deps.eventTtlSeconds ?? DEFAULT_EVENT_TTL_SECONDS;
    if (ttl <= 0 || !key.startsWith('/registry/events/')) return Promise.resolve(undefined);
    return this.guard(() => this.leases.get(ttl));
  }

  encode(obj: StoredObject): string {
    const enc = encodeStored(obj);
    this.encodings.set(obj, enc);
    return enc.value;
  }

  /**
   * What a write of `obj` answers with: a copy carrying the new resourceVersion (`obj` itself belongs to the watch
   * cache). Its JSON comes from the stored encoding (objectJson then need not stringify it again); neither the
   * copy's top level nor its metadata may be changed afterwards.
   */
  answer(obj: StoredObject, revision: number): StoredObject {
    const rv = String(revision);
    const out = { ...obj, metadata: metadataWithRvLast(obj.metadata as Record<string, unknown>, rv) } as StoredObject;
    // Taken, not kept: `obj` lives on in the watch cache, and its encoding must not live with it.
    const enc = this.encodings.get(obj);
    this.encodings.delete(obj);
    const json = enc && answerJson(enc, rv);
    if (json !== undefined) rememberJson(out, json);
    return out;
  }

  /** Maps store failures to what kube-apiserver answers for the matching etcd errors. */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof StoreError) {
        switch (e.code) {
          case 'too-large':
            throw StatusError.tooLarge(MAX_BODY_BYTES);
          case 'closed':
            throw StatusError.serviceUnavailable('the storage is shutting down');
          case 'compacted':
            throw StatusError.expired(e.message);
          default:
            // kube-apiserver passes etcd's own error through (responsewriters.ErrorToAPIStatus): 500, reason
            // Unknown (omitted), the message as etcd words it, e.g. "etcdserver: mvcc: database space exceeded".
            this.deps.logger.error(`storage error: ${e.message}`);
            throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, code: 500 });
        }
      }
      throw e;
    }
  }
}
