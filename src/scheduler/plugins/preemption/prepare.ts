/**
 * prepareCandidate (upstream framework/preemption, 1.32, synchronous): for every victim not already terminating,
 * add the DisruptionTarget condition (reason PreemptionByScheduler, "<schedulerName>: preempting to accommodate a
 * higher priority pod") with a strategic merge patch of pods/status, delete the pod, and record the Normal event
 * `Preempted` "Preempted by pod <uid> on node <node>" on the victim. A victim already gone (404) is fine. Then
 * lower-priority pods nominated to the same node lose their nomination (errors there are only logged).
 */
import { isNotFound } from '../../../controllers/framework/api-client';
import { R } from '../../../controllers/framework/resources';
import { Status, type Handle, type Pod } from '../../framework';
import type { Candidate } from './candidates';
import { podPriority } from './pod-order';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

type Condition = { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string };

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The DisruptionTarget condition to add, or undefined when the victim already has an identical one. */
export function disruptionCondition(victim: Pod, preemptor: Pod, now: number): Condition | undefined {
  const schedulerName = String((preemptor.spec as { schedulerName?: string } | undefined)?.schedulerName ?? '');
  const want: Condition = { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod` };
  const have = ((victim.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'DisruptionTarget');
  if (have && have.status === want.status && have.reason === want.reason && have.message === want.message) return undefined;
  return { ...want, lastTransitionTime: have && have.status === want.status ? have.lastTransitionTime : rfc3339(now) };
}

async function preemptPod(handle: Handle, c: Candidate, preemptor: Pod, victim: Pod): Promise<void> {
  const ns = String(victim.metadata?.namespace ?? '');
  const name = String(victim.metadata?.name ?? '');
  const cond = disruptionCondition(victim, preemptor, handle.clock.now());
  try {
    if (cond) await handle.client.patch(R.pods, ns, name, { status: { conditions: [cond] } }, 'strategic', 'status');
    await handle.client.delete(R.pods, ns, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    handle.logger.debug(`victim pod ${ns}/${name} is already deleted`);
    return;
  }
  handle.recorder.event(victim as never, 'Normal', 'Preempted', `Preempted by pod ${String(preemptor.metadata?.uid ?? '')} on node ${c.name}`);
}

export async function prepareCandidate(handle: Handle, c: Candidate, pod: Pod): Promise<Status> {
  const results = await Promise.allSettled(c.victims.filter((v) => !v.metadata?.deletionTimestamp).map((v) => preemptPod(handle, c, pod, v)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) return Status.error(failed.reason instanceof Error ? failed.reason : String(failed.reason));

  const prio = podPriority(pod);
  for (const info of handle.nominator.nominatedPodsForNode(c.name)) {
    const p = info.pod;
    if (podPriority(p) >= prio) continue;
    if (!(p.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName) continue;
    try {
      await handle.client.patch(R.pods, String(p.metadata?.namespace ?? ''), String(p.metadata?.name ?? ''), { status: { nominatedNodeName: null } }, 'strategic', 'status');
    } catch (e) {
      handle.logger.error(`cannot clear 'NominatedNodeName' field: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return SUCCESS;
}
