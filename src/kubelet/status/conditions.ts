/**
 * The pod conditions the kubelet owns, worded as upstream's pkg/kubelet/status/generate.go:
 * PodReadyToStartContainers (the sandbox is up with its network), Initialized (every init container completed, every
 * sidecar started: "containers with incomplete status: [init]"), ContainersReady ("containers with unready status:
 * [web]"), Ready (ContainersReady, then the readiness gates: ReadinessGatesNotReady), with the terminal-phase reasons
 * PodCompleted / PodFailed; and updateLastTransitionTime, which keeps a condition's lastTransitionTime while its status
 * stays the same. Pure functions.
 */
import type { PodView } from '../pod/pod-view';
import {
  ContainersNotInitialized,
  ContainersNotReady,
  ContainersReady,
  PodCompleted,
  PodFailed,
  PodInitialized,
  PodReady,
  PodReadyToStartContainers,
  ReadinessGatesNotReady,
  findCondition,
  isRestartableInit,
  podSpec,
  type ApiContainerStatus,
  type PodCondition,
  type PodPhase,
} from './types';

/** Go's `fmt.Sprintf("%s", []string{...})`: "[a b]". */
const goList = (names: string[]): string => `[${names.join(' ')}]`;

function notTrue(type: string, reason: string, message: string): PodCondition {
  return message ? { type, status: 'False', reason, message } : { type, status: 'False', reason };
}

function terminalCondition(type: string, phase: PodPhase): PodCondition {
  const c: PodCondition = { type, status: 'False' };
  if (phase === 'Failed') c.reason = PodFailed;
  else if (phase === 'Succeeded') c.reason = PodCompleted;
  return c;
}

/** generateContainersReadyConditionForTerminalPhase / generatePodReadyConditionForTerminalPhase. */
export const containersReadyForTerminalPhase = (phase: PodPhase): PodCondition => terminalCondition(ContainersReady, phase);
export const podReadyForTerminalPhase = (phase: PodPhase): PodCondition => terminalCondition(PodReady, phase);

export function containersReadyCondition(pod: Record<string, unknown>, statuses: readonly ApiContainerStatus[], phase: PodPhase): PodCondition {
  const spec = podSpec(pod);
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (name: string) => {
    const s = statuses.find((x) => x.name === name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const c of spec.initContainers) if (isRestartableInit(c)) check(c.name);
  for (const c of spec.containers) check(c.name);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') return containersReadyForTerminalPhase(phase);
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return notTrue(ContainersReady, ContainersNotReady, messages.join(', '));
  return { type: ContainersReady, status: 'True' };
}

/** Ready: ContainersReady's status, reason and message when not True; then every readiness gate must be True. */
export function podReadyCondition(pod: Record<string, unknown>, conditions: readonly PodCondition[], statuses: readonly ApiContainerStatus[], phase: PodPhase): PodCondition {
  const cr = containersReadyCondition(pod, statuses, phase);
  if (cr.status !== 'True') {
    const c: PodCondition = { type: PodReady, status: cr.status };
    if (cr.reason) c.reason = cr.reason;
    if (cr.message) c.message = cr.message;
    return c;
  }
  const messages: string[] = [];
  for (const gate of podSpec(pod).readinessGates) {
    const c = findCondition(conditions, gate);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate}" is not "True", but ${c.status}`);
  }
  if (messages.length) return notTrue(PodReady, ReadinessGatesNotReady, messages.join(', '));
  return { type: PodReady, status: 'True' };
}

/** kubecontainer.HasAnyRegularContainerStarted over API statuses. */
function anyRegularStarted(pod: Record<string, unknown>, statuses: readonly ApiContainerStatus[]): boolean {
  const names = new Set(podSpec(pod).containers.map((c) => c.name));
  return statuses.some((s) => names.has(s.name) && (!!s.state.running || !!s.state.terminated));
}

export function initializedCondition(pod: Record<string, unknown>, statuses: readonly ApiContainerStatus[], phase: PodPhase): PodCondition {
  const spec = podSpec(pod);
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    const done = isRestartableInit(c) ? s.started === true : s.ready;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: PodInitialized, status: 'True', reason: PodCompleted };
  if (anyRegularStarted(pod, statuses)) return { type: PodInitialized, status: 'True' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return notTrue(PodInitialized, ContainersNotInitialized, messages.join(', '));
  return { type: PodInitialized, status: 'True' };
}

/** True once the pod has a ready sandbox with its network (upstream: no new sandbox is needed). */
export function readyToStartContainersCondition(view: PodView): PodCondition {
  const sb = view.sandbox;
  const ok = !!sb && sb.state === 'ready' && (!!sb.ip || podSpec(view.pod).hostNetwork);
  return { type: PodReadyToStartContainers, status: ok ? 'True' : 'False' };
}

/**
 * updateLastTransitionTime for every condition in `conds`: the old condition's time when its status is unchanged,
 * else `now`. Mutates and returns `conds`.
 */
export function setTransitionTimes(conds: PodCondition[], old: readonly PodCondition[] | undefined, now: string, types?: ReadonlySet<string>): PodCondition[] {
  for (const c of conds) {
    if (types && !types.has(c.type)) continue;
    const o = findCondition(old, c.type);
    c.lastTransitionTime = o && o.status === c.status && o.lastTransitionTime ? o.lastTransitionTime : now;
  }
  return conds;
}
