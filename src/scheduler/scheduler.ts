/**
 * kube-scheduler in process: `startScheduler` builds one Framework per profile (the configuration's, or upstream's
 * default profile limited to the plugins the registry has), the cache, the scheduling queue and the informer
 * handlers under the scheduler's own identity (system:kube-scheduler), waits for the informers' caches, then runs
 * one scheduling loop (scheduleOne after scheduleOne; binding cycles continue in the background).
 * `idle()` resolves when no pod is active in the queue, no cycle is running and every binding, status patch and
 * event queued so far is written (pods backing off or parked unschedulable do not count). `close()` stops the loop,
 * waits for in-flight work, stops informers, recorders and the transport. `lastDecision(uid)` is the explanation of
 * the pod's last scheduling decision (also written as the scheduler.kubelab.dev/* pod annotations).
 */
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse, UserInfo } from '../apiserver/request';
import { EventBroadcaster, type EventRecorder } from '../client/events';
import { dropManagedFields, SharedInformerFactory } from '../client/informers';
import { InProcessTransport } from '../client/in-process';
import type { Transport } from '../client/transport';
import { ApiClient } from '../controllers/framework/api-client';
import { R } from '../controllers/framework/resources';
import { SchedulerCache } from './cache/cache';
import { CacheSnapshot } from './cache/cache-snapshot';
import type { SchedulerConfig } from './config';
import { schedulerNameOf, TaskTracker, type Core } from './core';
import { addAllEventHandlers } from './event-handlers';
import { Status, type PluginFactory, type PodNominator } from './framework';
import { queueingHintsFor, SchedulingQueue } from './queue';
import { DecisionStore, type Explanation } from './runtime/explain';
import { NodeSearch } from './runtime/find-nodes';
import { Framework } from './runtime/framework';
import { defaultProfile, type ProfileConfig } from './runtime/profile';
import { inTreeRegistry } from './registry';
import { scheduleOne } from './schedule-one';

export const SCHEDULER_USER: UserInfo = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };
const USER_AGENT = 'kube-scheduler/v1.32.0 (linux/amd64) kubernetes/kubelab';

export interface StartSchedulerOptions {
  /** The API server's handler chain in this process (the scheduler calls it as system:kube-scheduler)… */
  handle?: (req: ApiRequest) => Promise<ApiResponse>;
  /** …or a transport that already authenticates as the scheduler (HTTPS from a process of its own). */
  transport?: Transport;
  config?: SchedulerConfig;
  clock?: Clock;
  logger: Logger;
  /** Plugin factories by name (default: the in-tree registry, registry.ts). */
  registry?: ReadonlyMap<string, PluginFactory>;
  /** Ours: tie-breaking among equal scores (tests pin it). */
  rand?: (n: number) => number;
  /** Ours: record explanations and write them as annotations (default true). */
  explain?: boolean;
  /** Expiry of assumed pods after their binding finished (upstream durationToExpireAssumedPod; default 0 = never). */
  assumedPodTtlMs?: number;
}

export interface RunningScheduler {
  idle(): Promise<void>;
  close(): Promise<void>;
  lastDecision(podUid: string): Explanation | undefined;
  /** Counts of pods per queue (status, tests). */
  pendingPods(): { active: number; backoff: number; unschedulable: number };
  readonly cache: SchedulerCache;
}

