/**
 * MarkPodsNotReady (upstream controller/util/node): every pod bound to `nodeName` whose Ready condition is not
 * already False gets Ready=False (PUT pods/status, lastTransitionTime now) and a Warning event NodeNotReady
 * "Node is not ready". A pod already gone is skipped; other failures are collected and thrown together after
 * every pod was tried, so the caller retries the node.
 */
import type { CachedObject } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import { isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import { R } from '../framework/resources';
import { podConditions, updatePodCondition } from '../tainteviction/pod-conditions';

export async function markPodsNotReady(client: ApiClient, recorder: EventRecorder, pods: readonly CachedObject[], nodeName: string, now: number): Promise<void> {
  const errors: string[] = [];
  for (const p of pods) {
    if ((p.spec as { nodeName?: string } | undefined)?.nodeName !== nodeName) continue;
    const ready = podConditions(p).find((c) => c.type === 'Ready');
    if (!ready) continue;
    const conditions = structuredClone(podConditions(p));
    if (!updatePodCondition(conditions, { ...ready, status: 'False' }, now)) continue;
    const pod = structuredClone(p) as Obj;
    pod.status = { ...(pod.status as Record<string, unknown>), conditions };
    try {
      await client.updateStatus(R.pods, String(p.metadata?.namespace ?? ''), pod);
    } catch (e) {
      if (isNotFound(e)) continue;
      errors.push((e as Error).message);
    }
    const m = p.metadata ?? {};
    recorder.event({ kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion }, 'Warning', 'NodeNotReady', 'Node is not ready');
  }
  if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
}
