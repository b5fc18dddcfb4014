/**
 * The garbage collector (upstream garbagecollector.go): discovers every resource that supports delete, list and
 * watch (events excepted), keeps monitors and the dependency graph on them, re-discovers every 30 s (clock-driven:
 * new CRDs get monitors, the REST mapper is reset when the set changes), and runs two work queues keyed by uid:
 * - attemptToDelete: verifies a node with the API server (404 / other uid → a virtual delete event for the graph);
 *   for an owner in foreground deletion, removes `foregroundDeletion` once no blocking dependent is left; otherwise
 *   classifies the live object's owners (solid / dangling / waiting for dependents' deletion, each owner checked by a
 *   live GET and uid) and deletes the object (Background, or the policy its own finalizers ask for; Foreground when
 *   an owner waits and the object has dependents), or removes dangling/waiting references when a solid owner stays;
 * - attemptToOrphan: removes the owner's reference from every dependent, then the `orphan` finalizer.
 * Workers start once every monitor has listed once. `idle()` waits for startup and both queues.
 */
import type { Clock, TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { EventRecorder } from '../../client/events';
import { isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import type { RunnableController } from '../framework/context';
import { QueueController } from '../framework/controller';
import { discover, resourceKey, RestMapper, supportsAll, type ApiResource } from './discovery';
import { GraphBuilder, FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from './graph-builder';
import { ownerIdentity, refString, type GraphNode, type OwnerRef } from './graph';
import { Monitors } from './monitors';
import { GcOperations } from './operations';

export const GC_SYNC_PERIOD_MS = 30_000;
/** Resources the GC never watches (upstream DefaultIgnoredResources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

class VirtualDeleteEnqueued extends Error {}
class NamespacedOwnerOfClusterScopedObject extends Error {}
class NotObservedYet extends Error {}

class FnQueue extends QueueController {
  constructor(name: string, logger: Logger, clock: Clock, private readonly fn: (key: string) => Promise<void>) {
    super({ name, logger, clock });
  }
  protected sync(key: string): Promise<void> {
    return this.fn(key);
  }
}

/** The resources the GC monitors, from a discovery result (upstream GetDeletableResources). */
export function deletableResources(all: readonly ApiResource[]): ApiResource[] {
  return all.filter((r) => supportsAll(r, ['delete', 'list', 'watch']) && !IGNORED.has(`${r.group}/${r.resource}`));
}

export interface GarbageCollectorOptions {
  client: ApiClient;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
  syncPeriodMs?: number;
}

export class GarbageCollector implements RunnableController {
  readonly name = 'garbage-collector';
  readonly graph: GraphBuilder;
  private readonly monitors: Monitors;
  private readonly ops: GcOperations;
  private mapper = new RestMapper();
  private readonly deleteQueue: FnQueue;
  private readonly orphanQueue: FnQueue;
  private startup: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private lastResources = '';

  constructor(private readonly o: GarbageCollectorOptions) {
    this.deleteQueue = new FnQueue('garbage_collector_attempt_to_delete', o.logger, o.clock, (uid) => this.attemptToDeleteWorker(uid));
    this.orphanQueue = new FnQueue('garbage_collector_attempt_to_orphan', o.logger, o.clock, (uid) => this.attemptToOrphanWorker(uid));
    this.graph = new GraphBuilder({
      attemptToDelete: (uid) => this.deleteQueue.enqueueKey(uid),
      attemptToOrphan: (uid) => this.orphanQueue.enqueueKey(uid),
      recorder: o.recorder,
    });
    this.monitors = new Monitors({ transport: o.client.transport, clock: o.clock, logger: o.logger, onChange: (c) => this.graph.enqueue(c) });
    this.ops = new GcOperations(o.client, () => this.mapper);
  }

  run(workers: number): void {
    this.startup ??= this.start(workers);
  }

  /** Resolves once the monitors have synced and the workers run. */
  ready(): Promise<void> {
    return this.startup ?? Promise.resolve();
  }

  /** `group/version/resource` of every monitored resource (status, tests). */
  monitoredResources(): string[] {
    return this.monitors.resources().map(resourceKey).sort();
  }

  async idle(): Promise<void> {
    await this.ready();
    await Promise.all([this.deleteQueue.idle(), this.orphanQueue.idle()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.monitors.stop();
    await Promise.all([this.deleteQueue.stop(), this.orphanQueue.stop()]);
  }

  private async start(workers: number): Promise<void> {
    await this.resync(true);
    if (this.stopped) return;
    this.deleteQueue.run(workers);
    this.orphanQueue.run(workers);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => void this.resync(false).finally(() => this.schedule()), this.o.syncPeriodMs ?? GC_SYNC_PERIOD_MS);
  }

  /** Re-discovers; when the deletable set changed, resets the mapper and the monitors (upstream gc.Sync). */
  private async resync(initial: boolean): Promise<void> {
    let d;
    try {
      d = await discover(this.o.client);
    } catch (e) {
      this.o.logger.warn(`failed to discover resources: ${(e as Error).message}`);
      return;
    }
    if (this.stopped) return;
    const wanted = deletableResources(d.preferred);
    if (d.failed.size) {
      // Keep synced monitors of groups whose discovery failed (upstream's partial-discovery rule).
      const have = new Set(wanted.map(resourceKey));
      for (const r of this.monitors.resources()) {
        const gv = r.group ? `${r.group}/${r.version}` : r.version;
        if (d.failed.has(gv) && this.monitors.isSynced(r) && !have.has(resourceKey(r))) wanted.push(r);
      }
    }
    const key = wanted.map(resourceKey).sort().join(',');
    if (!initial && key === this.lastResources) return;
    this.lastResources = key;
    this.mapper = new RestMapper(d.all);
    const { added, removed } = this.monitors.resync(wanted);
    if (!initial) this.o.logger.info(`synced garbage collector monitors with discovery: ${added} added, ${removed} removed`);
    await this.monitors.waitForSync();
  }

  // ---- attemptToDelete ----

  private async attemptToDeleteWorker(uid: string): Promise<void> {
    const n = this.graph.uidToNode.get(uid);
    if (!n) return;
    try {
      await this.attemptToDeleteItem(n);
    } catch (e) {
      if (e instanceof VirtualDeleteEnqueued || e instanceof NamespacedOwnerOfClusterScopedObject) return;
      throw e;
    }
    if (!n.observed) throw new NotObservedYet(`item ${refString(n.identity)} hasn't been observed via informer yet`);
  }

  private async live(item: GraphNode): Promise<Obj> {
    let latest: Obj;
    try {
      latest = await this.ops.getObject(item.identity);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.graph.enqueueVirtualDelete(item.identity);
      throw new VirtualDeleteEnqueued();
    }
    if (latest.metadata?.uid !== item.identity.uid) {
      this.graph.enqueueVirtualDelete(item.identity);
      throw new VirtualDeleteEnqueued();
    }
    return latest;
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<void> {
    if (item.beingDeleted && !item.deletingDependents) return;
    const latest = await this.live(item);
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);
    const owners = (latest.metadata?.ownerReferences ?? []) as OwnerRef[];
    if (!owners.length) return;
    const { solid, dangling, waiting } = await this.classifyReferences(item, owners);
    const rv = String(latest.metadata?.resourceVersion ?? '');
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      await this.ops.deleteOwnerRefs(item.identity, [...dangling, ...waiting].map((o) => o.uid));
      return;
    }
    if (waiting.length && item.dependents.size) {
      for (const dep of item.dependents) {
        if (!dep.deletingDependents) continue;
        // Possible cycle: make this item's references non-blocking before deleting it in the foreground.
        await this.ops.unblockOwnerRefs(item.identity, owners);
        break;
      }
      await this.deleteItem(item, rv, owners, 'Foreground');
      return;
    }
    const finalizers = (latest.metadata?.finalizers ?? []) as string[];
    const policy = finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : finalizers.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    this.o.logger.debug(`deleting ${refString(item.identity)} with propagation ${policy}`);
    await this.deleteItem(item, rv, owners, policy);
  }

  /** Deletes the item; a 404 means it is gone: a virtual delete event tells the graph. */
  private async deleteItem(item: GraphNode, rv: string, owners: readonly OwnerRef[], policy: 'Orphan' | 'Background' | 'Foreground'): Promise<void> {
    try {
      await this.ops.deleteObject(item.identity, rv, owners, policy);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.graph.enqueueVirtualDelete(item.identity);
      throw new VirtualDeleteEnqueued();
    }
  }

  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (!blocking.length) {
      await this.ops.removeFinalizer(item.identity, FINALIZER_FOREGROUND);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.deleteQueue.enqueueKey(dep.identity.uid);
  }

  private async classifyReferences(item: GraphNode, refs: readonly OwnerRef[]): Promise<{ solid: OwnerRef[]; dangling: OwnerRef[]; waiting: OwnerRef[] }> {
    const solid: OwnerRef[] = [];
    const dangling: OwnerRef[] = [];
    const waiting: OwnerRef[] = [];
    for (const ref of refs) {
      const owner = await this.isDangling(ref, item);
      if (!owner) dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && ((owner.metadata.finalizers ?? []) as string[]).includes(FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** The live owner, or undefined when it is verified absent (404 or another uid; remembered). */
  private async isDangling(ref: OwnerRef, item: GraphNode): Promise<Obj | undefined> {
    const key = ownerIdentity(ref, '');
    if (this.graph.absentOwnerCache.has(key)) return undefined;
    key.namespace = item.identity.namespace;
    if (this.graph.absentOwnerCache.has(key)) return undefined;
    const { ref: resource, namespaced } = this.ops.apiResource(ref.apiVersion, ref.kind);
    if (!namespaced) key.namespace = '';
    if (item.identity.namespace === '' && namespaced) {
      this.o.logger.debug(`item ${refString(item.identity)} is cluster-scoped, but refers to a namespaced owner of type ${ref.apiVersion}/${ref.kind}`);
      throw new NamespacedOwnerOfClusterScopedObject();
    }
    let owner: Obj;
    try {
      owner = await this.o.client.get(resource, namespaced ? item.identity.namespace : '', ref.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.graph.absentOwnerCache.add(key);
      return undefined;
    }
    if (owner.metadata?.uid !== ref.uid) {
      this.graph.absentOwnerCache.add(key);
      return undefined;
    }
    return owner;
  }

  // ---- attemptToOrphan ----

  private async attemptToOrphanWorker(uid: string): Promise<void> {
    const owner = this.graph.uidToNode.get(uid);
    if (!owner) return;
    const errors: string[] = [];
    await Promise.all(
      [...owner.dependents].map(async (dep) => {
        try {
          await this.ops.deleteOwnerRefs(dep.identity, [owner.identity.uid]);
        } catch (e) {
          if (!isNotFound(e)) errors.push(`orphaning ${refString(dep.identity)} failed, ${(e as Error).message}`);
        }
      }),
    );
    if (errors.length) {
      const agg = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
      throw new Error(`orphanDependents for ${refString(owner.identity)} failed with failed to orphan dependents of owner ${refString(owner.identity)}, got errors: ${agg}`);
    }
    await this.ops.removeFinalizer(owner.identity, FINALIZER_ORPHAN);
  }
}
