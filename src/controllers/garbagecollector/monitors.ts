/**
 * The garbage collector's monitors (upstream graph_builder.go's monitors): one informer per deletable resource,
 * created from discovery and re-synced when discovery changes (new CRDs get a monitor, vanished resources lose
 * theirs). Each informer event becomes a graph change (add / update / delete, with the resource's apiVersion and
 * kind) handed to `onChange` in event order. Informers are the GC's own (so they can be stopped per resource) over
 * the GC's transport.
 */
import { apiVersionOf } from '../../api/object';
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { deletedObject, SharedInformer, type CachedObject } from '../../client/informers';
import type { Transport } from '../../client/transport';
import { resourceKey, type ApiResource } from './discovery';

export type ChangeType = 'add' | 'update' | 'delete';

export interface GraphChange {
  type: ChangeType;
  obj: CachedObject;
  oldObj?: CachedObject;
  apiVersion: string;
  kind: string;
  /** A delete the GC made up after the API server answered 404 / another uid for the identity. */
  virtual?: boolean;
}

export interface MonitorsOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  onChange(c: GraphChange): void;
}

export class Monitors {
  private readonly monitors = new Map<string, { r: ApiResource; informer: SharedInformer }>();

  constructor(private readonly o: MonitorsOptions) {}

  resources(): ApiResource[] {
    return [...this.monitors.values()].map((m) => m.r);
  }

  has(r: ApiResource): boolean {
    return this.monitors.has(resourceKey(r));
  }

  /** Makes the monitored set equal `wanted`: starts new informers, stops those no longer wanted. */
  resync(wanted: readonly ApiResource[]): { added: number; removed: number } {
    const keep = new Set(wanted.map(resourceKey));
    let removed = 0;
    for (const [k, m] of this.monitors) {
      if (keep.has(k)) continue;
      m.informer.stop();
      this.monitors.delete(k);
      removed++;
    }
    let added = 0;
    for (const r of wanted) {
      const k = resourceKey(r);
      if (this.monitors.has(k)) continue;
      const informer = new SharedInformer({
        transport: this.o.transport,
        resource: { group: r.group, version: r.version, resource: r.resource },
        clock: this.o.clock,
        logger: this.o.logger.child(`monitor ${r.resource}${r.group ? `.${r.group}` : ''}`),
      });
      const apiVersion = apiVersionOf(r.group, r.version);
      const kind = r.kind;
      informer.addEventHandler({
        onAdd: (obj) => this.o.onChange({ type: 'add', obj, apiVersion, kind }),
        onUpdate: (oldObj, obj) => this.o.onChange({ type: 'update', obj, oldObj, apiVersion, kind }),
        onDelete: (obj) => this.o.onChange({ type: 'delete', obj: deletedObject(obj), apiVersion, kind }),
      });
      this.monitors.set(k, { r, informer });
      informer.run();
      added++;
    }
    return { added, removed };
  }

  /** Whether a monitor of `r` exists and has synced. */
  isSynced(r: ApiResource): boolean {
    return this.monitors.get(resourceKey(r))?.informer.hasSynced() ?? false;
  }

  /** Resolves when every monitor has listed once (monitors that fail keep retrying with their backoff). */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.informer.waitForSync().catch(() => undefined)));
  }

  stop(): void {
    for (const m of this.monitors.values()) m.informer.stop();
    this.monitors.clear();
  }
}
