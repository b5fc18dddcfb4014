/**
 * StatusManager: the kubelet's source of truth for its pods' statuses and their writer to the API server (upstream
 * pkg/kubelet/status/status_manager.go), one per node.
 *
 * Contract:
 * - setPodStatus(pod, status) caches the status (transition times and startTime kept, normalized) and queues a
 *   write unless it equals the cached one as isPodStatusByKubeletEqual says (always when the pod is being deleted).
 *   An update that would move a container out of the terminated state when it may not restart is refused (logged).
 * - Writes are coalesced per pod (one PATCH with the latest status, however many updates came before it), at most
 *   `maxInFlight` (4) at once per manager, each a strategic-merge PATCH of pods/<name>/status with only what differs
 *   from the API's status and metadata.uid as precondition. Nothing is sent when the API's status already equals it
 *   but for transition/probe times. The API's status is the last one this manager saw (from the pods handed to it
 *   and from its own PATCH answers); it is re-read with GET only when unknown or after an error.
 * - A terminal phase (Succeeded/Failed) in the API is never left; a terminal pod is never written as Ready.
 * - Errors back off per pod (1 s doubling, at most the resync period); every 10 s a resync re-queues what is still
 *   unwritten or differs from the API. A 404 forgets the pod; a pod recreated under the same name is forgotten.
 * - terminated(pod): the pod worker has stopped every container (upstream TerminatePod): the final status is written
 *   (every non-terminated container reported terminated, phase Failed unless already terminal) and, once the API
 *   shows a terminal phase on a pod with a deletionTimestamp, the pod is deleted with gracePeriodSeconds 0 and
 *   preconditions {uid}; 404/409 mean it is already gone. Mirror pods are never deleted here.
 * - idle() resolves once nothing is queued or in flight (pods waiting out a backoff do not count); close() stops
 *   timers, drops the queue and waits for the writes in flight.
 */
import { tickAlignedDelay, type Clock, type TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { ApiError, R, isNotFound, type ApiClient, type Obj } from '../../controllers/framework';
import { EarliestTimer } from './earliest-timer';
import { isPodStatusByKubeletEqual, normalizeStatus } from './status-compare';
import { canBeDeleted, checkContainerStateTransition, prepareStatus, statusToWrite, terminatePodStatus } from './status-merge';
import { podStatusPatch } from './status-patch';
import { metaTime, podStatusOf, type PodStatus } from './types';

export const STATUS_SYNC_PERIOD_MS = 10_000;
const DEFAULT_MAX_IN_FLIGHT = 4;
const BACKOFF_INITIAL_MS = 1_000;

export interface StatusManagerOptions {
  client: ApiClient;
  clock: Clock;
  logger: Logger;
  nodeName: string;
  /** Writes in flight at once (default 4). */
  maxInFlight?: number;
  /** Resync period (default 10 s). */
  resyncMs?: number;
  /** Resyncs wait on to the next multiple of this many ms (see Kubelet's heartbeatTickMs); default none. */
  resyncTickMs?: number;
}

type Pod = Obj & { metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string; deletionTimestamp?: string } };

interface Entry {
  uid: string;
  namespace: string;
  name: string;
  status: PodStatus;
  version: number;
  sent: number;
  finished: boolean;
  apiPod?: Pod;
  /** The API pod last found to need no write (resync skips the comparison while apiPod is still this one). */
  verified?: Pod;
  failures: number;
  retryAt: number;
  running: boolean;
}

const meta = (p: Pod) => p.metadata ?? {};

