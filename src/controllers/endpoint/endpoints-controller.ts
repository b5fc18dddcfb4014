/**
 * The Endpoints controller (upstream pkg/controller/endpoint, `endpoint`, 5 workers, ServiceAccount
 * `endpoint-controller`): every Service with a selector (and not of type ExternalName) has an Endpoints object of
 * the same name listing its pods' addresses, ready and not ready, per port (see desired-endpoints.ts). Services
 * without a selector are left alone (their Endpoints are the user's). The Endpoints of a deleted Service are deleted;
 * at start, Endpoints whose Service is gone are cleaned up (checkLeftoverEndpoints). Pod, Service and Endpoints
 * deletion events only enqueue Service keys; `sync` writes only when subsets, labels or the capacity annotation
 * differ, and records FailedToCreateEndpoint / FailedToUpdateEndpoint Warnings as upstream. Unlike upstream, a sync
 * right after the controller's own write works from the object that write returned while the informer has not
 * delivered it yet, instead of failing on a stale resourceVersion (a Conflict, a Warning and a 1 s backoff).
 */
import { labelSelectorFromSet } from '../../api/selectors/label-selector';
import type { EventRecorder } from '../../client/events';
import { deletedObject, objectKey, splitKey, type CachedObject, type Lister } from '../../client/informers';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter } from '../../client/workqueue';
import type { ControllerFactory } from '../manager';
import { isNamespaceTerminating, isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import { capacityAnnotationSetCorrectly, desiredSubsets, endpointsObject, HEADLESS_LABEL } from './desired-endpoints';
import { podServiceKeys, serviceSpec, servicesToUpdateOnPodChange } from './pod-endpoints';
import { semanticEqual } from './semantic-equal';
import { TriggerTimeTracker } from './trigger-time-tracker';

export const ENDPOINT_CONTROLLER_SA = 'endpoint-controller';
/** Endpoints of leader-election locks (old components) are never cleaned up. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const MAX_RETRIES = 15;

type Labels = Record<string, string>;

/** The cached object is at least as new as the written one (resourceVersions are store revisions). */
const caughtUp = (cached: CachedObject, mine: CachedObject) => Number(cached.metadata?.resourceVersion ?? 0) >= Number(mine.metadata?.resourceVersion ?? 0);

export class EndpointsController extends QueueController {
  private readonly services: Lister;
  private readonly pods: Lister;
  private readonly endpoints: Lister;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly triggerTimes = new TriggerTimeTracker();
  /** The Endpoints this controller last wrote per key, until the informer has caught up with them. */
  private readonly written = new Map<string, CachedObject>();

  constructor(ctx: ControllerContext) {
    super({
      name: 'endpoint',
      logger: ctx.logger,
      clock: ctx.clock,
      // Upstream: max of per-item exponential (1 s .. 100 s) and 10 qps / burst 100.
      rateLimiter: new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(1000, 100_000), new BucketRateLimiter(10, 100, ctx.clock)),
      maxRetries: MAX_RETRIES,
    });
    this.services = ctx.informers.listerFor(R.services);
    this.pods = ctx.informers.listerFor(R.pods);
    this.endpoints = ctx.informers.listerFor(R.endpoints);
    this.client = ctx.clientFor(ENDPOINT_CONTROLLER_SA);
    this.recorder = ctx.recorderFor(ENDPOINT_CONTROLLER_SA);
    ctx.informers.informerFor(R.services).addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_o, s) => this.enqueue(s),
      onDelete: (s) => this.enqueue(s),
    });
    ctx.informers.informerFor(R.pods).addEventHandler({
      onAdd: (p) => this.enqueueKeys(podServiceKeys(this.services, p)),
      onUpdate: (o, p) => this.enqueueKeys(servicesToUpdateOnPodChange(this.services, o, p)),
      onDelete: (p) => this.enqueueKeys(podServiceKeys(this.services, deletedObject(p))),
    });
    ctx.informers.informerFor(R.endpoints).addEventHandler({
      // Bookkeeping only: forget a write once the cache has it.
      onAdd: (e) => this.forgetWritten(e),
      onUpdate: (_o, e) => this.forgetWritten(e),
      onDelete: (e) => {
        this.written.delete(objectKey(deletedObject(e)));
        this.enqueue(e);
      },
    });
  }

  private forgetWritten(e: CachedObject): void {
    const key = objectKey(e);
    const mine = this.written.get(key);
    if (mine && (e.metadata?.uid !== mine.metadata?.uid || caughtUp(e, mine))) this.written.delete(key);
  }

  private enqueueKeys(keys: Iterable<string>): void {
    for (const k of keys) this.enqueueKey(k);
  }

  override run(n = 1): void {
    // checkLeftoverEndpoints: Endpoints whose Service is gone are deleted by their sync.
    for (const ep of this.endpoints.list()) {
      if (ep.metadata?.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.enqueueKey(objectKey(ep));
    }
    super.run(n);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(namespace, name);
    if (!svc) {
      try {
        await this.client.delete(R.endpoints, namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.triggerTimes.deleteService(namespace, name);
      this.written.delete(key);
      return;
    }
    const spec = serviceSpec(svc);
    if (spec.type === 'ExternalName') return;
    if (spec.selector === undefined || spec.selector === null) return;
    const pods = this.pods.list(namespace, labelSelectorFromSet(spec.selector));
    const triggerTime = this.triggerTimes.compute(namespace, svc, pods);
    const { subsets } = desiredSubsets(svc, pods);
    const current = this.freshest(key, this.endpoints.get(namespace, name));
    const svcLabels = (svc.metadata?.labels ?? {}) as Labels;
    if (current) {
      const compareLabels: Labels = { ...(current.metadata?.labels ?? {}) };
      delete compareLabels[HEADLESS_LABEL];
      const currentSubsets = (current.subsets ?? []) as never[];
      if (semanticEqual(current.subsets, subsets) && semanticEqual(compareLabels, svcLabels) && capacityAnnotationSetCorrectly(current.metadata?.annotations, currentSubsets)) return;
    }
    const next = endpointsObject(svc, current, subsets, triggerTime);
    const stored = await this.write(svc, next, !current);
    if (stored) this.written.set(key, stored);
  }

  /**
   * The cached Endpoints, or the one this controller wrote when the cache has not seen that write yet (a sync right
   * after a write would otherwise fail on a stale resourceVersion and wait for a backoff).
   */
  private freshest(key: string, cached: CachedObject | undefined): CachedObject | undefined {
    const mine = this.written.get(key);
    if (!mine) return cached;
    if (cached && (cached.metadata?.uid !== mine.metadata?.uid || caughtUp(cached, mine))) {
      this.written.delete(key);
      return cached;
    }
    return mine;
  }

  private async write(svc: CachedObject, ep: Obj, create: boolean): Promise<CachedObject | undefined> {
    const ns = String(svc.metadata?.namespace ?? '');
    try {
      if (create) return await this.client.create(R.endpoints, ns, ep);
      return await this.client.update(R.endpoints, ns, ep);
    } catch (e) {
      // A terminating namespace refuses creates until it is gone: drop the key.
      if (create && isNamespaceTerminating(e)) return undefined;
      this.written.delete(`${ns}/${String(svc.metadata?.name ?? '')}`);
      const msg = (e as Error).message;
      if (create) this.recorder.eventf(ep, 'Warning', 'FailedToCreateEndpoint', 'Failed to create endpoint for service %v/%v: %v', ns, svc.metadata?.name, msg);
      else this.recorder.eventf(ep, 'Warning', 'FailedToUpdateEndpoint', 'Failed to update endpoint %v/%v: %v', ns, svc.metadata?.name, msg);
      throw e;
    }
  }
}

export const endpointsControllerFactory: ControllerFactory = {
  name: 'endpoint',
  workers: 5,
  build: (ctx) => new EndpointsController(ctx),
};
