/**
 * The timeline of the latest Deployment creation, the chain the article walks through:
 *
 *   Deployment created → ScalingReplicaSet ("Scaled up replica set web-7d4b9c to 3", on the Deployment)
 *   → SuccessfulCreate ("Created pod: web-7d4b9c-x2x4z", on that ReplicaSet) → Scheduled → Pulled → Started
 *   (on that Pod; the first of each).
 *
 * Built from the events and objects the panel holds: the Deployment is the one with the newest creationTimestamp
 * (or, with no Deployment object seen, the subject of the newest ScalingReplicaSet event). Links are followed by
 * the names in the event messages (the wording of the deployment controller and of PodControl) and checked against
 * uids where both sides carry one, so events of an earlier Deployment of the same name are not mixed in; when an
 * event is missing, the ReplicaSet and Pod are found through ownerReferences instead. Each step carries the time it
 * first happened (ms). Memoized on the state's maps.
 */
import type { ObjectRef, TimelineStepName } from './protocol';
import type { PanelState } from './reducer';
import type { EventRecord, PodRecord, WorkloadRecord } from './records';

export interface TimelineStep {
  step: TimelineStepName;
  done: boolean;
  reason: string;
  detail: string;
  /** When it first happened (ms); undefined when not reached or unknown. */
  ms?: number;
  ref?: ObjectRef;
}

export interface Timeline {
  deployment: ObjectRef;
  uid: string;
  createdMs?: number;
  steps: TimelineStep[];
}

const SCALED_UP = /^Scaled up replica set (\S+) (?:to|from) /;
const CREATED_POD = /^Created pod: (\S+)$/;
const POD_REASONS = ['Scheduled', 'Pulled', 'Started'] as const;

interface Target {
  namespace: string;
  name: string;
  uid: string;
}

/** The event is about `t` (same namespace and name; same uid when both are known). */
function about(e: EventRecord, kind: string, t: Target): boolean {
  return e.ref.kind === kind && e.ref.name === t.name && (e.ref.namespace || e.namespace) === t.namespace && (e.involvedUid === '' || t.uid === '' || e.involvedUid === t.uid);
}

const time = (ms: number | undefined): number => ms ?? -Infinity;

/** The earliest of `events` about `t` not before `after`, whose message matches `re` (if given). */
function earliest(events: EventRecord[], kind: string, t: Target, after: number | undefined, re?: RegExp): { e: EventRecord; m?: RegExpExecArray } | undefined {
  let best: { e: EventRecord; m?: RegExpExecArray } | undefined;
  for (const e of events) {
    if (!about(e, kind, t)) continue;
    if (after !== undefined && e.firstMs !== undefined && e.firstMs < after) continue;
    const m = re ? re.exec(e.message) : undefined;
    if (re && !m) continue;
    if (!best || time(e.firstMs) < time(best.e.firstMs)) best = { e, m: m ?? undefined };
  }
  return best;
}

function latestDeployment(workloads: Iterable<WorkloadRecord>): WorkloadRecord | undefined {
  let best: WorkloadRecord | undefined;
  for (const w of workloads) if (w.kind === 'Deployment' && (!best || time(w.createdMs) >= time(best.createdMs))) best = w;
  return best;
}

function pending(step: TimelineStepName): TimelineStep {
  return { step, done: false, reason: '', detail: '' };
}

