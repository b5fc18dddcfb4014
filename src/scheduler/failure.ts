/**
 * The scheduling failure handler (upstream handleSchedulingFailure and updatePod): records which plugins rejected
 * the pod (so only relevant cluster events move it back), puts the informer's current pod back in the queue unless
 * it is gone or already bound, updates its nomination, emits the Warning `FailedScheduling` event with the message
 * (truncated to 1024 bytes with " ..." as upstream), and patches pods/status (strategic merge) with the
 * PodScheduled=False condition (reason Unschedulable when the pod was rejected, SchedulerError otherwise) and
 * status.nominatedNodeName when PostFilter nominated or the nomination is cleared. The same status patch carries
 * the explanation annotations (filter-result, score-result; selected-node removed). No patch when nothing changed.
 */
import { R } from '../controllers/framework/resources';
import { podReference, podRef, podUid, type Core } from './core';
import { podInfo, type Pod } from './framework';
import { explanationAnnotations, SELECTED_NODE_ANNOTATION } from './runtime/explain';
import { ERR_NO_NODES_AVAILABLE } from './runtime/fit-error';
import type { Framework } from './runtime/framework';
import type { CycleFailure } from './schedule-one';

const NOTE_LENGTH_LIMIT = 1024;

export function truncateMessage(message: string): string {
  if (Buffer.byteLength(message) <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return Buffer.from(message).subarray(0, NOTE_LENGTH_LIMIT - suffix.length).toString() + suffix;
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

const metaTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export async function handleSchedulingFailure(core: Core, fwk: Framework, f: CycleFailure): Promise<void> {
  const { status, qpi } = f;
  const pod = qpi.podInfo.pod;
  const reason = status.isRejected() ? 'Unschedulable' : 'SchedulerError';
  const errMsg = status.message();
  if (errMsg === ERR_NO_NODES_AVAILABLE) core.logger.info(`Unable to schedule pod; no nodes are registered to the cluster; waiting pod=${podRef(pod)}`);
  else if (f.fitError) {
    qpi.unschedulablePlugins = new Set(f.fitError.diagnosis.unschedulablePlugins);
    qpi.pendingPlugins = new Set(f.fitError.diagnosis.pendingPlugins);
    core.logger.debug(`Unable to schedule pod; no fit; waiting pod=${podRef(pod)} err=${errMsg}`);
  } else core.logger.error(`Error scheduling pod; retrying pod=${podRef(pod)} err=${errMsg}`);

  const cached = core.podLister.get(String(pod.metadata?.namespace ?? ''), String(pod.metadata?.name ?? ''));
  if (!cached || podUid(cached) !== podUid(pod)) {
    core.logger.info(`Pod doesn't exist in informer cache pod=${podRef(pod)}`);
    core.queue.done(podUid(pod));
  } else if ((cached.spec as { nodeName?: string } | undefined)?.nodeName) {
    core.logger.info(`Pod has been assigned to node. Abort adding it back to queue. pod=${podRef(pod)}`);
    core.queue.done(podUid(pod));
  } else {
    qpi.podInfo = podInfo(cached);
    const err = core.queue.addUnschedulableIfNotPresent(qpi, core.queue.schedulingCycle());
    if (err) core.logger.error(`Error occurred: ${err.message}`);
  }
  core.queue.addNominatedPod(podInfo(pod), f.nominate);

  fwk.recorder.event(podReference(pod), 'Warning', 'FailedScheduling', truncateMessage(errMsg));
  const base = cached && podUid(cached) === podUid(pod) ? cached : pod;
  try {
    await updatePod(core, base, { type: 'PodScheduled', status: 'False', reason, message: errMsg }, f.nominate);
  } catch (e) {
    core.logger.error(`Error updating pod pod=${podRef(pod)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** upstream updatePod: patch the condition (and nominatedNodeName) only when they change. */
async function updatePod(core: Core, pod: Pod, cond: PodCondition, nominate: string | undefined): Promise<void> {
  const st = (pod.status ?? {}) as { conditions?: PodCondition[]; nominatedNodeName?: string };
  const old = (st.conditions ?? []).find((c) => c.type === cond.type);
  const next: PodCondition = { type: cond.type, status: cond.status, lastProbeTime: null, lastTransitionTime: old && old.status === cond.status ? (old.lastTransitionTime ?? null) : metaTime(core.clock.now()), reason: cond.reason, message: cond.message };
  const condChanged = !old || old.status !== next.status || old.reason !== next.reason || old.message !== next.message || (old.lastProbeTime ?? null) !== null || (old.lastTransitionTime ?? null) !== next.lastTransitionTime;
  const nnnChanged = nominate !== undefined && (st.nominatedNodeName ?? '') !== nominate;
  const patch: { metadata?: Record<string, unknown>; status: Record<string, unknown> } = { status: {} };
  const e = core.explain ? core.decisions.get(podUid(pod)) : undefined;
  if (e && e.message !== undefined) {
    const want = explanationAnnotations(e);
    const have = (pod.metadata?.annotations ?? {}) as Record<string, string>;
    const ann: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(want)) if (have[k] !== v) ann[k] = v;
    if (have[SELECTED_NODE_ANNOTATION] !== undefined) ann[SELECTED_NODE_ANNOTATION] = null;
    if (Object.keys(ann).length > 0) patch.metadata = { annotations: ann };
  }
  if (!condChanged && !nnnChanged && !patch.metadata) return;
  if (condChanged || patch.metadata) patch.status.conditions = [next];
  if (nnnChanged) patch.status.nominatedNodeName = nominate === '' ? null : nominate;
  await core.client.patch(R.pods, String(pod.metadata?.namespace ?? ''), String(pod.metadata?.name ?? ''), patch, 'strategic', 'status');
}
