/**
 * The API container statuses of a pod from the pod worker's view (upstream convertToAPIContainerStatuses plus the
 * prober manager's UpdatePodStatus), for init containers (spec order) or regular containers (sorted by name, as
 * kubetypes.SortedContainerStatuses):
 * - no instance yet: waiting with the worker's reason, else ContainerCreating (PodInitializing when the pod has init
 *   containers); an instance: running / waiting (created) / terminated with exitCode, reason, message, times and
 *   containerID `<runtime>://<id>`; lastState from the previous instance; a worker reason (CrashLoopBackOff …) turns
 *   a terminated instance into lastState and waits — only while the container would be restarted (not once the pod
 *   is being deleted or terminated, nor against its restart policy), as upstream's reason cache.
 * - what the API already said is kept where upstream keeps it: a terminated status whose container is gone, and a
 *   container that was running but vanished from the runtime (ContainerStatusUnknown, exit 137).
 * - started: running and startup probe passed (or none); ready: started, running and readiness passed (or none);
 *   a regular init container is ready once it exited 0.
 */
import type { ContainerRecord, PodView } from '../pod/pod-view';
import type { ContainerStatus } from '../runtime/runtime';
import { isImageRefError, parseImageRef } from '../runtime/image-ref';
import {
  ContainerCreating,
  PodInitializing,
  isRestartableInit,
  metaTime,
  podSpec,
  podStatusOf,
  type ApiContainerStatus,
  type ContainerState,
  type ContainerStateTerminated,
  type SpecContainer,
} from './types';

export const ContainerStatusUnknown = 'ContainerStatusUnknown';

function terminatedOf(cs: ContainerStatus, runtimeName: string): ContainerStateTerminated {
  const t: ContainerStateTerminated = { exitCode: cs.exitCode ?? 0 };
  if (cs.reason) t.reason = cs.reason;
  if (cs.message) t.message = cs.message;
  if (cs.startedAt !== undefined) t.startedAt = metaTime(cs.startedAt);
  if (cs.finishedAt !== undefined) t.finishedAt = metaTime(cs.finishedAt);
  t.containerID = `${runtimeName}://${cs.id}`;
  return t;
}

function stateOf(cs: ContainerStatus, runtimeName: string): ContainerState {
  if (cs.state === 'running') return { running: cs.startedAt !== undefined ? { startedAt: metaTime(cs.startedAt) } : {} };
  if (cs.state === 'exited') return { terminated: terminatedOf(cs, runtimeName) };
  return { waiting: {} };
}

/** What containerd reports: the normalized name, and the image as `<repository>@<digest>`. */
function imageNames(cs: ContainerStatus): { image: string; imageID: string } {
  const ref = parseImageRef(cs.image);
  if (isImageRefError(ref)) return { image: cs.image, imageID: cs.imageId };
  const imageID = cs.imageId.startsWith('sha256:') ? `${ref.domain}/${ref.path}@${cs.imageId}` : cs.imageId;
  return { image: ref.normalized, imageID };
}

const copyState = (s: ContainerState | undefined): ContainerState => (s ? { ...s } : {});

interface Ctx {
  view: PodView;
  runtimeName: string;
  defaultWaiting: string;
  old: Map<string, ApiContainerStatus>;
  deleting: boolean;
  anyRegularCreated: boolean;
  restartPolicy: string;
}

