/**
 * Static pods (upstream pkg/kubelet/config file source + mirror client): pods the kubelet runs from manifests it
 * was given rather than from the API. Each gets the name `<name>-<node>`, a uid that is a hash of the manifest and
 * the node (so a restart finds the same pod), the config annotations (hash, source, seen) and spec.nodeName. The
 * kubelet makes a *mirror pod* for each in the API — the same pod with `kubernetes.io/config.mirror: <hash>`,
 * owned by the Node — so kubectl sees it; the mirror's status is the static pod's. A mirror deleted by a user or
 * with a stale hash is recreated.
 */
import { createHash } from 'node:crypto';
import { deepCopy } from '../api/object';
import type { ApiPod } from './pod/pod-worker';

export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';
export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';

type Obj = Record<string, unknown>;

export const isMirrorPod = (pod: Obj): boolean => Object.hasOwn(((pod.metadata as Obj | undefined)?.annotations ?? {}) as Obj, CONFIG_MIRROR);

/** Go's RFC3339Nano: the fraction without trailing zeros (and without the dot when it is zero). */
function goRfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/** The static pod the kubelet runs for `manifest` on `nodeName`. */
export function staticPod(manifest: Obj, nodeName: string, seenMs: number): ApiPod {
  const pod = deepCopy(manifest) as ApiPod;
  const md = pod.metadata as ApiPod['metadata'] & { annotations?: Record<string, string>; labels?: Record<string, string> };
  const hash = createHash('md5').update(JSON.stringify(manifest)).update(nodeName).digest('hex');
  md.name = `${md.name}-${nodeName}`;
  md.namespace = md.namespace ?? 'default';
  // A uid written in the manifest is kept; otherwise the hash is the uid (upstream applyDefaults).
  md.uid = md.uid || hash;
  md.annotations = { ...(md.annotations ?? {}), [CONFIG_HASH]: md.uid, [CONFIG_SOURCE]: 'file', [CONFIG_SEEN]: goRfc3339Nano(seenMs) };
  const spec: Obj = { ...((pod.spec ?? {}) as Obj), nodeName };
  // File-sourced static pods tolerate every NoExecute taint, so taint eviction never touches the control plane.
  const tolerations = Array.isArray(spec.tolerations) ? [...(spec.tolerations as Obj[])] : [];
  if (!tolerations.some((t) => t.operator === 'Exists' && t.effect === 'NoExecute' && !t.key)) tolerations.push({ operator: 'Exists', effect: 'NoExecute' });
  spec.tolerations = tolerations;
  pod.spec = spec;
  pod.kind = 'Pod';
  pod.apiVersion = 'v1';
  return pod;
}

/** The mirror pod to create in the API for a static pod. */
export function mirrorPod(pod: ApiPod, node: { name: string; uid: string }): Obj {
  const m = deepCopy(pod) as ApiPod & { metadata: Obj };
  const md = m.metadata as Obj & { annotations: Record<string, string> };
  delete md.uid;
  md.annotations = { ...md.annotations, [CONFIG_MIRROR]: md.annotations[CONFIG_HASH] };
  md.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }];
  delete m.status;
  return m;
}

/** Whether a mirror pod in the API still mirrors `pod` (same hash, not being deleted). */
export function mirrorIsCurrent(mirror: Obj, pod: ApiPod): boolean {
  const md = mirror.metadata as { annotations?: Record<string, string>; deletionTimestamp?: string };
  return !md.deletionTimestamp && md.annotations?.[CONFIG_MIRROR] === (pod.metadata as { annotations?: Record<string, string> }).annotations?.[CONFIG_HASH];
}
