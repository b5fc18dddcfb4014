/**
 * The status manager's status arithmetic, as upstream's status_manager.go (pure functions):
 * - checkContainerStateTransition: a terminated container may not become non-terminated unless it may restart;
 * - prepareStatus (updateStatusInternal): transition times kept from the previous status while a condition's status
 *   is unchanged, startTime never changes once set, normalized;
 * - terminatePodStatus (TerminatePod): at the end of a pod's life every container that has no terminated state is
 *   reported terminated (ContainerStatusUnknown, exit 137) and a Pending/Running phase becomes Failed;
 * - mergePodStatus: what to write over the API's status — conditions the kubelet does not own stay the API's,
 *   DisruptionTarget is only sent with the transition to a terminal phase, a terminal phase in the API is never left,
 *   and a terminal pod is never reported Ready;
 * - statusToWrite: the merged status when it differs from the API's beyond what isPodStatusByKubeletEqual ignores
 *   (only the fields the kubelet writes are compared);
 * - canBeDeleted: a pod being deleted, terminal in the API, whose pod worker is done (never a mirror pod).
 */
import { containersReadyForTerminalPhase, podReadyForTerminalPhase, setTransitionTimes } from './conditions';
import { ContainerStatusUnknown } from './container-statuses';
import { isPodStatusByKubeletEqual, normalizeStatus } from './status-compare';
import { KUBELET_STATUS_FIELDS } from './status-patch';
import {
  ContainersReady,
  DisruptionTarget,
  PodInitialized,
  PodReady,
  PodReadyToStartContainers,
  PodScheduled,
  findCondition,
  isConditionByKubelet,
  isConditionSharedByKubelet,
  isMirrorPod,
  isRestartableInit,
  isStaticPod,
  isTerminalPhase,
  podSpec,
  podStatusOf,
  type ApiContainerStatus,
  type PodCondition,
  type PodStatus,
} from './types';

const copyStatuses = (l: ApiContainerStatus[] | undefined) => (Array.isArray(l) ? l.map((c) => ({ ...c })) : l);
const TRANSITION_TRACKED = new Set([ContainersReady, PodReady, PodInitialized, PodReadyToStartContainers, PodScheduled, DisruptionTarget]);

/** An error message when a container would illegally leave the terminated state, else undefined. */
export function checkContainerStateTransition(pod: Record<string, unknown>, oldStatus: PodStatus, status: PodStatus): string | undefined {
  const spec = podSpec(pod);
  if (spec.restartPolicy === 'Always') return undefined;
  const sidecars = new Set(spec.initContainers.filter(isRestartableInit).map((c) => c.name));
  const check = (olds: ApiContainerStatus[] | undefined, news: ApiContainerStatus[] | undefined, init: boolean) => {
    for (const o of olds ?? []) {
      const t = o.state?.terminated;
      if (!t || (init && sidecars.has(o.name))) continue;
      if (t.exitCode !== 0 && spec.restartPolicy === 'OnFailure') continue;
      const n = (news ?? []).find((x) => x.name === o.name);
      if (n && !n.state.terminated) return `terminated container ${n.name} attempted illegal transition to non-terminated state`;
    }
    return undefined;
  };
  return check(oldStatus.containerStatuses, status.containerStatuses, false) ?? check(oldStatus.initContainerStatuses, status.initContainerStatuses, true);
}

/** updateStatusInternal's bookkeeping on a new status before it is cached. */
export function prepareStatus(pod: Record<string, unknown>, oldStatus: PodStatus, status: PodStatus, now: string): PodStatus {
  const s: PodStatus = { ...status, conditions: status.conditions?.map((c) => ({ ...c })) };
  if (!s.conditions) delete s.conditions;
  if (Array.isArray(s.conditions)) setTransitionTimes(s.conditions, oldStatus.conditions, now, TRANSITION_TRACKED);
  if (oldStatus.startTime) s.startTime = oldStatus.startTime;
  else if (!s.startTime) s.startTime = now;
  return normalizeStatus(pod, s);
}

const unknownTermination = () => ({
  terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: 'The container could not be located when the pod was terminated' },
});

/** hasPodInitialized: whether the API status shows the pod ever got past its init containers. */
function hasPodInitialized(pod: Record<string, unknown>): boolean {
  if (podSpec(pod).initContainers.length === 0) return true;
  const st = podStatusOf(pod);
  for (const c of st.containerStatuses ?? []) if (c.lastState?.terminated || !c.state?.waiting) return true;
  const inits = st.initContainerStatuses ?? [];
  const last = inits[inits.length - 1];
  if (last && (last.lastState?.terminated?.exitCode === 0 || last.state?.terminated?.exitCode === 0)) return true;
  return false;
}

