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

function killFor(i: ActionInput, c: SpecContainer): Kill | undefined {
  const why = i.mustRestart(c.name);
  if (why) return { name: c.name, message: why };
  const img = i.instanceImage(c.name);
  if (img !== undefined && img !== c.image) return { name: c.name, message: `Container ${c.name} definition changed, will be restarted` };
  return undefined;
}

export function computePodActions(i: ActionInput): PodActions {
  const out: PodActions = { kill: [], start: [], initFailed: false, initialized: false };
  for (const c of i.initContainers) {
    const cur = i.records.get(c.name)?.current;
    if (c.restartPolicy === 'Always') {
      if (!cur || cur.state === 'exited') {
        out.start.push(c.name);
        return out;
      }
      if (cur.state === 'created') return out;
      const k = killFor(i, c);
      if (k) {
        out.kill.push(k);
        return out;
      }
      if (!i.started(c.name)) return out;
      continue;
    }
    if (!cur) {
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
    if (!cur) out.start.push(c.name);
    else if (cur.state === 'running') {
      const k = killFor(i, c);
      if (k) out.kill.push(k);
    } else if (cur.state === 'exited') {
      const changed = i.instanceImage(c.name) !== undefined && i.instanceImage(c.name) !== c.image;
      if (changed || shouldRestart(i.restartPolicy, cur.exitCode)) out.start.push(c.name);
    }
  }
  return out;
}
