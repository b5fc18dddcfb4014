/**
 * The EndpointSlice controller (upstream pkg/controller/endpointslice, `endpointslice`, 5 workers, ServiceAccount
 * `endpointslice-controller`): every Service with a selector (not ExternalName) has EndpointSlices named
 * `<svc>-<random>` labelled `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
 * endpointslice-controller.k8s.io`, owned by the Service (the garbage collector deletes them with it), holding its
 * pods' endpoints (at most 100 per slice) with minimal changes per sync (reconciler.ts). Slice events that are not
 * the controller's own writes (tracker) requeue the Service after 1 s, as upstream's endpointSliceChangeMinSyncDelay;
 * a sync whose slice cache is older than its own writes fails and is retried.
 */
import { labelSelectorFromSet } from '../../api/selectors/label-selector';
import type { EventRecorder } from '../../client/events';
import { deletedObject, splitKey, type CachedObject, type Lister } from '../../client/informers';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter } from '../../client/workqueue';
import type { ControllerFactory } from '../manager';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import { podServiceKeys, serviceSpec, servicesToUpdateOnPodChange } from '../endpoint/pod-endpoints';
import { TriggerTimeTracker } from '../endpoint/trigger-time-tracker';
import { Reconciler } from './reconciler';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, MAX_ENDPOINTS_PER_SLICE, type EndpointSlice } from './slice-model';
import { EndpointSliceTracker } from './slice-tracker';

export const ENDPOINTSLICE_CONTROLLER_SA = 'endpointslice-controller';
const MAX_RETRIES = 15;
/** endpointSliceChangeMinSyncDelay. */
export const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;

const managedByUs = (s: CachedObject) => s.metadata?.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;

export class EndpointSliceController extends QueueController {
  private readonly services: Lister;
  private readonly pods: Lister;
  private readonly slices: Lister;
  private readonly recorder: EventRecorder;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly reconciler: Reconciler;

  constructor(ctx: ControllerContext, maxEndpointsPerSlice = MAX_ENDPOINTS_PER_SLICE) {
    super({
      name: 'endpointslice',
      logger: ctx.logger,
      clock: ctx.clock,
      // Upstream: max of per-item exponential (1 s .. 1000 s) and 10 qps / burst 100.
      rateLimiter: new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(1000, 1_000_000), new BucketRateLimiter(10, 100, ctx.clock)),
      maxRetries: MAX_RETRIES,
    });
    this.services = ctx.informers.listerFor(R.services);
    this.pods = ctx.informers.listerFor(R.pods);
    this.slices = ctx.informers.listerFor(R.endpointslices);
    this.recorder = ctx.recorderFor(ENDPOINTSLICE_CONTROLLER_SA);
    this.reconciler = new Reconciler({
      client: ctx.clientFor(ENDPOINTSLICE_CONTROLLER_SA),
      nodes: ctx.informers.listerFor(R.nodes),
      tracker: this.tracker,
      maxEndpointsPerSlice,
    });
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
    // Nodes are read for zones; their changes only matter to topology hints, which KubeLab does not compute.
    ctx.informers.informerFor(R.nodes);
    ctx.informers.informerFor(R.endpointslices).addEventHandler({
      onAdd: (s) => {
        if (managedByUs(s) && this.tracker.shouldSync(s)) this.queueServiceOf(s);
      },
      onUpdate: (old, cur) => {
        if (old.metadata?.labels?.[LABEL_SERVICE_NAME] !== cur.metadata?.labels?.[LABEL_SERVICE_NAME]) {
          this.queueServiceOf(cur);
          this.queueServiceOf(old);
          return;
        }
        if (managedByUs(old) !== managedByUs(cur) || (managedByUs(cur) && this.tracker.shouldSync(cur))) this.queueServiceOf(cur);
      },
      onDelete: (d) => {
        const s = deletedObject(d);
        if (managedByUs(s) && this.tracker.has(s) && !this.tracker.handleDeletion(s)) this.queueServiceOf(s);
      },
    });
  }

  private enqueueKeys(keys: Iterable<string>): void {
    for (const k of keys) this.enqueueKey(k);
  }

  /** queueServiceForEndpointSlice. */
  private queueServiceOf(s: CachedObject): void {
    const svc = s.metadata?.labels?.[LABEL_SERVICE_NAME];
    if (!svc) return;
    this.enqueueAfter(`${String(s.metadata?.namespace ?? '')}/${svc}`, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(namespace, name);
    if (!svc) {
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(namespace, name);
      return;
    }
    const spec = serviceSpec(svc);
    if (spec.type === 'ExternalName') return;
    if (spec.selector === undefined || spec.selector === null) return;
    const pods = [...this.pods.list(namespace, labelSelectorFromSet(spec.selector))].sort((a, b) =>
      String(a.metadata?.name ?? '').localeCompare(String(b.metadata?.name ?? '')),
    );
    const mine = labelSelectorFromSet({ [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: CONTROLLER_NAME });
    const slices = this.slices.list(namespace, mine).filter((s) => !s.metadata?.deletionTimestamp);
    if (this.tracker.staleSlices(namespace, name, slices)) throw new Error('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(namespace, svc, pods);
    try {
      await this.reconciler.reconcile(svc, pods, slices as unknown as EndpointSlice[], triggerTime);
    } catch (e) {
      this.recorder.eventf(svc as Record<string, unknown>, 'Warning', 'FailedToUpdateEndpointSlices', 'Error updating Endpoint Slices for Service %s/%s: %v', namespace, name, (e as Error).message);
      throw e;
    }
  }
}

export const endpointSliceControllerFactory: ControllerFactory = {
  name: 'endpointslice',
  workers: 5,
  build: (ctx) => new EndpointSliceController(ctx),
};
