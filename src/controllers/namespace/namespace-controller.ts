/**
 * The namespace controller (upstream pkg/controller/namespace): watches namespaces; a namespace with a
 * deletionTimestamp is queued 5 s after each event (upstream namespaceDeletionGracePeriod, clock-driven, so
 * admission everywhere sees the deletion first) and on every 5-minute resync. `sync` reads the lister (gone:
 * nothing to do) and runs the NamespacedResourcesDeleter; content still remaining requeues the key after
 * `estimate / 2 + 1` seconds, any other error requeues rate-limited (5 ms doubling to 60 s, 10 qps overall).
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { CachedObject, Lister, SharedInformer } from '../../client/informers';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter } from '../../client/workqueue';
import type { ApiClient } from '../framework/api-client';
import { QueueController } from '../framework/controller';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './deleter';

export const NAMESPACE_DELETION_GRACE_MS = 5_000;
export const NAMESPACE_RESYNC_MS = 5 * 60_000;

export interface NamespaceControllerOptions {
  informer: SharedInformer;
  lister: Lister;
  client: ApiClient;
  clock: Clock;
  logger: Logger;
}

export class NamespaceController extends QueueController {
  private readonly deleter: NamespacedResourcesDeleter;
  private readonly lister: Lister;

  constructor(o: NamespaceControllerOptions) {
    super({
      name: 'namespace',
      logger: o.logger,
      clock: o.clock,
      rateLimiter: new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 60_000), new BucketRateLimiter(10, 100, o.clock)),
    });
    this.lister = o.lister;
    this.deleter = new NamespacedResourcesDeleter(o.client, o.clock, o.logger);
    const enqueue = (ns: CachedObject) => {
      if (!ns.metadata?.deletionTimestamp) return;
      this.enqueueAfter(String(ns.metadata.name), NAMESPACE_DELETION_GRACE_MS);
    };
    o.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) }, NAMESPACE_RESYNC_MS);
  }

  protected async sync(key: string): Promise<void> {
    if (!this.lister.get('', key)) {
      this.logger.debug(`namespace ${key} has been deleted`);
      return;
    }
    try {
      await this.deleter.delete(key);
    } catch (e) {
      if (!(e instanceof ResourcesRemainingError)) throw new Error(`deletion of namespace ${key} failed: ${(e as Error).message}`);
      const wait = Math.floor(e.estimate / 2) + 1;
      this.logger.debug(`content remaining in namespace ${key}, waiting ${wait} s`);
      this.enqueueAfter(key, wait * 1000);
    }
  }
}
