/**
 * Coalescing of queued panel actions, so that a burst of informer notifications (thousands per 100 ms) costs the
 * reducer one copy of each map instead of one per notification. The result, applied in order, holds the same
 * objects as the input applied one by one:
 * - consecutive `events` actions become one (their upserts concatenated, in order; the reducer then appends the
 *   whole burst in last-seen order, where one by one it would have sorted each action on its own);
 * - consecutive `pods` (or `deployments`, or `replicaSets`) actions become one holding each object's last change
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
  let i = 0;
  while (i < actions.length) {
    const a = actions[i]!;
    if (a.type === 'events') {
      const upserts: KubeObject[] = [];
      while (i < actions.length && actions[i]!.type === 'events') {
        upserts.push(...(actions[i] as Extract<PanelAction, { type: 'events' }>).upserts);
        i++;
      }
      out.push({ type: 'events', upserts });
    } else if (isKeyed(a)) {
      const last = new Map<string, { obj: KubeObject; deleted: boolean }>();
      while (i < actions.length && actions[i]!.type === a.type) {
        const b = actions[i] as Extract<PanelAction, { type: KeyedType }>;
        for (const o of b.upserts ?? []) {
          const k = objectKey(o);
          last.delete(k);
          last.set(k, { obj: o, deleted: false });
        }
        for (const o of b.deletes ?? []) {
          const k = objectKey(o);
          last.delete(k);
          last.set(k, { obj: o, deleted: true });
        }
        i++;
      }
      out.push(keyed(a.type, last));
    } else {
      out.push(a);
      i++;
    }
  }
  return out;
}
