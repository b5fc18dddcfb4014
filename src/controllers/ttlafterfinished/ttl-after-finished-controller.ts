/**
 * The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): a Job with
 * spec.ttlSecondsAfterFinished that has finished (Complete or Failed condition True) is deleted, with Foreground
 * propagation and a uid precondition, once ttlSecondsAfterFinished have passed since that condition's
 * lastTransitionTime on the clock. Before deleting, the Job is read again from the API and the TTL re-checked (it
 * may have changed); a Job not yet expired is requeued for when it expires.
 */
import type { CachedObject, Lister } from '../../client/informers';
import { splitKey } from '../../client/informers';
import { isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';

export const TTL_AFTER_FINISHED_SA = 'ttl-after-finished-controller';

type Cond = { type?: string; status?: string; lastTransitionTime?: string };

function ttlOf(job: CachedObject): number | undefined {
  const v = (job.spec as { ttlSecondsAfterFinished?: unknown } | undefined)?.ttlSecondsAfterFinished;
  return typeof v === 'number' ? v : undefined;
}

function finishCondition(job: CachedObject): Cond | undefined {
  const conds = ((job.status as { conditions?: Cond[] } | undefined)?.conditions ?? []) as Cond[];
  return conds.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** upstream needsCleanup: a TTL is set and the Job has finished. */
export function needsCleanup(job: CachedObject): boolean {
  return ttlOf(job) !== undefined && finishCondition(job) !== undefined;
}

/** When the Job expires (ms), or an error text when its finish time is unknown (upstream getFinishAndExpireTime). */
export function expireTime(job: CachedObject): number | string {
  const c = finishCondition(job);
  const ns = String(job.metadata?.namespace ?? '');
  const name = String(job.metadata?.name ?? '');
  if (!c) return `unable to find the status of the finished Job ${ns}/${name}`;
  const at = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  if (Number.isNaN(at)) return `unable to find the time when the Job ${ns}/${name} finished`;
  return at + (ttlOf(job) ?? 0) * 1000;
}

export class TtlAfterFinishedController extends QueueController {
  private readonly jobs: Lister;
  private readonly client: ApiClient;

  constructor(ctx: ControllerContext) {
    super({ name: 'ttl-after-finished', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor(TTL_AFTER_FINISHED_SA);
    this.jobs = ctx.informers.listerFor(R.jobs);
    const maybe = (j: CachedObject) => {
      if (!j.metadata?.deletionTimestamp && needsCleanup(j)) this.enqueue(j);
    };
    ctx.informers.informerFor(R.jobs).addEventHandler({ onAdd: maybe, onUpdate: (_o, n) => maybe(n) });
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.get(namespace, name);
    if (!cached || !this.expired(key, cached)) return;
    let fresh: CachedObject;
    try {
      fresh = (await this.client.get(R.jobs, namespace, name)) as CachedObject;
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!this.expired(key, fresh)) return;
    try {
      await this.client.delete(R.jobs, namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: String(fresh.metadata?.uid ?? '') } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** upstream processTTL: true when the TTL has run out; otherwise requeues the key for when it will. */
  private expired(key: string, job: CachedObject): boolean {
    if (job.metadata?.deletionTimestamp || !needsCleanup(job)) return false;
    const at = expireTime(job);
    if (typeof at === 'string') throw new Error(at);
    const left = at - this.clock.now();
    if (left <= 0) return true;
    this.enqueueAfter(key, left);
    return false;
  }
}
