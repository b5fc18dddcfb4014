/**
 * ResourceQuota (apiserver's admission/plugin/resourcequota): a validating plugin that charges namespaced CREATEs
 * (and the UPDATEs an evaluator says can change usage) against the namespace's ResourceQuotas, rejecting with
 * upstream's 403 when a quota would be exceeded (see check.ts), and otherwise recording the new usage in each
 * affected quota's status through `ctx.client.updateStatus` (optimistic concurrency on resourceVersion).
 *
 * Contract:
 * - Subresource requests, cluster-scoped objects and events are ignored; dry-run requests are checked but write
 *   nothing.
 * - Requests in one namespace are evaluated in batches (upstream's per-namespace work queue): while one batch's
 *   status writes are in flight the next requests queue up; each batch is checked in arrival order against the
 *   usage the earlier ones added, so two pods admitted together cannot both take the last unit of a quota, and
 *   each changed quota is written once per batch.
 * - A batch's requests are admitted once its quota writes are sequenced in the store, not durable (see sequenced()):
 *   the creates are then ordered after the usage they were charged and share its commit.
 * - A quota status this plugin wrote is preferred to the reader's copy while the reader has not caught up (same
 *   uid, lower resourceVersion), so back-to-back requests see each other's usage.
 * - On Conflict (or NotFound) the failed quotas are re-read and the batch's surviving requests re-checked against
 *   them, up to `retries` times (upstream: 3); then the last error is returned to those clients. Any other write
 *   error fails the batch's surviving requests with that error.
 */
import type { StoredObject } from '../../../api/object';
import { isStatusError } from '../../../api/status';
import type { AdmissionAttributes, AdmissionContext, ValidatingPlugin } from '../types';
import { checkQuotaRequest, type CheckDeps } from './check';
import { evaluatorFor, trackedResources, type QuotaEvaluator } from './evaluator';

export interface ResourceQuotaOptions {
  /** Re-checks after a failed status write (upstream: 3). */
  retries?: number;
  /** Milliseconds to wait before re-check `attempt` (1-based); default 10·2^(attempt-1). */
  retryDelayMs?: (attempt: number) => number;
}

const CACHE_MAX = 1000;
/** Most requests checked against one read of the quotas (upstream's evaluator takes a namespace's whole queue). */
const MAX_BATCH = 256;

interface Waiter {
  attrs: AdmissionAttributes;
  ctx: AdmissionContext;
  evaluator: QuotaEvaluator;
  resolve(): void;
  reject(err: unknown): void;
  /** Set when the request must fail. */
  error?: unknown;
}