function convert(ctx: Ctx, spec: SpecContainer, rec: ContainerRecord | undefined, init: boolean): ApiContainerStatus {
  const old = ctx.old.get(spec.name);
  const current = rec?.current;
  let s: ApiContainerStatus = {
    name: spec.name,
    state: { waiting: { reason: ctx.defaultWaiting } },
    lastState: copyState(old?.lastState),
    ready: false,
    restartCount: rec?.restartCount ?? old?.restartCount ?? 0,
    image: spec.image ?? '',
    imageID: '',
  };
  if (!current && old?.state.terminated) {
    // The container is gone from the runtime: the terminated status the API has stays right.
    s = { ...(JSON.parse(JSON.stringify(old)) as ApiContainerStatus), restartCount: s.restartCount };
  } else if (!current && old?.state.running && !s.lastState.terminated) {
    // It used to run and vanished: show it stopped, so the pod does not fall back to Pending.
    s.lastState = {
      terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: 'The container could not be located when the pod was deleted.  The container used to be Running' },
    };
    if (!ctx.deleting) s.restartCount = Math.max(s.restartCount, old.restartCount + 1);
  }
  if (current) {
    Object.assign(s, imageNames(current));
    s.containerID = `${ctx.runtimeName}://${current.id}`;
    s.state = stateOf(current, ctx.runtimeName);
    if (rec?.previous) s.lastState = stateOf(rec.previous, ctx.runtimeName);
  }
  const exitedOk = current?.state === 'exited' && (current.exitCode ?? 0) === 0;
  if (init && !current && !isRestartableInit(spec) && ctx.anyRegularCreated && s.state.waiting) {
    s.state = { terminated: { exitCode: 0, reason: 'Completed', message: 'Unable to get init container status from container runtime and pod has been initialized, treat it as exited normally' } };
  } else if (rec?.waiting && !(init && exitedOk) && shouldRestart(ctx, spec, current, init)) {
    if (s.state.terminated) s.lastState = s.state;
    const w = rec.waiting;
    s.state = { waiting: w.message ? { reason: w.reason, message: w.message } : { reason: w.reason } };
  }
  probeResults(ctx.view, spec, s, init);
  return s;
}

/** kubecontainer.ShouldContainerBeRestarted: only then does the worker's waiting reason replace the state. */
function shouldRestart(ctx: Ctx, spec: SpecContainer, current: ContainerStatus | undefined, init: boolean): boolean {
  if (ctx.deleting || ctx.view.terminated) return false;
  if (!current || current.state === 'created') return true;
  if (current.state === 'running') return false;
  const policy = init && isRestartableInit(spec) ? 'Always' : ctx.restartPolicy;
  if (policy === 'Never') return false;
  return !(policy === 'OnFailure' && (current.exitCode ?? 0) === 0);
}

/** The prober manager's UpdatePodStatus for one container. */
function probeResults(view: PodView, spec: SpecContainer, s: ApiContainerStatus, init: boolean): void {
  const running = !!s.state.running;
  const verdict = running ? view.probes.get(spec.name) : undefined;
  const started = running && (verdict ? verdict.started : !spec.startupProbe);
  s.started = started;
  if (init && !isRestartableInit(spec)) {
    s.ready = !!s.state.terminated && s.state.terminated.exitCode === 0;
    return;
  }
  s.ready = started && running && (verdict ? verdict.ready : !spec.readinessProbe);
}

export interface ConvertedStatuses {
  initContainerStatuses: ApiContainerStatus[];
  containerStatuses: ApiContainerStatus[];
}

/** Init container statuses in spec order and regular ones sorted by name, from the view and the API's last word. */
export function convertContainerStatuses(view: PodView, runtimeName: string): ConvertedStatuses {
  const spec = podSpec(view.pod);
  const apiStatus = podStatusOf(view.pod);
  const byKind = (kind: 'init' | 'regular') => new Map(view.containers.filter((c) => c.kind === kind).map((c) => [c.name, c]));
  const initRecs = byKind('init');
  const regularRecs = byKind('regular');
  const meta = view.pod.metadata as { deletionTimestamp?: string };
  const base = {
    view,
    runtimeName,
    defaultWaiting: spec.initContainers.length > 0 ? PodInitializing : ContainerCreating,
    deleting: !!meta.deletionTimestamp,
    restartPolicy: spec.restartPolicy,
    anyRegularCreated: spec.containers.some((c) => !!regularRecs.get(c.name)?.current),
  };
  const oldMap = (l: ApiContainerStatus[] | undefined) => new Map((Array.isArray(l) ? l : []).map((c) => [c.name, c]));
  const initCtx: Ctx = { ...base, old: oldMap(apiStatus.initContainerStatuses) };
  const regCtx: Ctx = { ...base, old: oldMap(apiStatus.containerStatuses) };
  const initContainerStatuses = spec.initContainers.map((c) => convert(initCtx, c, initRecs.get(c.name), true));
  const containerStatuses = spec.containers.map((c) => convert(regCtx, c, regularRecs.get(c.name), false));
  containerStatuses.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { initContainerStatuses, containerStatuses };
}
