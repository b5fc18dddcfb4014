/**
 * Whether a cluster event may make a parked pod schedulable (upstream PriorityQueue.isPodWorthRequeuing).
 *
 * Contract:
 * - A pod no plugin rejected (empty unschedulablePlugins and pendingPlugins: it failed for another reason, e.g. an API
 *   error) is always worth requeuing, after its backoff.
 * - A wildcard event requeues every pod after backoff, except that a wildcard event carrying a `newObj` is meant for
 *   that one pod only (matched by UID); other pods skip it.
 * - Otherwise each rejector plugin's hint is asked (`eventHint`, undefined = the plugin did not register the event; a
 *   throwing hint counts as Queue). Queue from a pending plugin = requeue immediately (skip backoff); Queue from an
 *   unschedulable plugin = requeue after backoff; no Queue at all = skip (stay in unschedulablePods).
 */
import type { ClusterEvent, QueuedPodInfo } from '../framework';
import { isWildCard } from './events';
import { podUid } from './keys';
import type { EventHintFn } from './queueing-hints';

export type QueueingStrategy = 'skip' | 'afterBackoff' | 'immediately';

export function podWorthRequeuing(qpi: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown, eventHint: EventHintFn): QueueingStrategy {
  const pending = qpi.pendingPlugins;
  if (qpi.unschedulablePlugins.size === 0 && pending.size === 0) return 'afterBackoff';
  const pod = qpi.podInfo.pod;

  if (isWildCard(event)) {
    if (newObj !== undefined && newObj !== null) {
      const uid = (newObj as { metadata?: { uid?: unknown } }).metadata?.uid;
      if (uid === undefined || String(uid) !== podUid(pod)) return 'skip';
    }
    return 'afterBackoff';
  }

  let strategy: QueueingStrategy = 'skip';
  const rejectors = pending.size === 0 ? qpi.unschedulablePlugins : new Set([...qpi.unschedulablePlugins, ...pending]);
  for (const plugin of rejectors) {
    let hint;
    try {
      hint = eventHint(plugin, event, pod, oldObj, newObj);
    } catch {
      hint = 'Queue';
    }
    if (hint !== 'Queue') continue;
    if (pending.has(plugin)) return 'immediately';
    if (pending.size === 0) return 'afterBackoff';
    strategy = 'afterBackoff';
  }
  return strategy;
}
