/**
 * SharedInformerFactory: one SharedInformer per (resource, namespace) for every controller of a process, as
 * client-go's factory: controllers ask for informers while they are built, then the owner calls `start()` and
 * waits for `waitForCacheSync()` before running their workers.
 */
import { systemClock, type Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { Transport } from '../transport';
import { Lister } from './lister';
import { SharedInformer, type InformerOptions, type ResourceRef } from './informer';

export interface InformerFactoryOptions {
  transport: Transport;
  logger: Logger;
  clock?: Clock;
  /** Passed to every informer (see InformerOptions.yieldAfterMs). */
  yieldAfterMs?: number;
  /** Passed to every informer (see InformerOptions.transform). */
  transform?: InformerOptions['transform'];
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  private started = false;

  constructor(private readonly o: InformerFactoryOptions) {}

  /** The shared informer of `resource` (in `namespace`, or cluster-wide). */
  informerFor(resource: ResourceRef, namespace = ''): SharedInformer {
    const key = `${resource.group}/${resource.version}/${resource.resource}@${namespace}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer({
        transport: this.o.transport,
        resource,
        namespace: namespace || undefined,
        clock: this.o.clock ?? systemClock,
        logger: this.o.logger.child(`informer ${resource.resource}${namespace ? ` in ${namespace}` : ''}`),
        yieldAfterMs: this.o.yieldAfterMs,
        transform: this.o.transform,
      });
      this.informers.set(key, inf);
      if (this.started) inf.run();
    }
    return inf;
  }

  listerFor(resource: ResourceRef, namespace = ''): Lister {
    return new Lister(this.informerFor(resource, namespace).indexer);
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.run();
  }

  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
  }
}
