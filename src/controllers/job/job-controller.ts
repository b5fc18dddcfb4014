/**
 * The Job controller (upstream pkg/controller/job): informer handlers only enqueue — Job changes at once, pod
 * changes batched by 1 s on the clock (upstream syncJobBatchPeriod) — and keep the creation/deletion and
 * finalizer-removal expectations; `sync` claims the pods (adopt/release via the selector) and runs syncJob on a copy
 * of the Job (adopted pods also get the tracking finalizer). Jobs managed by another controller (spec.managedBy), finished Jobs and unknown completion modes are
 * skipped. A second queue removes the tracking finalizer from pods whose Job is gone or finished.
 */
import { labelSelectorAsSelector, type V1LabelSelector } from '../../api/selectors';
import type { CachedObject, Lister } from '../../client/informers';
import { deletedObject, objectKey, splitKey, type DeletedFinalStateUnknown } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import type { ApiClient } from '../framework/api-client';
import type { ControllerContext, RunnableController } from '../framework/context';
import { QueueController } from '../framework/controller';
import { claimObjects, controllerRefOf, type OwnerReference } from '../framework/controller-ref';
import { ControllerExpectations } from '../framework/expectations';
import { PodControl } from '../framework/pod-control';
import { R } from '../framework/resources';
import { BackoffStore } from './backoff';
import { hasTrackingFinalizer, isJobFinished, JOB_CONTROLLER_NAME, JOB_TRACKING_FINALIZER, type Job } from './job-util';
import { syncJob } from './job-sync';
import { OrphanPodCleaner } from './orphan-pods';
import { eventTarget, FinalizerExpectations, type JobHost } from './sync-context';

