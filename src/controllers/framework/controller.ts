/**
 * QueueController: the shape of every controller in the controller manager (upstream's Run/worker/processNextWorkItem):
 * informer event handlers only enqueue keys (`namespace/name`); `workers` loops take a key from the rate-limited
 * WorkQueue and call `sync(key)`, which must be idempotent (it reads listers, compares with the desired state and
 * writes through the API). A sync that throws is retried with the queue's per-item exponential backoff
 * (`addRateLimited`); one that succeeds forgets the key's failures. A sync may ask to run again later by calling
 * `enqueueAfter`. The queue never holds the same key twice, and one key is never synced by two workers at once.
 */
import { systemClock, type Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { objectKey, type CachedObject, type DeletedFinalStateUnknown } from '../../client/informers';
import { deletedObject } from '../../client/informers/informer';
import { WorkQueue, type RateLimiter } from '../../client/workqueue';

export interface QueueControllerOptions {
  name: string;
  logger: Logger;
  clock?: Clock;
  rateLimiter?: RateLimiter;
  /** Retries of a failing key before it is dropped (logged); default unlimited (upstream's default for most). */
  maxRetries?: number;
}

export abstract class QueueController {
  readonly name: string;
  protected readonly queue: WorkQueue;
  protected readonly logger: Logger;
  protected readonly clock: Clock;
  private readonly maxRetries: number;
  private workers: Promise<void>[] = [];
  private busy = 0;

  constructor(o: QueueControllerOptions) {
    this.name = o.name;
    this.logger = o.logger;
    this.clock = o.clock ?? systemClock;
    this.queue = new WorkQueue({ name: o.name, clock: this.clock, rateLimiter: o.rateLimiter });
    this.maxRetries = o.maxRetries ?? Infinity;
  }

  /** Brings the object (or tombstone) up to date: idempotent. */
  protected abstract sync(key: string): Promise<void>;

  enqueue(obj: CachedObject | DeletedFinalStateUnknown): void {
    this.queue.add(objectKey(deletedObject(obj)));
  }

  enqueueKey(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts `n` workers (call once the informers have synced). */
  run(n = 1): void {
    for (let i = 0; i < n; i++) this.workers.push(this.worker());
  }

  /** Resolves when nothing is queued or being synced (delayed keys do not count). */
  async idle(): Promise<void> {
    await this.queue.idle();
  }

  /** Keys queued or in progress, and delayed keys (for status and tests). */
  pending(): { queued: number; delayed: number; busy: number } {
    return { queued: this.queue.len(), delayed: this.queue.delayedLen(), busy: this.busy };
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.busy++;
      try {
        await this.sync(key);
        this.queue.forget(key);
      } catch (e) {
        this.handleError(key, e);
      } finally {
        this.busy--;
        this.queue.done(key);
      }
    }
  }

  private handleError(key: string, e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    if (this.queue.shuttingDown()) return;
    if (this.queue.numRequeues(key) < this.maxRetries) {
      this.logger.debug(`error syncing ${key}, requeuing: ${msg}`);
      this.queue.addRateLimited(key);
      return;
    }
    this.logger.warn(`dropping ${key} out of the queue after ${this.maxRetries} retries: ${msg}`);
    this.queue.forget(key);
  }
}