export function createResourceQuotaPlugin(opts: ResourceQuotaOptions = {}): ValidatingPlugin {
  const retries = opts.retries ?? 3;
  const delay = opts.retryDelayMs ?? ((attempt: number) => 10 * 2 ** (attempt - 1));
  const queues = new Map<string, Waiter[]>();
  const written = new Map<string, StoredObject>();

  function evaluatorOf(attrs: AdmissionAttributes): QuotaEvaluator | undefined {
    if (attrs.subresource !== '' || !attrs.namespace || !attrs.resource.namespaced) return undefined;
    if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return undefined;
    const evaluator = evaluatorFor(attrs.resource.group, attrs.resource.resource);
    return evaluator?.handles(attrs.operation, attrs.object, attrs.oldObject) ? evaluator : undefined;
  }

  /** The namespace's quotas, each the newer of the reader's copy and the one this plugin last wrote. */
  function readQuotas(namespace: string, ctx: AdmissionContext): Readonly<StoredObject>[] {
    return ctx.reader.list('', 'resourcequotas', namespace).map((q) => {
      const key = `${namespace}/${q.metadata.name}`;
      const mine = written.get(key);
      if (mine && mine.metadata.uid === q.metadata.uid && newerVersion(mine, q)) return mine;
      written.delete(key);
      return q;
    });
  }

  /**
   * Writes a quota's status and resolves once the write is sequenced in the store, not when it is durable: the
   * batch's creates then join the same (or a later) commit and are refused with it if it is lost, instead of each
   * waiting for two commits. A sequenced write that then fails is forgotten (the reader's copy stands).
   */
  function sequenced(ctx: AdmissionContext, quota: StoredObject, durables: Promise<unknown>[]): Promise<StoredObject> {
    return new Promise<StoredObject>((resolve, reject) => {
      let early: StoredObject | undefined;
      const write = ctx.client.updateStatus('', 'resourcequotas', quota, { onSequenced: (saved) => resolve((early = saved)) });
      durables.push(
        write.then(resolve, (err: unknown) => {
          if (early) forget(early);
          reject(err);
        }),
      );
    });
  }

  function forget(saved: StoredObject): void {
    const key = `${saved.metadata.namespace}/${saved.metadata.name}`;
    if (written.get(key) === saved) written.delete(key);
  }

  function remember(saved: StoredObject): void {
    const key = `${saved.metadata.namespace}/${saved.metadata.name}`;
    written.delete(key);
    if (written.size >= CACHE_MAX) written.delete(written.keys().next().value!);
    written.set(key, saved);
  }

  /**
   * Checks a batch of requests in one namespace in arrival order, each against the usage the earlier ones added
   * (dry-run requests are checked but add nothing), then writes each changed quota once. Sets `error` on the
   * waiters that must fail; the others are admitted.
   */
  async function checkBatch(namespace: string, waiters: Waiter[], durables: Promise<unknown>[]): Promise<void> {
    const ctx = waiters[0].ctx;
    const deps: CheckDeps = {
      now: ctx.now(),
      objectsFor: (names) =>
        trackedResources(names).flatMap(({ group, resource }) =>
          ctx.reader.list(group, resource, namespace).map((object) => ({ group, resource, object })),
        ),
    };
    let live = waiters;
    let pending: Set<string> | undefined;
    let lastErr: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(delay(attempt));
      let quotas = readQuotas(namespace, ctx);
      if (pending) quotas = quotas.filter((q) => pending!.has(q.metadata.name ?? ''));
      if (!quotas.length) return;
      const current = new Map(quotas.map((q) => [q.metadata.name ?? '', q]));
      const admitted: Waiter[] = [];
      for (const w of live) {
        try {
          const updates = checkQuotaRequest([...current.values()], w.attrs, w.evaluator, deps);
          if (!w.attrs.dryRun) for (const u of updates) current.set(u.metadata.name ?? '', u);
          admitted.push(w);
        } catch (err) {
          w.error = err;
        }
      }
      live = admitted;
      const changed = quotas.map((q) => current.get(q.metadata.name ?? '')!).filter((q, i) => q !== quotas[i]);
      if (!changed.length) return;
      const failed = new Set<string>();
      for (const quota of changed) {
        try {
          remember(await sequenced(ctx, quota as StoredObject, durables));
        } catch (err) {
          if (!isStatusError(err) || (err.reason !== 'Conflict' && err.reason !== 'NotFound')) {
            for (const w of live) w.error = err;
            return;
          }
          failed.add(quota.metadata.name ?? '');
          lastErr = err;
        }
      }
      if (!failed.size) return;
      pending = failed;
    }
    for (const w of live) w.error = lastErr;
  }

  /**
   * Checks queued requests batch by batch until the namespace's queue is empty. A batch's requests go on once its
   * quota writes are sequenced; the next batch waits until those writes are durable, so the requests arriving
   * meanwhile share one quota write (one per commit, not one per request).
   */
  async function drain(namespace: string, queue: Waiter[]): Promise<void> {
    const durables: Promise<unknown>[] = [];
    while (queue.length) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await checkBatch(namespace, batch, durables);
      } catch (err) {
        for (const w of batch) w.error ??= err;
      }
      for (const w of batch) {
        if (w.error !== undefined) w.reject(w.error);
        else w.resolve();
      }
      await Promise.all(durables.splice(0));
    }
    queues.delete(namespace);
  }

  return {
    name: 'ResourceQuota',
    handles: (attrs) => evaluatorOf(attrs) !== undefined,
    validate(attrs: AdmissionAttributes, ctx: AdmissionContext): Promise<void> {
      const evaluator = evaluatorOf(attrs);
      if (!evaluator || !ctx.reader.list('', 'resourcequotas', attrs.namespace).length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { attrs, ctx, evaluator, resolve, reject };
        const queue = queues.get(attrs.namespace);
        if (queue) {
          queue.push(waiter);
          return;
        }
        const fresh = [waiter];
        queues.set(attrs.namespace, fresh);
        void drain(attrs.namespace, fresh);
      });
    },
  };
}

/** Whether a's resourceVersion is newer than b's (numeric versions; opaque ones are never newer). */
function newerVersion(a: Readonly<StoredObject>, b: Readonly<StoredObject>): boolean {
  const va = a.metadata.resourceVersion ?? '';
  const vb = b.metadata.resourceVersion ?? '';
  if (!/^\d+$/.test(va) || !/^\d+$/.test(vb)) return false;
  return BigInt(va) > BigInt(vb);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