function compute(state: PanelState): Timeline | undefined {
  const byReason = new Map<string, EventRecord[]>();
  for (const e of state.events.values()) {
    if (e.reason !== 'ScalingReplicaSet' && e.reason !== 'SuccessfulCreate' && !(POD_REASONS as readonly string[]).includes(e.reason)) continue;
    let list = byReason.get(e.reason);
    if (!list) byReason.set(e.reason, (list = []));
    list.push(e);
  }
  const events = (reason: string): EventRecord[] => byReason.get(reason) ?? [];

  // The Deployment.
  let dep: Target;
  let createdMs: number | undefined;
  const w = latestDeployment(state.workloads.values());
  if (w) {
    dep = { namespace: w.namespace, name: w.name, uid: w.uid };
    createdMs = w.createdMs;
  } else {
    let newest: EventRecord | undefined;
    for (const e of events('ScalingReplicaSet')) if (e.ref.kind === 'Deployment' && (!newest || time(e.firstMs) >= time(newest.firstMs))) newest = e;
    if (!newest) return undefined;
    dep = { namespace: newest.ref.namespace || newest.namespace, name: newest.ref.name, uid: newest.involvedUid };
  }
  const depRef: ObjectRef = { kind: 'Deployment', namespace: dep.namespace, name: dep.name, apiVersion: 'apps/v1' };
  const steps: TimelineStep[] = [{ step: 'Deployment', done: true, reason: 'Created', detail: dep.name, ms: createdMs, ref: depRef }];

  // Deployment → ReplicaSet.
  let rs: Target | undefined;
  const scaled = earliest(events('ScalingReplicaSet'), 'Deployment', dep, createdMs, SCALED_UP);
  const rsFor = (name: string) => [...state.workloads.values()].find((x) => x.kind === 'ReplicaSet' && x.namespace === dep.namespace && x.name === name);
  if (scaled) {
    const name = scaled.m![1]!;
    rs = { namespace: dep.namespace, name, uid: rsFor(name)?.uid ?? '' };
    steps.push({ step: 'ReplicaSet', done: true, reason: 'ScalingReplicaSet', detail: scaled.e.message, ms: scaled.e.firstMs, ref: { kind: 'ReplicaSet', namespace: rs.namespace, name, apiVersion: 'apps/v1' } });
  } else {
    let owned: WorkloadRecord | undefined;
    for (const x of state.workloads.values()) {
      const mine = x.kind === 'ReplicaSet' && x.namespace === dep.namespace && (dep.uid !== '' ? x.ownerUid === dep.uid : x.ownerName === dep.name);
      if (mine && (!owned || time(x.createdMs) < time(owned.createdMs))) owned = x;
    }
    if (owned) {
      rs = { namespace: owned.namespace, name: owned.name, uid: owned.uid };
      steps.push({ step: 'ReplicaSet', done: true, reason: 'Created', detail: owned.name, ms: owned.createdMs, ref: { kind: 'ReplicaSet', namespace: owned.namespace, name: owned.name, apiVersion: 'apps/v1' } });
    } else steps.push(pending('ReplicaSet'));
  }

  // ReplicaSet → Pod.
  let pod: Target | undefined;
  let podMs: number | undefined;
  if (rs) {
    const created = earliest(events('SuccessfulCreate'), 'ReplicaSet', rs, createdMs, CREATED_POD);
    const podFor = (name: string): PodRecord | undefined => {
      for (const p of state.pods.values()) if (p.namespace === rs.namespace && p.name === name) return p;
      return undefined;
    };
    if (created) {
      const name = created.m![1]!;
      pod = { namespace: rs.namespace, name, uid: podFor(name)?.uid ?? '' };
      podMs = created.e.firstMs;
      steps.push({ step: 'Pod', done: true, reason: 'SuccessfulCreate', detail: created.e.message, ms: podMs, ref: { kind: 'Pod', namespace: pod.namespace, name, apiVersion: 'v1' } });
    } else {
      let owned: PodRecord | undefined;
      for (const p of state.pods.values()) {
        const mine = p.namespace === rs.namespace && (rs.uid !== '' && p.ownerUid !== '' ? p.ownerUid === rs.uid : p.ownerName === rs.name);
        if (mine && (!owned || time(p.createdMs) < time(owned.createdMs))) owned = p;
      }
      if (owned) {
        pod = { namespace: owned.namespace, name: owned.name, uid: owned.uid };
        podMs = owned.createdMs;
        steps.push({ step: 'Pod', done: true, reason: 'Created', detail: owned.name, ms: podMs, ref: { kind: 'Pod', namespace: owned.namespace, name: owned.name, apiVersion: 'v1' } });
      }
    }
  }
  if (!pod) steps.push(pending('Pod'));

  // Pod → Scheduled → Pulled → Started.
  for (const reason of POD_REASONS) {
    const hit = pod ? earliest(events(reason), 'Pod', pod, podMs ?? createdMs) : undefined;
    steps.push(hit ? { step: reason, done: true, reason, detail: hit.e.message, ms: hit.e.firstMs, ref: { ...hit.e.ref } } : pending(reason));
  }
  return { deployment: depRef, uid: dep.uid, createdMs, steps };
}

const memo = new WeakMap<PanelState['events'], WeakMap<PanelState['workloads'], WeakMap<PanelState['pods'], { value: Timeline | undefined }>>>();

/** The timeline of the newest Deployment, or undefined when the panel has seen none. */
export function deploymentTimeline(state: PanelState): Timeline | undefined {
  let byWorkloads = memo.get(state.events);
  if (!byWorkloads) memo.set(state.events, (byWorkloads = new WeakMap()));
  let byPods = byWorkloads.get(state.workloads);
  if (!byPods) byWorkloads.set(state.workloads, (byPods = new WeakMap()));
  let hit = byPods.get(state.pods);
  if (!hit) byPods.set(state.pods, (hit = { value: compute(state) }));
  return hit.value;
}
