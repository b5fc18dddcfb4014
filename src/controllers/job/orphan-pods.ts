/**
 * The Job controller's second queue (upstream orphanQueue / syncOrphanPod): a pod still holding the tracking
 * finalizer whose Job is gone, is not a batch/v1 Job, or has finished, gets the finalizer removed, so deleted Jobs
 * never leave pods stuck in deletion. Keys are pod keys; pods owned by a live, unfinished Job are left alone.
 */
import type { Lister } from '../../client/informers';
import { splitKey } from '../../client/informers';
import type { Logger } from '../../base/logger';
import type { Clock } from '../../base/clock';
import { isNotFound, type ApiClient } from '../framework/api-client';
import { QueueController } from '../framework/controller';
import { controllerRefOf } from '../framework/controller-ref';
import { R } from '../framework/resources';
import { hasTrackingFinalizer, isJobFinished, JOB_CONTROLLER_NAME } from './job-util';
import { removeFinalizerPatch } from './manage-job';

export class OrphanPodCleaner extends QueueController {
  constructor(
    private readonly pods: Lister,
    private readonly jobs: Lister,
    private readonly client: ApiClient,
    logger: Logger,
    clock: Clock,
  ) {
    super({ name: 'job-orphan-pod', logger, clock });
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.jobs.get(namespace, ref.name);
      const owned = job && job.metadata?.uid === ref.uid ? job : undefined;
      if (owned) {
        const managedBy = (owned.spec as { managedBy?: string } | undefined)?.managedBy;
        if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME) return;
        if (!isJobFinished(owned)) return;
      }
    }
    try {
      await this.client.patch(R.pods, namespace, name, removeFinalizerPatch, 'strategic');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
