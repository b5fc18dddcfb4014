/** Shared setup for the scheduling queue tests: PrioritySort's less, fake plugins with hints, a queue on a FakeClock. */
import { FakeClock } from '../../../../src/base/clock';
import { Status, type ClusterEvent, type ClusterEventWithHint, type Plugin, type Pod, type QueuedPodInfo, type QueueingHint } from '../../../../src/scheduler/framework';
import { queueingHintsFor, SchedulingQueue, type SchedulingQueueOptions } from '../../../../src/scheduler/queue';

export function priorityOf(pod: Pod): number {
  return Number((pod.spec as { priority?: number } | undefined)?.priority ?? 0);
}

/** Upstream PrioritySort.Less: higher priority first, then the earlier queue timestamp. */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = priorityOf(a.podInfo.pod);
  const pb = priorityOf(b.podInfo.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

/** A plugin registering `events`; `hint` a fixed answer or a function. */
export function fakePlugin(name: string, events: { event: ClusterEvent; hint?: QueueingHint | ((pod: Pod, o: unknown, n: unknown) => QueueingHint) }[]): Plugin {
  const regs: ClusterEventWithHint[] = events.map(({ event, hint }) => ({
    event,
    ...(hint === undefined ? {} : { hint: typeof hint === 'function' ? hint : () => hint }),
  }));
  return { name, eventsToRegister: () => regs } as Plugin;
}

/** PreEnqueue as the SchedulingGates plugin does it: Pending while spec.schedulingGates is non-empty. */
export function schedulingGatesPreEnqueue(pod: Pod): Status {
  const gates = (pod.spec as { schedulingGates?: { name: string }[] } | undefined)?.schedulingGates ?? [];
  if (gates.length === 0) return Status.success();
  return new Status('UnschedulableAndUnresolvable', [`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`]).withPlugin('SchedulingGates');
}

export interface Setup {
  clock: FakeClock;
  q: SchedulingQueue;
}

export function newQueue(o: Partial<SchedulingQueueOptions> & { plugins?: Plugin[] } = {}): Setup {
  const clock = new FakeClock();
  const hints = queueingHintsFor(o.plugins ?? []);
  const q = new SchedulingQueue({
    clock,
    lessFn: prioritySortLess,
    preEnqueue: () => Status.success(),
    eventHint: hints.eventHint,
    ...o,
  });
  return { clock, q };
}

/** Pops a pod that must be there right now. */
export async function popNow(q: SchedulingQueue): Promise<QueuedPodInfo> {
  if (q.pendingPods().active === 0) throw new Error('nothing to pop');
  const r = await q.pop();
  if (!r) throw new Error('queue closed');
  return r;
}

export function nameOf(qpi: QueuedPodInfo | undefined): string | undefined {
  return qpi?.podInfo.pod.metadata?.name;
}

/** Pops the pod, marks it rejected by `plugins` and hands it back as a failed attempt of its cycle. */
export async function failAttempt(q: SchedulingQueue, plugins: string[] = ['fooPlugin']): Promise<QueuedPodInfo> {
  const qpi = await popNow(q);
  const cycle = q.schedulingCycle();
  for (const p of plugins) qpi.unschedulablePlugins.add(p);
  const err = q.addUnschedulableIfNotPresent(qpi, cycle);
  if (err) throw err;
  return qpi;
}

export function withStatus(pod: Pod, status: Record<string, unknown>): Pod {
  return Object.freeze({ ...pod, status: { ...(pod.status as object), ...status } });
}

export function withSpec(pod: Pod, spec: Record<string, unknown>): Pod {
  return Object.freeze({ ...pod, metadata: { ...pod.metadata, resourceVersion: String(Math.random()) }, spec: { ...(pod.spec as object), ...spec } });
}

export function withLabels(pod: Pod, labels: Record<string, string>): Pod {
  return Object.freeze({ ...pod, metadata: { ...pod.metadata, labels } });
}
