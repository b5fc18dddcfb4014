/** The controller work queue (client-go util/workqueue): a rate-limited, delaying, deduplicating queue of keys. */
export { WorkQueue } from './queue';
export type { WorkQueueOptions } from './queue';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiters';
export type { RateLimiter } from './rate-limiters';
