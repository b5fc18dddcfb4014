/**
 * The PATCH the kubelet sends to pods/<name>/status (upstream statusutil.PatchPodStatus): a strategic merge patch of
 * only what differs between the API's status and the new one, carrying the pod's uid in metadata.uid so the write
 * cannot land on another pod of the same name. Lists with a merge key (conditions by type, podIPs and hostIPs by
 * ip) send the changed items whole (removed fields as null, except what the API holds as null already: null and
 * absent are the same zero value), `$patch: delete` for vanished items and `$setElementOrder/<list>`; container
 * status lists are atomic and sent whole; removed fields are null.
 * `unchanged` is true when the patch would carry nothing but the uid.
 */
import { semanticEqual } from './status-compare';
import type { PodStatus } from './types';

type Json = Record<string, unknown>;

/** The status fields the kubelet writes; only these are ever removed by its patches. */
export const KUBELET_STATUS_FIELDS = [
  'phase',
  'reason',
  'message',
  'conditions',
  'hostIP',
  'hostIPs',
  'podIP',
  'podIPs',
  'startTime',
  'initContainerStatuses',
  'containerStatuses',
  'qosClass',
] as const;

const MERGE_KEYS: Record<string, string> = { conditions: 'type', podIPs: 'ip', hostIPs: 'ip' };

const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

function itemPatch(oldItem: Json | undefined, newItem: Json): Json {
  const out: Json = { ...newItem };
  // A field the API holds as null (a zero time) and the kubelet leaves out is the same zero value: nothing to send.
  for (const k of Object.keys(oldItem ?? {})) if ((!(k in newItem) || newItem[k] === undefined) && oldItem![k] !== null) out[k] = null;
  return out;
}

function listPatch(field: string, key: string, oldList: unknown, newList: unknown, into: Json): void {
  const olds = (Array.isArray(oldList) ? oldList : []).filter(isObj);
  const news = (Array.isArray(newList) ? newList : []).filter(isObj);
  if (semanticEqual(olds, news) && olds.length === news.length) return;
  const items: Json[] = [];
  for (const n of news) {
    const o = olds.find((x) => x[key] === n[key]);
    if (!o || !semanticEqual(o, n)) items.push(itemPatch(o, n));
  }
  for (const o of olds) if (!news.some((n) => n[key] === o[key])) items.push({ [key]: o[key], $patch: 'delete' });
  into[`$setElementOrder/${field}`] = news.map((n) => ({ [key]: n[key] }));
  if (items.length) into[field] = items;
}

/** The strategic merge patch from `oldStatus` (the API's) to `newStatus` for pod `uid`. */
export function podStatusPatch(uid: string, oldStatus: PodStatus, newStatus: PodStatus): { patch: Json; unchanged: boolean } {
  const status: Json = {};
  const oldS = (oldStatus ?? {}) as Json;
  const newS = newStatus as Json;
  const keys = new Set([...Object.keys(newS), ...KUBELET_STATUS_FIELDS.filter((k) => k in oldS)]);
  for (const k of keys) {
    const mergeKey = MERGE_KEYS[k];
    if (mergeKey) {
      listPatch(k, mergeKey, oldS[k], newS[k], status);
      continue;
    }
    if (semanticEqual(oldS[k], newS[k])) continue;
    status[k] = newS[k] === undefined ? null : newS[k];
  }
  return { patch: { metadata: { uid }, status }, unchanged: Object.keys(status).length === 0 };
}
