/**
 * What one sync of a pod must do to its containers (upstream kuberuntime computePodActions, without sandbox
 * changes): which containers to kill and which to start, init containers first and strictly in order (a
 * restartable init container — a sidecar — must be running and started before the next one), then every regular
 * container. Pure: it reads the records and the pod's spec and never touches the runtime. Whether a restart is
 * still in CrashLoopBackOff is decided by the worker when it starts the container.
 */
import type { ContainerRecord } from './pod-view';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface SpecContainer {
  name: string;
  image: string;
  restartPolicy?: string;
}

export interface Kill {
  name: string;
  /** Why, as the kubelet's Killing event words it. */
  message: string;
}

export interface PodActions {
  kill: Kill[];
  /** Containers to (re)start, in order. */
  start: string[];
  /** An init container failed and the pod's restartPolicy is Never: the pod has failed. */
  initFailed: boolean;
  /** Every init container has completed (sidecars running and started). */
  initialized: boolean;
}

export interface ActionInput {
  initContainers: readonly SpecContainer[];
  containers: readonly SpecContainer[];
  restartPolicy: RestartPolicy;
  records: ReadonlyMap<string, ContainerRecord>;
  /** The image the current instance of a container was started from. */
  instanceImage(name: string): string | undefined;
  /** A liveness/startup failure past its threshold: the instance must be killed (the prober's words). */
  mustRestart(name: string): string | undefined;
  /** Startup verdict of a running container (sidecars gate the next init container on it). */
  started(name: string): boolean;
  /**
   * Whether the container's last instance was killed by the kubelet for a definition change: it starts again
   * whatever the restart policy (upstream kills and restarts it in the same sync).
   */
  killedForChange?(name: string): boolean;
}

export function shouldRestart(policy: RestartPolicy, exitCode: number | undefined): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

function killFor(i: ActionInput, c: SpecContainer, init: boolean): Kill | undefined {
  const why = i.mustRestart(c.name);
  if (why) return { name: c.name, message: why };
  const img = i.instanceImage(c.name);
  if (img !== undefined && img !== c.image) return { name: c.name, message: init ? `Init container ${c.name} definition changed` : `Container ${c.name} definition changed, will be restarted` };
  return undefined;
}

/**
 * Init containers, walked from the last one back (upstream computeInitContainerActions): completed init containers
 * may have been removed from the runtime, so the last one that ran says where initialization stands. Restartable
 * init containers (sidecars) that ran and ended are restarted; a sidecar that is running and started lets the next
 * init container start; a failed init container is retried unless the pod's restartPolicy is Never. Returns whether
 * the pod has initialized (only then do regular containers start).
 */
function initContainerActions(i: ActionInput, out: PodActions): boolean {
  const init = i.initContainers;
  if (!init.length) return true;
  const last = init.length - 1;
  // A regular container that was created or runs means initialization happened, even if its records are gone.
  let initialized = i.containers.some((c) => {
    const st = i.records.get(c.name)?.current?.state;
    return st === 'created' || st === 'running';
  });
  let previouslyInitialized = initialized;
  const starts: number[] = [];
  for (let k = last; k >= 0; k--) {
    const c = init[k];
    const sidecar = c.restartPolicy === 'Always';
    const cur = i.records.get(c.name)?.current;
    if (!cur) {
      if (previouslyInitialized && sidecar) starts.push(k);
      continue;
    }
    if (previouslyInitialized && !sidecar) continue;
    if (cur.state === 'created') starts.push(k);
    else if (cur.state === 'running') {
      if (sidecar) {
        const why = i.mustRestart(c.name);
        if (!i.started(c.name)) {
          if (why) out.kill.push({ name: c.name, message: why });
        } else {
          if (k === last) initialized = true;
          else if (!previouslyInitialized) starts.push(k + 1);
          // A sidecar's liveness does not gate the next init container; a failure or a new definition restarts it.
          const kill = killFor(i, c, true);
          if (kill) out.kill.push(kill);
        }
      }
    } else if (sidecar) starts.push(k);
    else if (cur.exitCode !== 0) {
      if (i.restartPolicy === 'Never') {
        out.initFailed = true;
        return false;
      }
      starts.push(k);
    } else if (k === last) initialized = true;
    else starts.push(k + 1);
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) starts.push(0);
  for (const k of starts.reverse()) if (!out.start.includes(init[k].name)) out.start.push(init[k].name);
  return initialized;
}

export function computePodActions(i: ActionInput): PodActions {
  const out: PodActions = { kill: [], start: [], initFailed: false, initialized: false };
  if (!initContainerActions(i, out)) return out;
  out.initialized = true;
  for (const c of i.containers) {
    const cur = i.records.get(c.name)?.current;
    if (!cur || cur.state === 'created') out.start.push(c.name);
    else if (cur.state === 'running') {
      const kill = killFor(i, c, false);
      if (kill) out.kill.push(kill);
    } else {
      if (i.killedForChange?.(c.name) || shouldRestart(i.restartPolicy, cur.exitCode)) out.start.push(c.name);
    }
  }
  return out;
}
