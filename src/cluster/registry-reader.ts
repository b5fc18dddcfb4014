/**
 * RegistryReader: read-only access to the store's `/registry` keys, as `etcdctl get --prefix` / `etcdctl watch`
 * give it on a real cluster — what the VS Code Registry tree shows (keys with create/mod revision, version, lease;
 * values; a key's earlier revisions). It cannot write. Only the composition root hands it out (over the worker's
 * registry port); components still reach the cluster only through the API server.
 */
import type { KeyValue, Store, WatchEvent } from '../storage/store';

export const REGISTRY_PREFIX = '/registry/';

export interface RegistryRevision {
  modRevision: number;
  version: number;
  value: string;
}

export class RegistryReader {
  constructor(private readonly store: Store) {}

  /** Keys (and metadata) under `/registry/`, values left out unless asked. */
  async list(withValues = false): Promise<{ kvs: KeyValue[]; revision: number }> {
    const r = await this.store.range({ key: REGISTRY_PREFIX, prefix: true }, { keysOnly: !withValues });
    return { kvs: r.kvs, revision: r.revision };
  }

  /** One key's value at the current (or a past) revision; undefined when absent. */
  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    if (!key.startsWith(REGISTRY_PREFIX)) return undefined;
    return (await this.store.range({ key }, { revision })).kvs[0];
  }

  /** The key's revisions, newest first, back to its creation or the compaction point (at most `max`). */
  async history(key: string, max = 50): Promise<RegistryRevision[]> {
    const out: RegistryRevision[] = [];
    let kv = await this.get(key);
    while (kv && out.length < max) {
      out.push({ modRevision: kv.modRevision, version: kv.version, value: kv.value });
      if (kv.version <= 1) break;
      const before: KeyValue | undefined = await this.get(key, kv.modRevision - 1).catch(() => undefined);
      if (!before || before.modRevision >= kv.modRevision) break;
      kv = before;
    }
    return out;
  }

  /** Changes under `/registry/` after `afterRevision`, in batches, values left out (as keysOnly); returns the cancel function. */
  watch(afterRevision: number, onEvents: (events: WatchEvent[], revision: number) => void, onEnd: (reason: string) => void): () => void {
    const w = this.store.watch({ key: REGISTRY_PREFIX, prefix: true }, { startRevision: afterRevision + 1 }, {
      // Keys and metadata only: a view follows thousands of changes a second without copying every value (it reads
      // the values it shows with get).
      onBatch: (b) => {
        if (b.events.length) onEvents(b.events.map((e) => ({ type: e.type, kv: { ...e.kv, value: '' } })), b.revision);
      },
      onCancel: (c) => onEnd(c.message),
    });
    return () => w.cancel();
  }
}
