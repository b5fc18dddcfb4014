/**
 * One pod through the scheduler (upstream schedule_one.go): `scheduleOne` pops a pod, runs the synchronous
 * scheduling cycle (snapshot → PreFilter/Filter → PostFilter on failure → PreScore/Score → selectHost → assume →
 * Reserve → Permit) and starts the asynchronous binding cycle (WaitOnPermit → PreBind → Bind → Scheduled event →
 * PostBind). Failures go to failure.ts: Unreserve (reverse order) and forget the assumed pod when it was assumed,
 * then FailedScheduling, the PodScheduled condition and requeueing. The explanation of the decision is recorded and
 * handed to the Bind plugin through the CycleState (DefaultBinder writes it on the Binding).
 */
import { CycleState, podInfo, Status, type NodeInfo, type Pod, type QueuedPodInfo, type StateData } from './framework';
import { AssignedPodDelete } from './queue/events';
import { podReference, podRef, podUid, schedulerNameOf, type Core } from './core';
import { handleSchedulingFailure } from './failure';
import { explain, explanationAnnotations, type Explanation } from './runtime/explain';
import { Diagnosis, ERR_NO_NODES_AVAILABLE, FitError } from './runtime/fit-error';
import { runBindPlugins, runPermitPlugins, runPostBindPlugins, runPreBindPlugins, runReservePluginsReserve, runReservePluginsUnreserve, waitOnPermit } from './runtime/binding-points';
import type { Framework } from './runtime/framework';
import { prioritizeNodes, selectHost, type PrioritizeResult } from './runtime/score';

/** CycleState key DefaultBinder reads the Binding's annotations from. */
export const BINDING_ANNOTATIONS_KEY = 'kubelab/binding-annotations';
/** Upstream framework.PodsToActivateKey: plugins add pods to activate after a successful cycle. */
export const PODS_TO_ACTIVATE_KEY = 'kubernetes.io/pods-to-activate';

export class PodsToActivate implements StateData {
  readonly pods = new Map<string, Pod>();
  clone(): StateData {
    return this;
  }
}