const tick = () => new Promise<void>((r) => setImmediate(r));
/** Longest run of scheduling cycles without a turn of the event loop (ms). */
const SLICE_MS = 5;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startScheduler(o: StartSchedulerOptions): Promise<RunningScheduler> {
  const clock = o.clock ?? systemClock;
  const logger = o.logger;
  const registry = o.registry ?? inTreeRegistry();
  if (!o.handle === !o.transport) throw new Error('startScheduler: give either handle or transport');
  const transport = o.transport ?? new InProcessTransport({ handle: o.handle!, user: SCHEDULER_USER, userAgent: USER_AGENT });
  const client = new ApiClient(transport);
  // As kube-scheduler does, informers drop managedFields — over a transport of its own, where the objects are this
  // process's; in process they are the API server's shared copies, which a trimmed copy would only add to.
  const informers = new SharedInformerFactory({ transport, logger: logger.child('informers'), clock, transform: o.transport ? dropManagedFields : undefined });
  const broadcaster = new EventBroadcaster({ transport, logger: logger.child('events'), clock });
  const recorders: EventRecorder[] = [];
  const podLister = informers.listerFor(R.pods);
  const namespaces = informers.listerFor(R.namespaces);
  const snapshot = new CacheSnapshot();
  const cache = new SchedulerCache({ clock, logger: logger.child('cache'), ttlMs: o.assumedPodTtlMs ?? 0 });
  // The queue is built after the frameworks (it needs their QueueSort and hints); plugins reach it only later.
  const nominator: PodNominator = { nominatedPodsForNode: (n) => queue.nominatedPodsForNode(n) };

  const profiles: ProfileConfig[] = o.config ? o.config.profiles : [limitToRegistry(defaultProfile(), registry, logger)];
  const frameworks = new Map<string, Framework>();
  for (const profile of profiles) {
    const name = profile.schedulerName ?? 'default-scheduler';
    if (frameworks.has(name)) throw new Error(`duplicate profile with scheduler name "${name}"`);
    const recorder = broadcaster.newRecorder({ component: name });
    recorders.push(recorder);
    frameworks.set(name, new Framework({ registry, profile, snapshot: () => snapshot, client, informers, namespaces, recorder, clock, logger: logger.child(name), nominator }));
  }
  const first = frameworks.values().next().value!;
  const hints = queueingHintsFor([...frameworks.values()].flatMap((f) => f.enqueuePlugins()));
  const queue = new SchedulingQueue({
    clock,
    lessFn: (a, b) => first.queueSortPlugin.less(a, b),
    preEnqueue: (pod) => frameworks.get(schedulerNameOf(pod))?.runPreEnqueuePlugins(pod) ?? Status.success(),
    eventHint: hints.eventHint,
    isEventOfInterest: hints.isEventOfInterest,
    podInitialBackoffMs: (o.config?.podInitialBackoffSeconds ?? 1) * 1000,
    podMaxBackoffMs: (o.config?.podMaxBackoffSeconds ?? 10) * 1000,
    namespaceLabels: (ns) => namespaces.get('', ns)?.metadata?.labels as Record<string, string> | undefined,
    getPod: (ns, name) => podLister.get(ns, name),
  });
  const core: Core = {
    cache,
    snapshot,
    queue,
    frameworks,
    search: new NodeSearch(o.config?.percentageOfNodesToScore),
    decisions: new DecisionStore(),
    podLister,
    client,
    clock,
    logger,
    tasks: new TaskTracker(),
    rand: o.rand,
    explain: o.explain ?? true,
  };
  addAllEventHandlers(core, informers, frameworks);
  const shutdown = () => {
    queue.close();
    cache.close();
    informers.stop();
    broadcaster.close();
    transport.close();
  };
  try {
    informers.start();
    await informers.waitForCacheSync();
  } catch (e) {
    shutdown();
    throw e;
  }
  cache.run();
  let closed = false;
  const loop = (async () => {
    let sliceStart = performance.now();
    while (!closed) {
      try {
        if (!(await scheduleOne(core))) break;
        // scheduleOne never waits while pods are queued; give the event loop (binding requests and their answers,
        // informer events) a turn every few milliseconds, as kube-scheduler's binding goroutines run beside it.
        if (performance.now() - sliceStart >= SLICE_MS) {
          await tick();
          sliceStart = performance.now();
        }
      } catch (e) {
        logger.error(`scheduleOne failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  })();
  const quiet = () => queue.pendingPods().active === 0 && core.tasks.size === 0 && !core.cycling;
  return {
    cache,
    pendingPods: () => queue.pendingPods(),
    lastDecision: (uid) => core.decisions.get(uid),
    async idle() {
      for (;;) {
        await core.tasks.drain();
        await Promise.all(recorders.map((r) => r.flush()));
        await tick();
        if (quiet()) {
          await sleep(1);
          if (quiet()) return;
        } else await sleep(2);
      }
    },
    async close() {
      closed = true;
      queue.close();
      await loop;
      await core.tasks.drain();
      await Promise.all(recorders.map((r) => r.flush()));
      shutdown();
    },
  };
}

/** The default profile without the plugins the registry lacks (logged), so a partial registry still schedules. */
function limitToRegistry(p: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, logger: Logger): ProfileConfig {
  const multi = p.plugins?.multiPoint?.enabled ?? [];
  const missing = multi.filter((x) => !registry.has(x.name)).map((x) => x.name);
  if (missing.length) logger.warn(`default profile: plugins not in the registry left out: ${missing.join(', ')}`);
  return { ...p, plugins: { multiPoint: { enabled: multi.filter((x) => registry.has(x.name)) } } };
}
