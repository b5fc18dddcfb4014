/**
 * Coalescing of queued panel actions, so that a burst of informer notifications (thousands per 100 ms) costs the
 * reducer one copy of each map instead of one per notification. The result, applied in order, holds the same
 * objects as the input applied one by one:
 * - between two barriers, all `events` actions become one (their upserts concatenated, in order; the reducer then
 *   appends the whole burst in last-seen order, where one by one it would have sorted each action on its own), even
 *   when other types come between them (each type has its own map);
 * - likewise all `pods` (or `deployments`, or `replicaSets`) actions become one holding each object's last change
 *   (an upsert, or a delete);
 * - `reset`, `setFilters` and `setPaused` are barriers: nothing is merged across them.
 */
import type { KubeObject } from '../../api/object';
import type { PanelAction } from './reducer';
import { objectKey } from './records';

type KeyedType = 'pods' | 'deployments' | 'replicaSets';

function isKeyed(a: PanelAction): a is Extract<PanelAction, { type: KeyedType }> {
  return a.type === 'pods' || a.type === 'deployments' || a.type === 'replicaSets';
}

function keyed(type: KeyedType, last: Map<string, { obj: KubeObject; deleted: boolean }>): PanelAction {
  const upserts: KubeObject[] = [];
  const deletes: KubeObject[] = [];
  for (const { obj, deleted } of last.values()) (deleted ? deletes : upserts).push(obj);
  return { type, upserts, deletes };
}

export function compactActions(actions: readonly PanelAction[]): PanelAction[] {
  const out: PanelAction[] = [];
  let events: KubeObject[] | undefined;
  const lasts = new Map<KeyedType, Map<string, { obj: KubeObject; deleted: boolean }>>();
  // The data actions between two barriers: each type touches only its own map, so merging across types (not only
  // consecutive runs) gives the same state — and interleaved pods/events notifications cost one copy per map.
  const flush = () => {
    if (events) out.push({ type: 'events', upserts: events });
    for (const [type, last] of lasts) out.push(keyed(type, last));
    events = undefined;
    lasts.clear();
  };
  for (const a of actions) {
    if (a.type === 'events') {
      (events ??= []).push(...a.upserts);
    } else if (isKeyed(a)) {
      let last = lasts.get(a.type);
      if (!last) lasts.set(a.type, (last = new Map()));
      for (const o of a.upserts ?? []) {
        const k = objectKey(o);
        last.delete(k);
        last.set(k, { obj: o, deleted: false });
      }
      for (const o of a.deletes ?? []) {
        const k = objectKey(o);
        last.delete(k);
        last.set(k, { obj: o, deleted: true });
      }
    } else {
      flush();
      out.push(a);
    }
  }
  flush();
  return out;
}