class BindingAnnotations implements StateData {
  constructor(readonly annotations: Record<string, string>) {}
  clone(): StateData {
    return this;
  }
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** What a failed cycle carries to the failure handler. `nominate`: undefined = leave as is, '' = clear, else set. */
export interface CycleFailure {
  status: Status;
  qpi: QueuedPodInfo;
  nominate?: string;
  fitError?: FitError;
}

/** Pops and schedules one pod; false when the queue is closed. The binding cycle continues in the background. */
export async function scheduleOne(core: Core): Promise<boolean> {
  const qpi = await core.queue.pop();
  if (!qpi) return false;
  core.cycling = true;
  try {
    await scheduleQueued(core, qpi);
  } finally {
    core.cycling = false;
  }
  return true;
}

async function scheduleQueued(core: Core, qpi: QueuedPodInfo): Promise<void> {
  const pod = qpi.podInfo.pod;
  const fwk = core.frameworks.get(schedulerNameOf(pod));
  if (!fwk) {
    core.logger.error(`profile not found for scheduler name "${schedulerNameOf(pod)}"`);
    core.queue.done(podUid(pod));
    return;
  }
  if (pod.metadata?.deletionTimestamp) {
    fwk.recorder.event(podReference(pod), 'Warning', 'FailedScheduling', `skip schedule deleting pod: ${podRef(pod)}`);
    core.queue.done(podUid(pod));
    return;
  }
  if (core.cache.isAssumedPod(pod)) {
    core.queue.done(podUid(pod));
    return;
  }
  const state = new CycleState();
  const toActivate = new PodsToActivate();
  state.write(PODS_TO_ACTIVATE_KEY, toActivate);
  const r = await schedulingCycle(core, fwk, state, qpi, toActivate);
  if ('status' in r) {
    core.tasks.track(handleSchedulingFailure(core, fwk, r));
    return;
  }
  core.tasks.track(runBinding(core, fwk, state, r.result, r.assumed, toActivate));
}

type CycleOutcome = { result: ScheduleResult; assumed: QueuedPodInfo } | CycleFailure;

async function schedulingCycle(core: Core, fwk: Framework, state: CycleState, qpi: QueuedPodInfo, toActivate: PodsToActivate): Promise<CycleOutcome> {
  const pod = qpi.podInfo.pod;
  try {
    core.cache.updateSnapshot(core.snapshot);
  } catch (e) {
    return { status: Status.error(e instanceof Error ? e : String(e)), qpi, nominate: '' };
  }
  const numAll = core.snapshot.numNodes();
  if (numAll === 0) return { status: new Status('UnschedulableAndUnresolvable', [ERR_NO_NODES_AVAILABLE]), qpi, nominate: '' };
  const fit = core.search.findNodesThatFitPod(fwk, core.snapshot, state, pod);
  if (fit.error) return { status: fit.error, qpi, nominate: '' };
  if (fit.feasible.length === 0) {
    const fitError = new FitError(pod, numAll, fit.diagnosis);
    let nominate: string | undefined;
    if (fwk.postFilterPlugins.length > 0) {
      const m = fit.diagnosis.absentNodesStatus.code === 'Unschedulable' ? fit.diagnosis.fullMap(core.snapshot.list().map((n) => n.name)) : fit.diagnosis.nodeToStatus;
      const pf = await fwk.runPostFilterPlugins(state, pod, m);
      fit.diagnosis.postFilterMsg = pf.status.message();
      if (pf.status.code === 'Error') core.logger.error(`Status after running PostFilter plugins for pod pod=${podRef(pod)} status=${pf.status.message()}`);
      nominate = pf.result?.nominatedNodeName;
    }
    const msg = fitError.message();
    record(core, fwk, state, pod, numAll, fit.feasible, fit.diagnosis, undefined, undefined, msg);
    return { status: new Status('Unschedulable', [msg]), qpi, nominate, fitError };
  }
  let host: string;
  let scored: PrioritizeResult | undefined;
  if (fit.feasible.length === 1) host = fit.feasible[0].name;
  else {
    scored = prioritizeNodes(fwk, state, pod, fit.feasible, core.explain);
    if (scored.error) return { status: scored.error, qpi, nominate: '' };
    host = selectHost(scored.totals, core.rand);
  }
  const result: ScheduleResult = { suggestedHost: host, evaluatedNodes: fit.feasible.length + fit.diagnosis.nodeToStatus.size, feasibleNodes: fit.feasible.length };
  const e = record(core, fwk, state, pod, numAll, fit.feasible, fit.diagnosis, scored, host, undefined);
  if (e) state.write(BINDING_ANNOTATIONS_KEY, new BindingAnnotations(explanationAnnotations(e)));

  const assumedPod = { ...pod, spec: { ...(pod.spec ?? {}), nodeName: host } } as Pod;
  const assumed: QueuedPodInfo = { ...qpi, podInfo: podInfo(assumedPod) };
  try {
    core.cache.assumePod(assumedPod);
  } catch (err) {
    return { status: Status.error(err instanceof Error ? err : String(err)), qpi: assumed, nominate: '' };
  }
  const reserve = await runReservePluginsReserve(fwk, state, assumedPod, host);
  if (!reserve.isSuccess()) return rejectAssumed(core, fwk, state, assumed, host, reserve);
  const permit = runPermitPlugins(fwk, state, assumedPod, host);
  if (!permit.isSuccess() && permit.code !== 'Wait') return rejectAssumed(core, fwk, state, assumed, host, permit);
  if (toActivate.pods.size > 0) {
    core.queue.activate([...toActivate.pods.values()]);
    toActivate.pods.clear();
  }
  return { result, assumed };
}

/** Reserve/Permit failed: Unreserve, forget, and turn a rejection into a one-node FitError. */
async function rejectAssumed(core: Core, fwk: Framework, state: CycleState, assumed: QueuedPodInfo, host: string, s: Status): Promise<CycleFailure> {
  await runReservePluginsUnreserve(fwk, state, assumed.podInfo.pod, host);
  try {
    core.cache.forgetPod(assumed.podInfo.pod);
  } catch (e) {
    core.logger.error(`Scheduler cache ForgetPod failed: ${String(e)}`);
  }
  if (!s.isRejected()) return { status: s, qpi: assumed, nominate: '' };
  const fitError = oneNodeFitError(assumed.podInfo.pod, host, s);
  return { status: new Status(s.code, [fitError.message()]), qpi: assumed, nominate: '', fitError };
}

function oneNodeFitError(pod: Pod, host: string, s: Status): FitError {
  const d = new Diagnosis();
  d.nodeToStatus.set(host, s);
  d.addPluginStatus(s);
  return new FitError(pod, 1, d);
}

function record(core: Core, fwk: Framework, state: CycleState, pod: Pod, numAll: number, feasible: readonly NodeInfo[], diagnosis: Diagnosis, scored: PrioritizeResult | undefined, host: string | undefined, message: string | undefined): Explanation | undefined {
  if (!core.explain) return undefined;
  const e = explain({
    pod: podRef(pod),
    uid: podUid(pod),
    time: core.clock.now(),
    profile: fwk.profileName,
    numAllNodes: numAll,
    filterPlugins: fwk.filterPlugins.map((p) => p.name),
    skippedFilters: state.skipFilterPlugins,
    feasible,
    diagnosis,
    totals: scored?.totals,
    detail: scored?.detail,
    selectedNode: host,
    message,
  });
  core.decisions.set(e);
  return e;
}

async function runBinding(core: Core, fwk: Framework, state: CycleState, result: ScheduleResult, assumed: QueuedPodInfo, toActivate: PodsToActivate): Promise<void> {
  const pod = assumed.podInfo.pod;
  const host = result.suggestedHost;
  let status = await waitOnPermit(fwk, pod);
  let fitError: FitError | undefined;
  if (!status.isSuccess()) {
    if (status.isRejected()) {
      fitError = oneNodeFitError(pod, host, status);
      status = new Status(status.code, [fitError.message()]);
    }
  } else {
    core.queue.done(podUid(pod));
    status = await runPreBindPlugins(fwk, state, pod, host);
    if (status.isSuccess()) {
      status = await runBindPlugins(fwk, state, pod, host);
      core.cache.finishBinding(pod);
    }
  }
  if (status.isSuccess()) {
    core.logger.debug(`Successfully bound pod to node pod=${podRef(pod)} node=${host} evaluatedNodes=${result.evaluatedNodes} feasibleNodes=${result.feasibleNodes}`);
    fwk.recorder.eventf(podReference(pod), 'Normal', 'Scheduled', 'Successfully assigned %v/%v to %v', pod.metadata?.namespace, pod.metadata?.name, host);
    runPostBindPlugins(fwk, state, pod, host);
    if (toActivate.pods.size > 0) core.queue.activate([...toActivate.pods.values()]);
    return;
  }
  // handleBindingCycleError
  await runReservePluginsUnreserve(fwk, state, pod, host);
  let forgotten = false;
  try {
    core.cache.forgetPod(pod);
    forgotten = true;
  } catch (e) {
    core.logger.error(`scheduler cache ForgetPod failed: ${String(e)}`);
  }
  if (forgotten && !status.isRejected()) core.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, pod, undefined);
  await handleSchedulingFailure(core, fwk, { status, qpi: assumed, nominate: '', fitError });
  if (forgotten && status.isRejected()) core.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, pod, undefined, (p) => podUid(p) !== podUid(pod));
}
