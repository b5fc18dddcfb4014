/**
 * The namespaced resources deleter (upstream deletion/namespaced_resources_deleter.go). `delete(name)`:
 * - reads the namespace live; nothing to do when it is gone or has no deletionTimestamp; sets phase Terminating
 *   (status update, retried on conflicts) if needed; nothing to do when spec.finalizers is already empty;
 * - discovers the preferred namespaced resources supporting `delete` (discovery failures become a condition and do
 *   not stop the rest), and for each: estimates graceful termination (pods: the longest
 *   terminationGracePeriodSeconds of non-terminal pods, 0 once that long has passed since the namespace's
 *   deletionTimestamp), DELETEs the collection with Background propagation (or each item when deletecollection is
 *   not supported), then lists what remains (counting finalizers; 15 s estimate when finalizers remain);
 * - writes the deletion conditions to the status when they changed;
 * - throws ResourcesRemainingError(estimate) while something remains, else removes the `kubernetes` finalizer via
 *   the `finalize` subresource (the API server then removes the namespace).
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { ResourceRef } from '../../client/informers';
import { ApiError, isConflict, isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import { R } from '../framework/resources';
import { discover, discoveryFailedMessage, type ApiResource } from '../garbagecollector/discovery';
import { NamespaceConditionUpdater, type NamespaceCondition } from './conditions';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** Default wait for finalizers found on remaining items (upstream finalizerEstimateSeconds). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
  }
}

interface GvrResult {
  estimate: number;
  numRemaining: number;
  finalizers: Map<string, number>;
}

const BACKGROUND = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
const unsupported = (e: unknown): boolean => e instanceof ApiError && (e.code === 405 || e.code === 404);
const gvrString = (r: ResourceRef): string => `${r.group}/${r.version}, Resource=${r.resource}`;

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class NamespacedResourcesDeleter {
  /** Operations a resource answered 405/404 to (upstream opCache), by `op group/version/resource`. */
  private readonly notSupported = new Set<string>();

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async delete(name: string): Promise<void> {
    let ns: Obj;
    try {
      ns = await this.client.get(R.namespaces, '', name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    try {
      ns = await this.retryOnConflict(ns, (cur) => this.markTerminating(cur));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (!specFinalizers(ns).length) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.retryOnConflict(ns, (cur) => this.finalize(cur));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async retryOnConflict(ns: Obj, fn: (cur: Obj) => Promise<Obj>): Promise<Obj> {
    let cur = ns;
    for (;;) {
      try {
        return await fn(cur);
      } catch (e) {
        if (!isConflict(e)) throw e;
        const latest = await this.client.get(R.namespaces, '', String(cur.metadata?.name));
        if (latest.metadata?.uid !== cur.metadata?.uid) throw new Error('namespace uid has changed across retries');
        cur = latest;
      }
    }
  }

  private async markTerminating(ns: Obj): Promise<Obj> {
    const status = (ns.status ?? {}) as { phase?: string };
    if (!ns.metadata?.deletionTimestamp || status.phase === 'Terminating') return ns;
    return this.client.updateStatus(R.namespaces, '', { ...structuredClone(ns), status: { ...structuredClone(status), phase: 'Terminating' } });
  }

  private async finalize(ns: Obj): Promise<Obj> {
    const finalizers = [...new Set(specFinalizers(ns).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    const body = { ...structuredClone(ns), spec: { ...(structuredClone(ns.spec) as object), finalizers } };
    return this.client.call({ method: 'PUT', path: this.client.path(R.namespaces, '', String(ns.metadata?.name), 'finalize'), body });
  }

  /** Deletes everything; returns the estimate in seconds until the rest is gone (0: nothing remains). */
  private async deleteAllContent(ns: Obj): Promise<number> {
    const namespace = String(ns.metadata?.name);
    const deletedAt = Date.parse(String(ns.metadata?.deletionTimestamp));
    const cond = new NamespaceConditionUpdater(rfc3339(this.clock.now()));
    const errors: string[] = [];
    let resources: ApiResource[] = [];
    try {
      const d = await discover(this.client);
      resources = d.preferred.filter((r) => r.namespaced && r.verbs.includes('delete'));
      if (d.failed.size) {
        const msg = discoveryFailedMessage(d.failed);
        errors.push(msg);
        cond.discoveryFailed(msg, d.failed.size);
      }
    } catch (e) {
      errors.push((e as Error).message);
      cond.discoveryFailed((e as Error).message);
    }
    let estimate = 0;
    const remainingByResource = new Map<string, number>();
    const remainingByFinalizer = new Map<string, number>();
    for (const r of resources) {
      let res: GvrResult;
      try {
        res = await this.deleteAllContentFor(r, namespace, deletedAt);
      } catch (e) {
        const err = e as Error & { partial?: GvrResult };
        errors.push(err.message);
        cond.deleteContentFailed(err.message);
        res = err.partial ?? { estimate: 0, numRemaining: 0, finalizers: new Map() };
      }
      estimate = Math.max(estimate, res.estimate);
      if (res.numRemaining > 0) {
        remainingByResource.set(`${r.resource}.${r.group}`, res.numRemaining);
        for (const [f, n] of res.finalizers) if (n > 0) remainingByFinalizer.set(f, (remainingByFinalizer.get(f) ?? 0) + n);
      }
    }
    cond.contentTotals({ remainingByResource, remainingByFinalizer });
    const conditions = structuredClone(((ns.status as { conditions?: NamespaceCondition[] } | undefined)?.conditions ?? []) as NamespaceCondition[]);
    if (cond.update(conditions)) {
      try {
        await this.client.updateStatus(R.namespaces, '', { ...structuredClone(ns), status: { ...(structuredClone(ns.status) as object), conditions } });
      } catch (e) {
        this.logger.warn(`failed to update conditions of namespace ${namespace}: ${(e as Error).message}`);
      }
    }
    if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return estimate;
  }

  private async deleteAllContentFor(r: ApiResource, namespace: string, deletedAt: number): Promise<GvrResult> {
    const fail = (e: unknown, estimate: number): never => {
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { partial: { estimate, numRemaining: 0, finalizers: new Map() } });
    };
    let estimate = 0;
    try {
      estimate = await this.estimateGracefulTermination(r, namespace, deletedAt);
    } catch (e) {
      fail(e, 0);
    }
    try {
      if (!(await this.deleteCollection(r, namespace))) await this.deleteEachItem(r, namespace);
    } catch (e) {
      fail(e, estimate);
    }
    let items: Obj[] | undefined;
    try {
      items = await this.listCollection(r, namespace);
    } catch (e) {
      fail(e, estimate);
    }
    if (!items) return { estimate, numRemaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of items) for (const f of (item.metadata?.finalizers ?? []) as string[]) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate !== 0 || !items.length) return { estimate, numRemaining: items.length, finalizers };
    if (finalizers.size) return { estimate: FINALIZER_ESTIMATE_SECONDS, numRemaining: items.length, finalizers };
    throw Object.assign(new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}`), {
      partial: { estimate, numRemaining: items.length, finalizers },
    });
  }

  private async estimateGracefulTermination(r: ApiResource, namespace: string, deletedAt: number): Promise<number> {
    if (r.group !== '' || r.resource !== 'pods') return 0;
    let estimate = 0;
    const pods = ((await this.client.list(R.pods, namespace)).items ?? []) as Obj[];
    for (const p of pods) {
      const phase = (p.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = (p.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    return this.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }

  private supported(op: string, r: ApiResource): boolean {
    return r.verbs.includes(op) && !this.notSupported.has(`${op} ${gvrString(r)}`);
  }

  /** True when the collection delete was supported (and done). */
  private async deleteCollection(r: ApiResource, namespace: string): Promise<boolean> {
    if (!this.supported('deletecollection', r)) return false;
    try {
      await this.client.call({ method: 'DELETE', path: this.client.path(r, namespace), body: BACKGROUND });
      return true;
    } catch (e) {
      if (!unsupported(e)) throw e;
      this.notSupported.add(`deletecollection ${gvrString(r)}`);
      return false;
    }
  }

  /** The items, or undefined when listing is not supported. */
  private async listCollection(r: ApiResource, namespace: string): Promise<Obj[] | undefined> {
    if (!this.supported('list', r)) return undefined;
    try {
      return ((await this.client.list(r, namespace)).items ?? []) as Obj[];
    } catch (e) {
      if (!unsupported(e)) throw e;
      this.notSupported.add(`list ${gvrString(r)}`);
      return undefined;
    }
  }

  private async deleteEachItem(r: ApiResource, namespace: string): Promise<void> {
    const items = await this.listCollection(r, namespace);
    for (const item of items ?? []) {
      try {
        await this.client.delete(r, namespace, String(item.metadata?.name), { propagationPolicy: 'Background' });
      } catch (e) {
        if (!unsupported(e)) throw e;
      }
    }
  }
}

function specFinalizers(ns: Obj): string[] {
  return ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).slice();
}
