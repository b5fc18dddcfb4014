/**
 * NewestCache: the PV controller's view of one resource (upstream keeps its own `volumes` / `claims` stores, fed both
 * by informer events and by the objects the controller itself saved — storeObjectUpdate). A binding writes four
 * objects in a row; until the informer has seen them, reading the informer alone would show stale versions and
 * every next write would conflict. `get` returns whichever is newer (by resourceVersion) of the informer's object and
 * the one this controller last saved; an object the informer no longer has is gone (its delete event forgets it).
 */
import type { CachedObject, Lister } from '../../client/informers';

function rv(o: CachedObject | undefined): bigint {
  const v = o?.metadata?.resourceVersion;
  try {
    return typeof v === 'string' && v !== '' ? BigInt(v) : -1n;
  } catch {
    return -1n;
  }
}

export class NewestCache {
  private readonly saved = new Map<string, CachedObject>();

  constructor(private readonly lister: Lister) {}

  private static key(namespace: string, name: string): string {
    return namespace ? `${namespace}/${name}` : name;
  }

  get(namespace: string, name: string): CachedObject | undefined {
    const key = NewestCache.key(namespace, name);
    const informed = this.lister.get(namespace, name);
    const mine = this.saved.get(key);
    if (!mine) return informed;
    if (!informed || rv(informed) >= rv(mine)) {
      this.saved.delete(key);
      return informed;
    }
    return mine;
  }

  /** Every object, each in its newest known version. */
  list(namespace?: string): CachedObject[] {
    return this.lister.list(namespace).map((o) => this.get(o.metadata?.namespace ?? '', o.metadata?.name ?? '') ?? o);
  }

  /** Remembers an object this controller saved (the API server's answer). */
  remember(o: CachedObject): void {
    const key = NewestCache.key(o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    if (rv(o) > rv(this.saved.get(key))) this.saved.set(key, o);
  }

  forget(namespace: string, name: string): void {
    this.saved.delete(NewestCache.key(namespace, name));
  }
}
