/**
 * Builds the queue's `eventHint` and `isEventOfInterest` callbacks from a profile's plugins (upstream
 * buildQueueingHintMap + isEventOfInterest), for the scheduler to pass to SchedulingQueue.
 *
 * Contract:
 * - A plugin that implements EnqueueExtensions registers its `eventsToRegister()`; one that does not is interested in
 *   every event with hint Queue (upstream registers all events with the default hint for it).
 * - `eventHint(plugin, event, pod, old, new)`: undefined when none of the plugin's registrations matches the event;
 *   otherwise Queue when any matching registration's hint says Queue (no hint function = Queue; a hint that throws =
 *   Queue, as upstream treats a hint error), else QueueSkip. A plugin name it does not know gets Queue (never strand
 *   a pod on an unknown rejector).
 * - `isEventOfInterest(event)`: the wildcard, or some registration matches it.
 */
import type { ClusterEvent, ClusterEventWithHint, Plugin, Pod, QueueingHint } from '../framework';
import { eventMatches, isWildCard } from './events';

export type EventHintFn = (pluginName: string, event: ClusterEvent, pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint | undefined;

export interface QueueingHints {
  eventHint: EventHintFn;
  isEventOfInterest: (event: ClusterEvent) => boolean;
}

function registrations(p: Plugin): readonly ClusterEventWithHint[] | 'all' {
  const ext = p as Partial<{ eventsToRegister(): ClusterEventWithHint[] }>;
  return typeof ext.eventsToRegister === 'function' ? ext.eventsToRegister() : 'all';
}

export function queueingHintsFor(plugins: Iterable<Plugin>): QueueingHints {
  const byPlugin = new Map<string, readonly ClusterEventWithHint[] | 'all'>();
  for (const p of plugins) byPlugin.set(p.name, registrations(p));
  const all = [...byPlugin.values()];

  const eventHint: EventHintFn = (pluginName, event, pod, oldObj, newObj) => {
    const regs = byPlugin.get(pluginName);
    if (regs === undefined || regs === 'all') return 'Queue';
    let matched = false;
    for (const r of regs) {
      if (!eventMatches(r.event, event)) continue;
      matched = true;
      let hint: QueueingHint = 'Queue';
      try {
        if (r.hint) hint = r.hint(pod, oldObj, newObj);
      } catch {
        hint = 'Queue';
      }
      if (hint === 'Queue') return 'Queue';
    }
    return matched ? 'QueueSkip' : undefined;
  };

  const isEventOfInterest = (event: ClusterEvent) =>
    isWildCard(event) || all.some((regs) => regs === 'all' || regs.some((r) => eventMatches(r.event, event)));

  return { eventHint, isEventOfInterest };
}
