/**
 * One sync's working copy of a Deployment and the writes a sync makes through it. `Work.d` is a private deep copy
 * of the cached Deployment that the sync mutates (annotations, status) as upstream mutates its DeepCopy;
 * `writeStatus` persists it: upstream sends annotation and status changes in one UpdateStatus (its status strategy
 * keeps metadata), while our API server's status subresource keeps only status, so changed annotations (the
 * revision) go first in a PUT of the Deployment itself (RBAC: update deployments), then the status. `scaleReplicaSet`
 * resizes a ReplicaSet (with the desired/max replicas annotations) and records upstream's ScalingReplicaSet event.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { EventRecorder } from '../../client/events';
import type { Lister } from '../../client/informers';
import type { ApiClient } from '../framework/api-client';
import { R } from '../framework/resources';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations';
import { maxSurge } from './fenceposts';
import { APPS_V1, DEPLOYMENT_KIND, specReplicas, type Deployment, type ReplicaSet } from './types';

export interface SyncEnv {
  readonly client: ApiClient;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The ReplicaSet lister (to read a ReplicaSet whose create said AlreadyExists). */
  readonly rsLister: Lister;
  /** Sync the Deployment `key` again after `ms` (0: now, rate-limited). */
  requeue(key: string, ms: number): void;
}

export class Work {
  readonly d: Deployment;
  private savedAnnotations: Record<string, string>;

  constructor(
    readonly env: SyncEnv,
    cached: Deployment,
  ) {
    this.d = structuredClone(cached) as Deployment;
    this.d.apiVersion = APPS_V1;
    this.d.kind = DEPLOYMENT_KIND;
    this.d.metadata ??= {};
    this.d.status ??= {};
    this.savedAnnotations = { ...(this.d.metadata.annotations ?? {}) };
  }

  get namespace(): string {
    return String(this.d.metadata?.namespace ?? '');
  }

  get key(): string {
    return `${this.namespace}/${String(this.d.metadata?.name ?? '')}`;
  }

  now(): number {
    return this.env.clock.now();
  }

  /** Writes the Deployment's annotations (when this sync changed them) and its status. */
  async writeStatus(): Promise<void> {
    const meta = this.d.metadata as { annotations?: Record<string, string>; resourceVersion?: string };
    const annotations = meta.annotations ?? {};
    if (!isDeepStrictEqual(annotations, this.savedAnnotations)) {
      const { status: _status, ...body } = this.d;
      const res = await this.env.client.update(R.deployments, this.namespace, body as Record<string, unknown>);
      meta.resourceVersion = res.metadata?.resourceVersion as string | undefined;
      this.savedAnnotations = { ...annotations };
    }
    const res = await this.env.client.updateStatus(R.deployments, this.namespace, this.d as Record<string, unknown>);
    meta.resourceVersion = res.metadata?.resourceVersion as string | undefined;
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.env.recorder.event(this.d as Record<string, unknown>, type, reason, message);
  }

  /** scaleReplicaSet: sets replicas (and the replicas annotations); `scaled` when the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const desired = specReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs) as ReplicaSet;
    copy.spec = { ...copy.spec!, replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const updated = (await this.env.client.update(R.replicasets, this.namespace, copy as Record<string, unknown>)) as ReplicaSet;
    if (sizeNeedsUpdate) this.event('Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${String(updated.metadata?.name ?? '')} to ${newScale} from ${oldScale}`);
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /** scaleReplicaSetAndRecordEvent: no-op at the same size; otherwise "up" or "down". */
  async scaleAndRecord(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down');
  }
}