/** TerminatePod: the final status of a pod whose containers have all been stopped. */
export function terminatePodStatus(pod: Record<string, unknown>, cached: PodStatus | undefined): PodStatus {
  const src = cached ?? podStatusOf(pod);
  const status: PodStatus = { ...src, containerStatuses: copyStatuses(src.containerStatuses), initContainerStatuses: copyStatuses(src.initContainerStatuses) };
  if (!status.containerStatuses) delete status.containerStatuses;
  if (!status.initContainerStatuses) delete status.initContainerStatuses;
  if (hasPodInitialized(pod)) for (const c of status.containerStatuses ?? []) if (!c.state.terminated) c.state = unknownTermination();
  const inits = status.initContainerStatuses ?? [];
  // all but the trailing init containers that never tried to start (at least the first one)
  let end = 1;
  for (let i = inits.length - 1; i >= 0; i--)
    if (!inits[i].state.waiting || inits[i].lastState?.terminated) {
      end = i + 1;
      break;
    }
  for (const c of inits.slice(0, end)) if (!c.state.terminated) c.state = unknownTermination();
  if (!isStaticPod(pod) && !isTerminalPhase(status.phase)) status.phase = 'Failed';
  return status;
}

function replaceOrAppend(conds: PodCondition[], c: PodCondition): void {
  const i = conds.findIndex((x) => x.type === c.type);
  if (i >= 0) conds[i] = c;
  else conds.push(c);
}

/** mergePodStatus over the API's current status. Does not modify its arguments (the result shares their parts). */
export function mergePodStatus(apiStatus: PodStatus, newStatus: PodStatus, now: string): PodStatus {
  const s: PodStatus = { ...newStatus };
  const apiConds = Array.isArray(apiStatus.conditions) ? apiStatus.conditions : [];
  const conds: PodCondition[] = apiConds.filter((c) => !isConditionByKubelet(c.type)).map((c) => ({ ...c }));
  const toTerminal = !isTerminalPhase(apiStatus.phase) && isTerminalPhase(s.phase);
  for (const c of s.conditions ?? []) {
    if (isConditionByKubelet(c.type)) conds.push(c);
    else if (isConditionSharedByKubelet(c.type) && c.type === DisruptionTarget && toTerminal) {
      const [withTime] = setTransitionTimes([{ ...c }], apiConds, now);
      replaceOrAppend(conds, withTime);
    }
  }
  s.conditions = conds;
  if (isTerminalPhase(apiStatus.phase) && s.phase !== apiStatus.phase) {
    s.phase = apiStatus.phase;
    if (apiStatus.reason) s.reason = apiStatus.reason;
    else delete s.reason;
    if (apiStatus.message) s.message = apiStatus.message;
    else delete s.message;
  }
  if (isTerminalPhase(s.phase) && s.phase) {
    const ready = findCondition(conds, PodReady);
    const containersReady = findCondition(conds, ContainersReady);
    if (ready?.status === 'True' || containersReady?.status === 'True') {
      for (const c of [containersReadyForTerminalPhase(s.phase), podReadyForTerminalPhase(s.phase)]) {
        const o = findCondition(conds, c.type);
        c.lastTransitionTime = o && o.status === c.status && o.lastTransitionTime ? o.lastTransitionTime : now;
        replaceOrAppend(conds, c);
      }
    }
  }
  return s;
}

const project = (s: PodStatus): PodStatus => Object.fromEntries(KUBELET_STATUS_FIELDS.filter((k) => k in s).map((k) => [k, s[k]])) as PodStatus;

/** What to write over `pod`'s API status for the cached `status`, or undefined when the API already says it. */
export function statusToWrite(pod: Record<string, unknown>, status: PodStatus, now: string): PodStatus | undefined {
  const api = normalizeStatus(pod, podStatusOf(pod));
  const merged = mergePodStatus(api, status, now);
  return isPodStatusByKubeletEqual(project(api), project(merged)) ? undefined : merged;
}

export function canBeDeleted(pod: Record<string, unknown>, podIsFinished: boolean): boolean {
  const meta = (pod.metadata ?? {}) as { deletionTimestamp?: string };
  return podIsFinished && !!meta.deletionTimestamp && !isMirrorPod(pod) && isTerminalPhase(podStatusOf(pod).phase);
}
