/**
 * The ResourceQuota controller (upstream pkg/controller/resourcequota): keeps each quota's status true — `hard`
 * mirrors spec.hard, `used` is recomputed from scratch (CalculateUsage over the namespace's objects of every resource
 * the quota tracks, within its scopes). Admission charges creates as they happen; this controller gives new quotas
 * their first status (quotas missing usage go first, as upstream's missingUsageQueue), releases what deleted or
 * finished objects held (replenishment: deletes, pods turning terminal, usage-changing updates enqueue every quota of
 * the namespace), and resyncs all quotas every 5 minutes on the clock. Informers for tracked resources are started
 * on first use (object counts `count/<resource>.<group>` of any built-in or custom resource); a quota whose
 * informers have not synced yet is synced again once they have.
 */
import { builtinResources } from '../../api/resources';
import { formatResourceList, listsEqual, parseResourceList } from '../../api/quantity-math';
import { computeQuotaUsage, evaluatorFor, measurableNames, trackedResources, type QuotaObject } from '../../apiserver/admission/resource-quota';
import type { CachedObject, Lister, ResourceRef, SharedInformer } from '../../client/informers';
import { deletedObject, NAMESPACE_INDEX, splitKey } from '../../client/informers';
import { isConflict, isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import type { ControllerFactory } from '../manager';

export const QUOTA_RESYNC_MS = 5 * 60_000;

type Tracked = { group: string; resource: string };

export class ResourceQuotaController extends QueueController {
  private readonly quotas: Lister;
  private readonly client: ApiClient;
  private readonly monitors = new Map<string, SharedInformer>();
  private readonly versions = new Map<string, string>(builtinResources().reverse().map((r) => [`${r.group}/${r.resource}`, r.version]));

  constructor(private readonly ctx: ControllerContext) {
    super({ name: 'resourcequota', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor('resourcequota-controller');
    this.quotas = ctx.informers.listerFor(R.resourcequotas);
    ctx.informers.informerFor(R.resourcequotas).addEventHandler(
      {
        onAdd: (q) => this.enqueue(q),
        onUpdate: (old, cur) => {
          // A resync (the same object twice) recomputes every quota; our own status writes come back as updates:
          // only spec changes or missing usage need a sync then.
          if (old === cur || JSON.stringify(old.spec) !== JSON.stringify(cur.spec) || needsUsage(cur)) this.enqueue(cur);
        },
      },
      QUOTA_RESYNC_MS,
    );
  }

  private refOf(t: Tracked): Promise<ResourceRef | undefined> | ResourceRef | undefined {
    const v = this.versions.get(`${t.group}/${t.resource}`);
    if (v) return { ...t, version: v };
    if (!t.group) return undefined;
    return this.client.call({ method: 'GET', path: `/apis/${t.group}` }).then(
      (g) => {
        const version = (g.preferredVersion as { version?: string } | undefined)?.version;
        if (!version) return undefined;
        this.versions.set(`${t.group}/${t.resource}`, version);
        return { ...t, version };
      },
      () => undefined,
    );
  }

  /** The informer of a tracked resource, started (with replenishment handlers) on first use. */
  private async monitor(t: Tracked): Promise<SharedInformer | undefined> {
    const key = `${t.group}/${t.resource}`;
    const existing = this.monitors.get(key);
    if (existing) return existing;
    const ref = await this.refOf(t);
    if (!ref || this.monitors.has(key)) return this.monitors.get(key);
    const inf = this.ctx.informers.informerFor(ref);
    const evaluator = evaluatorFor(t.group, t.resource);
    const replenish = (o: CachedObject) => this.enqueueNamespace(String(o.metadata?.namespace ?? ''));
    inf.addEventHandler({
      onUpdate: (old, cur) => {
        if (!evaluator) return;
        const now = new Date(this.clock.now());
        if (!listsEqual(evaluator.usage(old as never, now), evaluator.usage(cur as never, now))) replenish(cur);
      },
      onDelete: (o) => replenish(deletedObject(o)),
    });
    inf.run();
    this.monitors.set(key, inf);
    return inf;
  }

  private enqueueNamespace(ns: string): void {
    for (const q of this.quotas.list(ns)) this.enqueue(q);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace: ns, name } = splitKey(key);
    const quota = this.quotas.get(ns, name);
    if (!quota) return;
    const hard = ((quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {}) as Record<string, string>;
    const names = measurableNames(Object.keys(hard));
    const objects: QuotaObject[] = [];
    for (const t of trackedResources(names)) {
      const inf = await this.monitor(t);
      if (!inf) continue;
      if (!inf.hasSynced()) {
        // Look again once its cache is filled.
        inf.waitForSync().then(
          () => this.enqueueKey(key),
          () => undefined,
        );
        return;
      }
      for (const o of inf.indexer.byIndex(NAMESPACE_INDEX, ns)) objects.push({ group: t.group, resource: t.resource, object: o as never });
    }
    const used = computeQuotaUsage(quota as never, objects, new Date(this.clock.now()));
    const status = (quota.status ?? {}) as { hard?: Record<string, string>; used?: Record<string, string> };
    if (JSON.stringify(sorted(status.hard)) === JSON.stringify(sorted(hard)) && status.used && listsEqual(parseResourceList(status.used), used)) return;
    const body = { ...structuredClone(quota), status: { hard: { ...hard }, used: formatResourceList(used) } } as Record<string, unknown>;
    try {
      await this.client.updateStatus(R.resourcequotas, ns, body);
    } catch (e) {
      // Changed meanwhile (admission charged it): the update event brings the key back when usage is missing;
      // otherwise recompute now against the newer object.
      if (isConflict(e)) {
        this.enqueueKey(key);
        return;
      }
      if (!isNotFound(e)) throw e;
    }
  }
}

function sorted(m: Record<string, string> | undefined): [string, string][] {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** status.hard differs from spec.hard, or a hard name has no recorded usage. */
function needsUsage(q: CachedObject): boolean {
  const hard = (q.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {};
  const status = (q.status ?? {}) as { hard?: Record<string, string>; used?: Record<string, string> };
  if (JSON.stringify(sorted(status.hard)) !== JSON.stringify(sorted(hard))) return true;
  return Object.keys(hard).some((n) => status.used?.[n] === undefined);
}

export const resourceQuotaControllerFactory: ControllerFactory = {
  name: 'resourcequota',
  workers: 5,
  build: (ctx) => new ResourceQuotaController(ctx),
};
