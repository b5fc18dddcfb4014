/**
 * A pod's phase from its API container statuses, as upstream's getPhase (pkg/kubelet/kubelet_pods.go, without the
 * alpha ContainerRestartRules gate):
 * - a regular init container that failed with restartPolicy Never fails the pod;
 * - Pending while a regular init container has not completed, a sidecar has not started (until the pod has
 *   initialized once), or any container waits without having run before;
 * - Running when all containers are known and one runs; when all have stopped: Succeeded/Failed if the pod is
 *   terminal (the pod worker stopped everything; static pods excepted), Running with restartPolicy Always (they
 *   are restarting), Succeeded when all exited 0, Failed with Never, Running with OnFailure.
 */
import { isRestartableInit, isStaticPod, podSpec, type ApiContainerStatus, type PodPhase } from './types';

export function getPhase(pod: Record<string, unknown>, statuses: readonly ApiContainerStatus[], podIsTerminal: boolean, podHasInitialized: boolean): PodPhase {
  const spec = podSpec(pod);
  const find = (name: string) => statuses.find((s) => s.name === name);
  let pendingRestartableInit = 0;
  let pendingRegularInit = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers) {
    if (isRestartableInit(c)) continue;
    const s = find(c.name);
    if (!s) pendingRegularInit++;
    else if (s.state.running) pendingRegularInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state.waiting) {
      const last = s.lastState.terminated;
      if (last) {
        if (last.exitCode !== 0) failedInitialization++;
      } else pendingRegularInit++;
    } else pendingRegularInit++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers) {
    if (!isRestartableInit(c)) continue;
    const s = find(c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state.running) {
      if (!s.started) pendingRestartableInit++;
      running++;
    } else if (s.state.terminated) {
      // a stopped sidecar does not count for the phase
    } else if (s.state.waiting) {
      if (!s.lastState.terminated) {
        pendingRestartableInit++;
        waiting++;
      }
    } else {
      pendingRestartableInit++;
      unknown++;
    }
  }
  for (const c of spec.containers) {
    const s = find(c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal && !isStaticPod(pod)) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
