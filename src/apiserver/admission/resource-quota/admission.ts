/**
 * ResourceQuota (apiserver's admission/plugin/resourcequota): a validating plugin that charges namespaced CREATEs
 * (and the UPDATEs an evaluator says can change usage) against the namespace's ResourceQuotas, rejecting with
 * upstream's 403 when a quota would be exceeded (see check.ts), and otherwise recording the new usage in each
 * affected quota's status through `ctx.client.updateStatus` (optimistic concurrency on resourceVersion).
 *
 * Contract:
 * - Subresource requests, cluster-scoped objects and events are ignored; dry-run requests are checked but write
 *   nothing.
 * - Requests in one namespace are evaluated one at a time (upstream's per-namespace work queue), so two pods
 *   admitted together cannot both take the last unit of a quota.
 * - A quota status this plugin wrote is preferred to the reader's copy while the reader has not caught up (same
 *   uid, lower resourceVersion), so back-to-back requests see each other's usage.
 * - On Conflict (or NotFound) the failed quotas are re-read and re-checked, up to `retries` times (upstream: 3);
 *   then the last error is returned to the client.
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

export function createResourceQuotaPlugin(opts: ResourceQuotaOptions = {}): ValidatingPlugin {
  const retries = opts.retries ?? 3;
  const delay = opts.retryDelayMs ?? ((attempt: number) => 10 * 2 ** (attempt - 1));
  const locks = new Map<string, Promise<void>>();
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

  function remember(saved: StoredObject): void {
    const key = `${saved.metadata.namespace}/${saved.metadata.name}`;
    written.delete(key);
    if (written.size >= CACHE_MAX) written.delete(written.keys().next().value!);
    written.set(key, saved);
  }

  async function evaluate(attrs: AdmissionAttributes, ctx: AdmissionContext, evaluator: QuotaEvaluator): Promise<void> {
    const deps: CheckDeps = {
      now: ctx.now(),
      objectsFor: (names) =>
        trackedResources(names).flatMap(({ group, resource }) =>
          ctx.reader.list(group, resource, attrs.namespace).map((object) => ({ group, resource, object })),
        ),
    };
    let pending: Set<string> | undefined;
    let lastErr: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(delay(attempt));
      let quotas = readQuotas(attrs.namespace, ctx);
      if (pending) quotas = quotas.filter((q) => pending!.has(q.metadata.name ?? ''));
      if (!quotas.length) return;
      const updates = checkQuotaRequest(quotas, attrs, evaluator, deps);
      if (attrs.dryRun || !updates.length) return;
      const failed = new Set<string>();
      for (const quota of updates) {
        try {
          remember(await ctx.client.updateStatus('', 'resourcequotas', quota));
        } catch (err) {
          if (!isStatusError(err) || (err.reason !== 'Conflict' && err.reason !== 'NotFound')) throw err;
          failed.add(quota.metadata.name ?? '');
          lastErr = err;
        }
      }
      if (!failed.size) return;
      pending = failed;
    }
    throw lastErr;
  }

  return {
    name: 'ResourceQuota',
    handles: (attrs) => evaluatorOf(attrs) !== undefined,
    async validate(attrs: AdmissionAttributes, ctx: AdmissionContext): Promise<void> {
      const evaluator = evaluatorOf(attrs);
      if (!evaluator || !ctx.reader.list('', 'resourcequotas', attrs.namespace).length) return;
      await serialize(locks, attrs.namespace, () => evaluate(attrs, ctx, evaluator));
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

/** Runs `fn` after every earlier call with the same key has settled. */
function serialize(locks: Map<string, Promise<void>>, key: string, fn: () => Promise<void>): Promise<void> {
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.then(fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => {
    if (locks.get(key) === tail) locks.delete(key);
  });
  return run;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