export const JOB_CONTROLLER_SA = 'job-controller';
/** upstream syncJobBatchPeriod. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

const podKey = (p: CachedObject) => `${String(p.metadata?.namespace ?? '')}/${String(p.metadata?.name ?? '')}`;

export class JobController extends QueueController implements RunnableController {
  private readonly jobs: Lister;
  private readonly pods: Lister;
  private readonly host: JobHost;
  private readonly orphans: OrphanPodCleaner;

  constructor(ctx: ControllerContext) {
    super({ name: 'job', logger: ctx.logger, clock: ctx.clock });
    const client: ApiClient = ctx.clientFor(JOB_CONTROLLER_SA);
    const recorder: EventRecorder = ctx.recorderFor('job-controller', JOB_CONTROLLER_SA);
    this.jobs = ctx.informers.listerFor(R.jobs);
    this.pods = ctx.informers.listerFor(R.pods);
    this.host = {
      client,
      recorder,
      podControl: new PodControl(client, recorder),
      expectations: new ControllerExpectations(ctx.clock),
      finalizers: new FinalizerExpectations(),
      backoff: new BackoffStore(),
      clock: ctx.clock,
      enqueueAfter: (key, ms) => this.enqueueAfter(key, Math.max(0, ms)),
    };
    this.orphans = new OrphanPodCleaner(this.pods, this.jobs, client, ctx.logger.child('orphan pods'), ctx.clock);
    ctx.informers.informerFor(R.jobs).addEventHandler({
      onAdd: (j) => this.enqueue(j),
      onUpdate: (_o, n) => this.enqueue(n),
      onDelete: (j) => this.jobDeleted(j),
    });
    ctx.informers.informerFor(R.pods).addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (o, n) => this.podUpdated(o, n),
      onDelete: (p) => this.podDeleted(deletedObject(p), true),
    });
  }

  override run(n = 1): void {
    super.run(n);
    this.orphans.run(1);
  }

  override async idle(): Promise<void> {
    await Promise.all([super.idle(), this.orphans.idle()]);
  }

  override async stop(): Promise<void> {
    await Promise.all([super.stop(), this.orphans.stop()]);
  }

  private batched(job: CachedObject): void {
    this.enqueueAfter(objectKey(job), SYNC_JOB_BATCH_PERIOD_MS);
  }

  private resolve(namespace: string, ref: OwnerReference): CachedObject | undefined {
    if (ref.kind !== 'Job') return undefined;
    const job = this.jobs.get(namespace, ref.name);
    return job && job.metadata?.uid === ref.uid ? job : undefined;
  }

  private jobsMatching(pod: CachedObject): CachedObject[] {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.jobs.list(String(pod.metadata?.namespace ?? '')).filter((j) => {
      try {
        return labelSelectorAsSelector((j.spec as { selector?: V1LabelSelector } | undefined)?.selector).matches(labels);
      } catch {
        return false;
      }
    });
  }

  private podAdded(pod: CachedObject): void {
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod, false);
    const ref = controllerRefOf(pod);
    if (ref) {
      const job = this.resolve(String(pod.metadata?.namespace ?? ''), ref);
      if (!job) {
        if (hasTrackingFinalizer(pod)) this.orphans.enqueue(pod);
        return;
      }
      this.host.expectations.creationObserved(objectKey(job));
      return this.batched(job);
    }
    if (hasTrackingFinalizer(pod)) this.orphans.enqueue(pod);
    for (const j of this.jobsMatching(pod)) this.batched(j);
  }

  private podUpdated(old: CachedObject, cur: CachedObject): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    if (cur.metadata?.deletionTimestamp) return this.podDeleted(cur, false);
    const ns = String(cur.metadata?.namespace ?? '');
    const removed = !hasTrackingFinalizer(cur);
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const job = this.resolve(ns, oldRef);
      if (job) {
        if (removed) this.host.finalizers.observed(objectKey(job), String(cur.metadata?.uid ?? ''));
        this.batched(job);
      }
    }
    if (curRef) {
      const job = this.resolve(ns, curRef);
      if (!job) {
        if (hasTrackingFinalizer(cur)) this.orphans.enqueue(cur);
        return;
      }
      if (removed) this.host.finalizers.observed(objectKey(job), String(cur.metadata?.uid ?? ''));
      return this.batched(job);
    }
    if (hasTrackingFinalizer(cur)) this.orphans.enqueue(cur);
    if (refChanged || JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {})) {
      for (const j of this.jobsMatching(cur)) this.batched(j);
    }
  }

  private podDeleted(pod: CachedObject, final: boolean): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const job = this.resolve(String(pod.metadata?.namespace ?? ''), ref);
    if (!job) {
      if (!final && hasTrackingFinalizer(pod)) this.orphans.enqueue(pod);
      return;
    }
    const key = objectKey(job);
    if (final || !hasTrackingFinalizer(pod)) this.host.finalizers.observed(key, String(pod.metadata?.uid ?? ''));
    this.host.expectations.deletionObserved(key, podKey(pod));
    this.batched(job);
  }

  private jobDeleted(j: CachedObject | DeletedFinalStateUnknown): void {
    const job = deletedObject(j);
    this.enqueue(job);
    for (const p of this.pods.list(String(job.metadata?.namespace ?? ''))) {
      if (controllerRefOf(p)?.uid === job.metadata?.uid && hasTrackingFinalizer(p)) this.orphans.enqueue(p);
    }
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const shared = this.jobs.get(namespace, name);
    if (!shared) {
      this.host.expectations.delete(key);
      this.host.finalizers.delete(key);
      this.host.backoff.remove(key);
      return;
    }
    const managedBy = (shared.spec as { managedBy?: string } | undefined)?.managedBy;
    if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME) return;
    if (isJobFinished(shared)) {
      this.host.backoff.remove(key);
      return;
    }
    const job = structuredClone(shared) as Job;
    job.spec ??= {};
    job.status ??= {};
    const mode = job.spec.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.host.recorder.event(eventTarget(job), 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const satisfied = this.host.expectations.satisfied(key);
    const pods = await this.podsForJob(shared);
    await syncJob(this.host, key, job, pods, satisfied);
  }

  private async podsForJob(job: CachedObject): Promise<CachedObject[]> {
    const selector = labelSelectorAsSelector((job.spec as { selector?: V1LabelSelector }).selector);
    const uid = job.metadata?.uid;
    const candidates = this.pods.list(String(job.metadata?.namespace ?? '')).filter((p) => controllerRefOf(p)?.uid === uid || selector.matches(p.metadata?.labels));
    const claimed = await claimObjects(
      { client: this.host.client, owner: job, ownerApiVersion: 'batch/v1', ownerKind: 'Job', ownerResource: R.jobs, resource: R.pods, selector },
      candidates,
    );
    const ownedBefore = new Set(candidates.filter((p) => controllerRefOf(p)?.uid === uid).map((p) => p.metadata?.uid));
    // Adopted pods get the tracking finalizer too (upstream adopts with it), so they are counted when they finish.
    return Promise.all(
      claimed.map(async (p) => {
        if (ownedBefore.has(p.metadata?.uid) || hasTrackingFinalizer(p)) return p;
        const patch = { metadata: { finalizers: [JOB_TRACKING_FINALIZER], uid: p.metadata?.uid } };
        return (await this.host.client.patch(R.pods, String(p.metadata?.namespace ?? ''), String(p.metadata?.name ?? ''), patch, 'strategic')) as CachedObject;
      }),
    );
  }
}
