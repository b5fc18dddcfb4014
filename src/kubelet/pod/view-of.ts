/**
 * The PodView a worker hands the status generator: one record per container of the spec (init containers first),
 * the probe verdicts of the current instances, the sandbox and the IPs. A running container carries no waiting
 * reason; one that is not running keeps the worker's (ContainerCreating, CrashLoopBackOff, ImagePullBackOff, …).
 */
import type { ContainerRecord, PodView, ProbeVerdict } from './pod-view';
import type { ApiPod, PodSpec, Rec } from './worker-deps';

export interface ViewInput {
  pod: ApiPod;
  spec: PodSpec;
  records: ReadonlyMap<string, Rec>;
  verdict(name: string): ProbeVerdict | undefined;
  hostIP: string;
  podIP?: string;
  sandboxId?: string;
  /** The sandbox is no longer ready (the pod finished or was terminated). */
  sandboxDown: boolean;
  terminated: boolean;
}

export function podViewOf(i: ViewInput): PodView {
  const containers: ContainerRecord[] = [];
  const probes = new Map<string, ProbeVerdict>();
  for (const [list, kind] of [[i.spec.initContainers ?? [], 'init'], [i.spec.containers ?? [], 'regular']] as const) {
    for (const c of list) {
      const r = i.records.get(c.name) ?? { name: c.name, kind, restartCount: 0 };
      const running = r.current && r.current.state !== 'exited';
      containers.push({ name: c.name, kind, sidecar: kind === 'init' && c.restartPolicy === 'Always' ? true : undefined, current: r.current, previous: r.previous, restartCount: r.restartCount, waiting: running ? undefined : r.waiting });
      const v = i.verdict(c.name);
      if (v) probes.set(c.name, v);
    }
  }
  const view: PodView = { pod: i.pod, containers, probes, hostIP: i.hostIP, podIP: i.podIP, terminated: i.terminated || undefined };
  if (i.sandboxId) view.sandbox = { id: i.sandboxId, podUid: i.pod.metadata.uid ?? '', state: i.sandboxDown ? 'notready' : 'ready', ip: i.podIP ?? '', createdAt: 0, config: { ip: i.podIP ?? '' } };
  return view;
}
