/**
 * The Cluster view's actions over a Transport, each answering kubectl's one-line result or throwing an Error with the
 * server's message: delete (`pod "x" deleted`), scale through the /scale subresource (`deployment.apps/web scaled`),
 * rollout restart by stamping the pod template's `kubectl.kubernetes.io/restartedAt` annotation
 * (`deployment.apps/web restarted`), cordon / uncordon (`node/x cordoned`, `node/x already cordoned`), and
 * `containersOf(pod)` for a log's container pick. Drain lives in drain.ts, logs in logs.ts.
 */
import type { Clock } from '../../base/clock';
import type { Transport } from '../../client/transport';
import { call, kubectlKind, objectPath, resourceFor } from './rest';

export interface ActionsOptions {
  /** Time source for restartedAt and drain/log delays (default: the system clock). */
  clock?: Clock;
}

export async function deleteObject(t: Transport, kind: string, namespace: string, name: string): Promise<string> {
  const r = resourceFor(kind);
  await call(t, { method: 'DELETE', path: objectPath(r, namespace, name), body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
  return `${kubectlKind(r)} "${name}" deleted`;
}

export async function scale(t: Transport, kind: string, namespace: string, name: string, replicas: number): Promise<string> {
  const r = resourceFor(kind);
  if (!r.subresources.some((s) => s.name === 'scale')) throw new Error(`cannot scale a ${r.kind}: it has no scale subresource`);
  if (!Number.isInteger(replicas) || replicas < 0) throw new Error('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  await call(t, { method: 'PATCH', path: objectPath(r, namespace, name, 'scale'), contentType: 'application/merge-patch+json', body: { spec: { replicas } } });
  return `${kubectlKind(r)}/${name} scaled`;
}

/** time.RFC3339 in UTC, second precision. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function restartRollout(t: Transport, kind: string, namespace: string, name: string, o: ActionsOptions = {}): Promise<string> {
  const r = resourceFor(kind);
  if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(r.kind)) throw new Error(`restarting is not supported for ${kubectlKind(r)}/${name}`);
  const now = o.clock ? o.clock.now() : Date.now();
  const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': rfc3339(now) } } } } };
  await call(t, { method: 'PATCH', path: objectPath(r, namespace, name), contentType: 'application/strategic-merge-patch+json', body: patch });
  return `${kubectlKind(r)}/${name} restarted`;
}

async function setUnschedulable(t: Transport, node: string, desired: boolean): Promise<string> {
  const r = resourceFor('Node');
  const cur = (await call(t, { method: 'GET', path: objectPath(r, '', node) })) as { spec?: { unschedulable?: boolean } };
  const verb = desired ? 'cordoned' : 'uncordoned';
  if ((cur.spec?.unschedulable === true) === desired) return `node/${node} already ${verb}`;
  await call(t, { method: 'PATCH', path: objectPath(r, '', node), contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable: desired ? true : null } } });
  return `node/${node} ${verb}`;
}

export function cordon(t: Transport, node: string): Promise<string> {
  return setUnschedulable(t, node, true);
}

export function uncordon(t: Transport, node: string): Promise<string> {
  return setUnschedulable(t, node, false);
}

export interface ContainerChoice {
  name: string;
  /** 'init' | 'container' | 'ephemeral'. */
  type: 'init' | 'container' | 'ephemeral';
}

/** The pod's containers for a log pick: app containers first, then init and ephemeral ones. */
export function containersOf(pod: unknown): ContainerChoice[] {
  const spec = ((pod as { spec?: Record<string, unknown> } | undefined)?.spec ?? {}) as Record<string, unknown>;
  const names = (v: unknown) => (Array.isArray(v) ? v.map((c) => String((c as { name?: unknown })?.name ?? '')).filter(Boolean) : []);
  return [
    ...names(spec.containers).map((name) => ({ name, type: 'container' as const })),
    ...names(spec.initContainers).map((name) => ({ name, type: 'init' as const })),
    ...names(spec.ephemeralContainers).map((name) => ({ name, type: 'ephemeral' as const })),
  ];
}
