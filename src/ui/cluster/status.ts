/**
 * What each Cluster tree item says about its object: the pod's STATUS and READY exactly as `kubectl get pods` prints
 * them (the API server's own pod printer is reused, so the precedence Terminating / NodeLost→Unknown / waiting
 * reasons / Init:x/y is upstream's), the node's STATUS as `kubectl get nodes` ("Ready,SchedulingDisabled"), a
 * workload's ready/desired as kubectl's READY column, and the icon for each. Pure functions of one object and `now`.
 */
import type { KubeObject } from '../../api/object';
import { deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from '../../apiserver/table/apps';
import { jobPrinter } from '../../apiserver/table/batch';
import { nodePrinter } from '../../apiserver/table/nodes';
import { podPrinter } from '../../apiserver/table/pods';
import type { IconId, WorkloadKind } from './ids';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export interface PodSummary {
  /** kubectl's STATUS column. */
  status: string;
  /** kubectl's READY column ("1/2"). */
  ready: string;
  /** kubectl's RESTARTS column ("0", "3 (5m ago)"). */
  restarts: string;
  node: string;
  ip: string;
}

export function podSummary(pod: KubeObject, nowMs: number): PodSummary {
  const cells = podPrinter.cells(pod, { nowMs });
  return { ready: String(cells[1]), status: String(cells[2]), restarts: String(cells[3]), ip: String(cells[5]), node: String(cells[6]) };
}

const POD_ERRORS = /^(Init:)?(CrashLoopBackOff|Error|ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull|CreateContainerConfigError|CreateContainerError|RunContainerError|OOMKilled|ContainerCannotRun|DeadlineExceeded|Evicted|Failed|ExitCode:.*|Signal:.*|StartError)$/;

/** The icon for a pod STATUS (and its READY). */
export function podIcon(status: string, ready: string): IconId {
  if (status === 'Running') {
    const [r, t] = ready.split('/');
    return r === t ? 'pass' : 'warning';
  }
  if (status === 'Completed' || status === 'Succeeded') return 'check';
  if (status === 'Terminating') return 'trash';
  if (status === 'Unknown') return 'question';
  if (status === 'Pending' || status === 'ContainerCreating' || status === 'PodInitializing' || status === 'SchedulingGated' || /^Init:\d+\/\d+$/.test(status)) return 'loading';
  if (POD_ERRORS.test(status)) return 'error';
  return 'warning';
}

export type NodeReadiness = 'Ready' | 'NotReady' | 'Unknown';

export interface NodeSummary {
  /** kubectl's STATUS column ("Ready", "NotReady,SchedulingDisabled", "Unknown"). */
  status: string;
  readiness: NodeReadiness;
  cordoned: boolean;
  roles: string;
}

/** The last Ready condition decides, as kubectl's printer; a Ready condition with status Unknown reads "Unknown". */
export function nodeSummary(node: KubeObject, nowMs: number): NodeSummary {
  const cells = nodePrinter.cells(node, { nowMs });
  let readyStatus: string | undefined;
  for (const c of (obj(node.status).conditions as Json[] | undefined) ?? []) if (obj(c).type === 'Ready') readyStatus = String(obj(c).status);
  const readiness: NodeReadiness = readyStatus === 'True' ? 'Ready' : readyStatus === 'False' ? 'NotReady' : 'Unknown';
  return { status: String(cells[1]), readiness, cordoned: obj(node.spec).unschedulable === true, roles: String(cells[2]) };
}

export function nodeIcon(s: NodeSummary): IconId {
  if (s.readiness === 'NotReady') return 'error';
  if (s.readiness === 'Unknown') return 'warning';
  return s.cordoned ? 'circle-slash' : 'pass';
}

export interface WorkloadSummary {
  /** What kubectl prints as the row's readiness: "2/3" (READY), or a job's "Complete · 1/1". */
  description: string;
  icon: IconId;
}

function readyIcon(ready: number, desired: number): IconId {
  if (ready >= desired) return 'pass';
  return ready === 0 ? 'loading' : 'warning';
}

export function workloadSummary(kind: WorkloadKind, o: KubeObject, nowMs: number): WorkloadSummary {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const ctx = { nowMs };
  switch (kind) {
    case 'Deployment': {
      const ready = String(deploymentPrinter.cells(o, ctx)[1]);
      return { description: ready, icon: readyIcon(num(status.readyReplicas), num(spec.replicas)) };
    }
    case 'StatefulSet': {
      const ready = String(statefulSetPrinter.cells(o, ctx)[1]);
      return { description: ready, icon: readyIcon(num(status.readyReplicas), num(spec.replicas)) };
    }
    case 'ReplicaSet': {
      const cells = replicaSetPrinter.cells(o, ctx);
      return { description: `${cells[3]}/${cells[1]}`, icon: readyIcon(num(status.readyReplicas), num(spec.replicas)) };
    }
    case 'DaemonSet': {
      const ready = num(status.numberReady);
      const desired = num(status.desiredNumberScheduled);
      return { description: `${ready}/${desired}`, icon: readyIcon(ready, desired) };
    }
    case 'Job': {
      const cells = jobPrinter.cells(o, ctx);
      const st = String(cells[1]);
      const icon: IconId = st === 'Complete' ? 'check' : st === 'Failed' ? 'error' : st === 'Suspended' ? 'debug-pause' : st === 'Terminating' ? 'trash' : 'loading';
      return { description: `${st} · ${cells[2]}`, icon };
    }
    case 'CronJob': {
      const active = Array.isArray(status.active) ? status.active.length : 0;
      const suspended = spec.suspend === true;
      return { description: `${String(spec.schedule ?? '')} · ${suspended ? 'suspended · ' : ''}${active} active`, icon: suspended ? 'debug-pause' : 'pass' };
    }
  }
}