function newerOrSame(a: string | undefined, b: string | undefined): boolean {
  if (a && b && /^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) >= BigInt(b);
  return true;
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new Set<string>();
  private inFlight = 0;
  private pumpScheduled = false;
  private closed = false;
  private resyncTimer: TimerHandle | undefined;
  private readonly retryTimer: EarliestTimer;
  private waiters: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Requests sent so far (for tests and the UI). */
  readonly stats = { gets: 0, patches: 0, deletes: 0, errors: 0 };

  constructor(private readonly o: StatusManagerOptions) {
    this.retryTimer = new EarliestTimer(o.clock, () => this.onRetryTimer());
    this.scheduleResync();
  }

  setPodStatus(pod: Obj, status: PodStatus): void {
    const e = this.entryFor(pod as Pod);
    if (!e) return;
    this.update(e, pod as Pod, status, !!meta(pod as Pod).deletionTimestamp, false);
  }

  /** The pod worker stopped every container of `pod`: write its final status, then delete it if it is being deleted. */
  terminated(pod: Obj): void {
    const e = this.entryFor(pod as Pod);
    if (!e) return;
    const cached = e.version > 0 ? e.status : undefined;
    this.update(e, pod as Pod, terminatePodStatus(pod, cached), true, true);
  }

  removePod(uid: string): void {
    this.entries.delete(uid);
    this.queue.delete(uid);
    this.settle();
  }

  status(uid: string): PodStatus | undefined {
    const e = this.entries.get(uid);
    return e && e.version > 0 ? e.status : undefined;
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.resyncTimer) this.o.clock.clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    this.retryTimer.cancel();
    this.queue.clear();
    await Promise.all([...this.running]);
    this.settle();
  }

  // ── caching ───────────────────────────────────────────────────────────────────────────────────────────────────
  private entryFor(pod: Pod): Entry | undefined {
    const m = meta(pod);
    if (this.closed || !m.uid || !m.name) return undefined;
    let e = this.entries.get(m.uid);
    if (!e) {
      e = { uid: m.uid, namespace: m.namespace ?? '', name: m.name, status: {}, version: 0, sent: 0, finished: false, failures: 0, retryAt: 0, running: false };
      this.entries.set(m.uid, e);
    }
    if (!e.apiPod || newerOrSame(m.resourceVersion, meta(e.apiPod).resourceVersion)) e.apiPod = pod;
    return e;
  }

  private update(e: Entry, pod: Pod, status: PodStatus, force: boolean, finished: boolean): void {
    const old = e.version > 0 ? e.status : normalizeStatus(pod, podStatusOf(pod));
    const illegal = checkContainerStateTransition(pod, old, status);
    if (illegal) {
      this.o.logger.error(`Status update on pod ${e.namespace}/${e.name} aborted: ${illegal}`);
      return;
    }
    const next = prepareStatus(pod, old, status, metaTime(this.o.clock.now()));
    if (finished) e.finished = true;
    if (e.version > 0 && !force && isPodStatusByKubeletEqual(e.status, next)) return;
    e.status = next;
    e.version++;
    this.enqueue(e);
  }

  // ── the write queue ───────────────────────────────────────────────────────────────────────────────────────────
  private enqueue(e: Entry): void {
    if (this.closed) return;
    this.queue.add(e.uid);
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const now = this.o.clock.now();
    for (const uid of this.queue) {
      if (this.closed || this.inFlight >= (this.o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)) break;
      const e = this.entries.get(uid);
      if (e?.running) continue; // re-queued when the write in flight ends
      this.queue.delete(uid);
      if (!e || e.retryAt > now) continue;
      this.inFlight++;
      e.running = true;
      const p = this.sync(e).finally(() => {
        this.running.delete(p);
        this.inFlight--;
        e.running = false;
        if (this.entries.get(e.uid) === e && e.version > e.sent && e.retryAt === 0) this.queue.add(e.uid);
        this.pump();
        this.settle();
      });
      this.running.add(p);
    }
    this.settle();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && (this.queue.size === 0 || this.closed) && !this.pumpScheduled;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private forget(e: Entry): void {
    if (this.entries.get(e.uid) === e) this.entries.delete(e.uid);
    this.queue.delete(e.uid);
  }

  // ── one write ─────────────────────────────────────────────────────────────────────────────────────────────────
  private pendingWrite(e: Entry, pod: Pod): PodStatus | undefined {
    return statusToWrite(pod, e.status, metaTime(this.o.clock.now()));
  }

  private async sync(e: Entry): Promise<void> {
    const { client, logger } = this.o;
    const version = e.version;
    const key = `${e.namespace}/${e.name}`;
    try {
      let pod = e.apiPod;
      if (!pod) {
        this.stats.gets++;
        pod = (await client.get(R.pods, e.namespace, e.name)) as Pod;
        if (this.entries.get(e.uid) === e) e.apiPod = pod;
      }
      if (this.entries.get(e.uid) !== e) return;
      if (meta(pod).uid !== e.uid) {
        logger.info(`Pod ${key} was deleted and then recreated, skipping status update (old uid ${e.uid})`);
        this.forget(e);
        return;
      }
      const merged = e.version > 0 ? this.pendingWrite(e, pod) : undefined;
      if (merged) {
        const { patch, unchanged } = podStatusPatch(e.uid, podStatusOf(pod), merged);
        if (!unchanged) {
          this.stats.patches++;
          pod = (await client.patch(R.pods, e.namespace, e.name, patch, 'strategic', 'status')) as Pod;
          if (this.entries.get(e.uid) === e) e.apiPod = pod;
        }
      }
      e.sent = Math.max(e.sent, version);
      if (e.version === version) e.verified = pod;
      e.failures = 0;
      e.retryAt = 0;
      if (this.entries.get(e.uid) === e && canBeDeleted(pod, e.finished)) await this.deletePod(e);
    } catch (err) {
      if (isNotFound(err)) {
        logger.debug(`Pod ${key} does not exist on the server; forgetting its status`);
        this.forget(e);
        return;
      }
      this.stats.errors++;
      e.apiPod = undefined;
      e.failures++;
      const delay = Math.min(BACKOFF_INITIAL_MS * 2 ** (e.failures - 1), this.o.resyncMs ?? STATUS_SYNC_PERIOD_MS);
      e.retryAt = this.o.clock.now() + delay;
      logger.info(`Failed to update status for pod ${key}: ${(err as Error).message}`);
      if (!this.closed) this.retryTimer.schedule(e.retryAt);
    }
  }

  private async deletePod(e: Entry): Promise<void> {
    try {
      this.stats.deletes++;
      await this.o.client.delete(R.pods, e.namespace, e.name, { gracePeriodSeconds: 0, preconditions: { uid: e.uid } });
      this.o.logger.debug(`Pod ${e.namespace}/${e.name} fully terminated and removed from etcd`);
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
    }
    this.forget(e);
  }

  // ── timers ────────────────────────────────────────────────────────────────────────────────────────────────────
  private onRetryTimer(): void {
    const now = this.o.clock.now();
    let next = Infinity;
    for (const e of this.entries.values()) {
      if (e.retryAt === 0) continue;
      if (e.retryAt <= now) {
        e.retryAt = 0;
        this.enqueue(e);
      } else next = Math.min(next, e.retryAt);
    }
    if (next < Infinity && !this.closed) this.retryTimer.schedule(next);
  }

  private scheduleResync(): void {
    if (this.closed) return;
    this.resyncTimer = this.o.clock.setTimeout(() => {
      this.resync();
      this.scheduleResync();
    }, tickAlignedDelay(this.o.clock.now(), this.o.resyncMs ?? STATUS_SYNC_PERIOD_MS, this.o.resyncTickMs));
  }

  /** syncBatch(all): re-queue whatever is unwritten, deletable, or differs from the API's last known status. */
  private resync(): void {
    const now = this.o.clock.now();
    for (const e of this.entries.values()) {
      if (e.running || e.version === 0) continue;
      if (e.retryAt > now) continue;
      e.retryAt = 0;
      const pod = e.apiPod;
      if (e.version > e.sent || !pod || canBeDeleted(pod, e.finished)) this.enqueue(e);
      else if (pod !== e.verified) {
        if (this.pendingWrite(e, pod)) this.enqueue(e);
        else e.verified = pod;
      }
    }
  }
}
