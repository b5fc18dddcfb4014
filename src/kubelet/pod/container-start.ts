/**
 * Starting one container the way the kubelet's kuberuntime startContainer does: pull the image per its
 * imagePullPolicy (with the image back-off), resolve the environment, create, start — recording the upstream events
 * (Pulling, Pulled, Failed, BackOff, InspectFailed, ErrImageNeverPull, Created, Started) on the container's field
 * path. Returns the new instance's id, or the waiting reason and message that the container's status must show, and
 * when to try again: a failed sync is retried after the pod worker's back-off period (upstream backOffPeriod, 10 s,
 * without its jitter) — so a pull in back-off shows ImagePullBackOff, with the last pull error appended (1.32+).
 */
import type { Clock } from '../../base/clock';
import type { EventRecorder } from '../../client/events';
import { isRuntimeError } from '../runtime/errors';
import type { ContainerRuntime, PullPolicy } from '../runtime/runtime';
import { goDuration, type Backoff } from './backoff';
import { containerEnv, ContainerConfigError, type SourceReader } from './container-env';
import type { Waiting } from './pod-view';

type Obj = Record<string, unknown>;

export interface StartDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  recorder: EventRecorder;
  pullBackoff: Backoff;
  read: SourceReader;
}

export interface StartInput {
  pod: Obj & { metadata: { uid?: string; name?: string; namespace?: string } };
  /** The container as the pod spec has it. */
  container: Obj & { name: string; image: string };
  /** spec.containers{name} or spec.initContainers{name}. */
  fieldPath: string;
  sandboxId: string;
  podIP: string;
  hostIP: string;
}

export type StartResult = { id: string; imageId: string } | { waiting: Waiting; retryAt?: number };

/** Upstream's pod worker back-off after a failed sync (pod_workers.go backOffPeriod). */
export const SYNC_RETRY_MS = 10_000;

function ref(i: StartInput): Obj {
  const m = i.pod.metadata;
  return { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, fieldPath: i.fieldPath };
}

async function pull(d: StartDeps, i: StartInput): Promise<{ imageId: string } | { waiting: Waiting; retryAt?: number }> {
  const image = i.container.image;
  const policy = (i.container.imagePullPolicy as PullPolicy | undefined) ?? 'IfNotPresent';
  const r = ref(i);
  const key = `${i.pod.metadata.uid}/${image}`;
  try {
    // The reference is checked first (upstream applyDefaultImageTag): a bad one never gets a Pulling event.
    const present = await d.runtime.imageStatus(image);
    if (policy !== 'Always') {
      if (present) {
        d.recorder.event(r, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { imageId: present.imageId };
      }
      if (policy === 'Never') {
        const msg = `Container image "${image}" is not present with pull policy of Never`;
        d.recorder.event(r, 'Warning', 'ErrImageNeverPull', msg);
        d.recorder.event(r, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
        return { waiting: { reason: 'ErrImageNeverPull', message: msg } };
      }
    }
    const now = d.clock.now();
    if (d.pullBackoff.inBackoffSinceUpdate(key, now)) {
      const msg = `Back-off pulling image "${image}"`;
      d.recorder.event(r, 'Normal', 'BackOff', msg);
      d.recorder.event(r, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      const prev = d.pullBackoff.note(key);
      return { waiting: { reason: 'ImagePullBackOff', message: prev ? `${msg}: ${prev}` : msg }, retryAt: now + SYNC_RETRY_MS };
    }
    d.pullBackoff.setNote(key, undefined);
    d.recorder.event(r, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const t0 = d.clock.now();
    try {
      const p = await d.runtime.pullImage(image, policy);
      const took = goDuration(d.clock.now() - t0);
      d.recorder.event(r, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${p.sizeBytes} bytes.`);
      return { imageId: p.imageId };
    } catch (e) {
      if (isRuntimeError(e, 'ErrImagePull')) {
        d.pullBackoff.next(key, d.clock.now());
        d.pullBackoff.setNote(key, `ErrImagePull: ${e.message}`);
        d.recorder.event(r, 'Warning', 'Failed', `Failed to pull image "${image}": ${e.message}`);
        d.recorder.event(r, 'Warning', 'Failed', 'Error: ErrImagePull');
        return { waiting: { reason: 'ErrImagePull', message: e.message }, retryAt: d.clock.now() + SYNC_RETRY_MS };
      }
      throw e;
    }
  } catch (e) {
    if (isRuntimeError(e, 'InvalidImageName')) {
      d.recorder.event(r, 'Warning', 'InspectFailed', e.message);
      d.recorder.event(r, 'Warning', 'Failed', 'Error: InvalidImageName');
      return { waiting: { reason: 'InvalidImageName', message: e.message } };
    }
    if (isRuntimeError(e, 'ErrImageNeverPull')) {
      d.recorder.event(r, 'Warning', 'ErrImageNeverPull', e.message);
      return { waiting: { reason: 'ErrImageNeverPull', message: e.message } };
    }
    throw e;
  }
}

export async function startContainer(d: StartDeps, i: StartInput): Promise<StartResult> {
  const pulled = await pull(d, i);
  if ('waiting' in pulled) return pulled;
  const r = ref(i);
  const c = i.container;
  let resolved;
  try {
    resolved = await containerEnv({ pod: i.pod, container: c as never, podIP: i.podIP, hostIP: i.hostIP, read: d.read });
  } catch (e) {
    if (!(e instanceof ContainerConfigError)) throw e;
    d.recorder.event(r, 'Warning', 'Failed', `Error: ${e.message}`);
    return { waiting: { reason: 'CreateContainerConfigError', message: e.message }, retryAt: d.clock.now() + SYNC_RETRY_MS };
  }
  let id: string;
  try {
    id = await d.runtime.createContainer(i.sandboxId, {
      name: c.name,
      image: c.image,
      command: resolved.command,
      args: resolved.args,
      env: resolved.env,
      workingDir: typeof c.workingDir === 'string' ? c.workingDir : undefined,
      resources: c.resources as never,
      ports: c.ports as never,
    });
  } catch (e) {
    if (!isRuntimeError(e)) throw e;
    d.recorder.event(r, 'Warning', 'Failed', `Error: ${e.message}`);
    return { waiting: { reason: 'CreateContainerError', message: e.message }, retryAt: d.clock.now() + SYNC_RETRY_MS };
  }
  d.recorder.event(r, 'Normal', 'Created', `Created container: ${c.name}`);
  try {
    await d.runtime.startContainer(id);
  } catch (e) {
    if (!isRuntimeError(e)) throw e;
    d.recorder.event(r, 'Warning', 'Failed', `Error: ${e.message}`);
    return { id, imageId: pulled.imageId };
  }
  d.recorder.event(r, 'Normal', 'Started', `Started container ${c.name}`);
  return { id, imageId: pulled.imageId };
}
