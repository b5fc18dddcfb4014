/**
 * AssumeCache (upstream volumebinding assume_cache.go, PV and PVC flavours): the informer's objects overlaid with
 * the scheduler's assumed versions (a PV given a claimRef, a PVC given the selected-node annotation in Reserve), so
 * later cycles see decisions that are not yet written. An assumption stands until the informer holds a strictly
 * newer resourceVersion of that object (or the object is gone), or until `restore`. `getAPI` ignores assumptions.
 * `assume` refuses an object older than what is cached ("... is out of sync"). Keys are `name` or `namespace/name`.
 */
import type { CachedObject, Lister } from '../../../client/informers';
import { rvNumber } from './volume-types';

type Meta = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

export class AssumeCache<T extends Meta> {
  private readonly assumed = new Map<string, T>();

  constructor(
    private readonly lister: Lister,
    /** Go's type name in errors, e.g. `v1.PersistentVolume`. */
    private readonly description: string,
  ) {}

  private static split(key: string): [string, string] {
    const i = key.indexOf('/');
    return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
  }

  static keyOf(o: Meta): string {
    const ns = o.metadata?.namespace;
    return ns ? `${ns}/${o.metadata?.name ?? ''}` : (o.metadata?.name ?? '');
  }

  /** The informer's object (no assumptions). */
  getAPI(key: string): T | undefined {
    const [ns, name] = AssumeCache.split(key);
    return this.lister.get(ns, name) as unknown as T | undefined;
  }

  /** The latest object: the assumed one while it stands, else the informer's. */
  get(key: string): T | undefined {
    const api = this.getAPI(key);
    const a = this.assumed.get(key);
    if (a) {
      if (api && rvNumber(api) <= rvNumber(a)) return a;
      this.assumed.delete(key);
    }
    return api;
  }

  /** Latest objects passing `keep` (informer order, assumed versions substituted). */
  list(keep: (o: T) => boolean = () => true): T[] {
    const out: T[] = [];
    for (const o of this.lister.list() as readonly CachedObject[]) {
      const latest = this.get(AssumeCache.keyOf(o as Meta));
      if (latest && keep(latest)) out.push(latest);
    }
    return out;
  }

  assume(obj: T): void {
    const key = AssumeCache.keyOf(obj);
    const stored = this.get(key);
    if (!stored) throw new Error(`could not find ${this.description} "${key}"`);
    if (rvNumber(obj) < rvNumber(stored)) {
      throw new Error(`${this.description} "${key}" is out of sync (stored: ${rvNumber(stored)}, assume: ${rvNumber(obj)})`);
    }
    this.assumed.set(key, obj);
  }

  restore(key: string): void {
    this.assumed.delete(key);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key) && this.get(key) === this.assumed.get(key);
  }
}
