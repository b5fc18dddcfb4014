/**
 * generatePodStatus: the API status of one pod from the pod worker's view (upstream generateAPIPodStatus). Pure: the
 * old status is the one in `view.pod` (the API's), time is `nowMs`.
 * - container statuses: ./container-statuses; phase: ./phase (podIsTerminal = view.terminated); a phase the API
 *   already has as terminal is kept (pods never leave Succeeded/Failed), and the pod's reason/message are kept
 *   while the phase stays the same;
 * - conditions: those the kubelet does not own (DisruptionTarget, readiness-gate conditions …) kept in API order,
 *   then PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled=True; lastTransitionTime is
 *   the old one while a condition's status is unchanged, else now;
 * - hostIP/hostIPs from the node, podIP/podIPs from the sandbox (the node's for hostNetwork pods; the API's kept when
 *   the sandbox is gone), startTime the first one seen, qosClass as GetPodQOS.
 */
import type { PodView } from '../pod/pod-view';
import { containersReadyCondition, initializedCondition, podReadyCondition, readyToStartContainersCondition, setTransitionTimes } from './conditions';
import { convertContainerStatuses } from './container-statuses';
import { getPhase } from './phase';
import { podQOSClass } from './qos';
import { PodScheduled, isConditionByKubelet, isTerminalPhase, metaTime, podSpec, podStatusOf, type PodCondition, type PodStatus } from './types';

export { podQOSClass } from './qos';

/** The runtime name used in containerIDs when the caller names none (the sim runtime's). */
export const DEFAULT_RUNTIME_NAME = 'kubelab-sim';

export interface GenerateOptions {
  /** The runtime's name (RuntimeVersion.runtimeName): containerIDs read `${runtimeName}://${id}`. */
  runtimeName?: string;
}

/** kubecontainer.HasAnyActiveRegularContainerStarted: a regular container exists in the current sandbox. */
function anyActiveRegularContainer(view: PodView): boolean {
  const sandboxId = view.sandbox?.id;
  return view.containers.some((c) => c.kind === 'regular' && !!c.current && (!sandboxId || c.current.sandboxId === sandboxId));
}

function podIPs(view: PodView, old: PodStatus): Pick<PodStatus, 'podIP' | 'podIPs'> {
  const ip = podSpec(view.pod).hostNetwork ? view.hostIP : (view.podIP ?? view.sandbox?.ip);
  if (ip) return { podIP: ip, podIPs: [{ ip }] };
  if (old.podIP) return { podIP: old.podIP, podIPs: old.podIPs?.length ? old.podIPs.map((p) => ({ ip: p.ip })) : [{ ip: old.podIP }] };
  return {};
}

export function generatePodStatus(view: PodView, nowMs: number, options: GenerateOptions = {}): PodStatus {
  const pod = view.pod;
  const old = podStatusOf(pod);
  const now = metaTime(nowMs);
  const { initContainerStatuses, containerStatuses } = convertContainerStatuses(view, options.runtimeName ?? DEFAULT_RUNTIME_NAME);
  const all = [...containerStatuses, ...initContainerStatuses];
  let phase = getPhase(pod, all, !!view.terminated, anyActiveRegularContainer(view));
  // pods are not allowed to transition out of terminal phases
  if (isTerminalPhase(old.phase) && phase !== old.phase) phase = old.phase!;

  const status: PodStatus = { phase };
  if (phase === old.phase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }

  const oldConds = Array.isArray(old.conditions) ? old.conditions : [];
  const conditions: PodCondition[] = oldConds.filter((c) => !isConditionByKubelet(c.type)).map((c) => ({ ...c }));
  const allInitFirst = [...initContainerStatuses, ...containerStatuses];
  const owned: PodCondition[] = [
    readyToStartContainersCondition(view),
    initializedCondition(pod, allInitFirst, phase),
    podReadyCondition(pod, conditions, allInitFirst, phase),
    containersReadyCondition(pod, allInitFirst, phase),
    { type: PodScheduled, status: 'True' },
  ];
  conditions.push(...setTransitionTimes(owned, oldConds, now));
  status.conditions = conditions;

  status.hostIP = view.hostIP;
  status.hostIPs = [{ ip: view.hostIP }];
  Object.assign(status, podIPs(view, old));
  status.startTime = old.startTime || now;
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  if (initContainerStatuses.length) status.initContainerStatuses = initContainerStatuses;
  status.containerStatuses = containerStatuses;
  status.qosClass = podQOSClass(pod);
  return status;
}
