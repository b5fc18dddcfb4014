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

export function computePodActions(i: ActionInput): PodActions {
  const out: PodActions = { kill: [], start: [], initFailed: false, initialized: false };
  // Once a regular container has run, the pod has initialized: a restarting sidecar no longer gates anything.
  const initializedBefore = i.containers.some((c) => i.records.get(c.name)?.current);
  // Upstream walks from the last init container that ran: earlier ones without a record finished long ago.
  let lastRan = -1;
  i.initContainers.forEach((c, k) => {
    if (c.restartPolicy !== 'Always' && i.records.get(c.name)?.current) lastRan = k;
  });
  for (const [k, c] of i.initContainers.entries()) {
    const cur = i.records.get(c.name)?.current;
    if (c.restartPolicy === 'Always') {
      if (!cur || cur.state !== 'running') {
        out.start.push(c.name);
        if (initializedBefore) continue;
        return out;
      }
      const kill = killFor(i, c, true);
      if (kill) {
        out.kill.push(kill);
        if (initializedBefore) continue;
        return out;
      }
      if (!initializedBefore && !i.started(c.name)) return out;
      continue;
    }
    if (!cur) {
      if (k < lastRan || initializedBefore) continue;
      out.start.push(c.name);
      return out;
    }
    if (cur.state === 'created') {
      out.start.push(c.name);
      return out;
    }
    if (cur.state !== 'exited') return out;
    if (cur.exitCode === 0) continue;
    if (i.restartPolicy === 'Never') {
      out.initFailed = true;
      return out;
    }
    out.start.push(c.name);
    return out;
  }
  out.initialized = true;
  for (const c of i.containers) {
    const cur = i.records.get(c.name)?.current;
    if (!cur || cur.state === 'created') out.start.push(c.name);
    else if (cur.state === 'running') {
      const kill = killFor(i, c, false);
      if (kill) out.kill.push(kill);
    } else {
      // A container killed because its definition changed starts again whatever the policy (upstream restarts it in
      // the same sync as the kill).
      const changed = i.instanceImage(c.name) !== undefined && i.instanceImage(c.name) !== c.image;
      if (changed || shouldRestart(i.restartPolicy, cur.exitCode)) out.start.push(c.name);
    }
  }
  return out;
}
