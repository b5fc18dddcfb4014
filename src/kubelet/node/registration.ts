/**
 * Node registration (upstream kubelet registerWithAPIServer / tryRegisterWithAPIServer): POST the Node; on
 * AlreadyExists read the existing Node and reconcile only what the kubelet owns — its default labels (hostname,
 * os, arch and their beta twins) and the controller-managed-attach-detach annotation — with a patch of nodes/status,
 * keeping everything else (spec, taints, other labels, the uid). Failures are retried on the Clock, 100 ms doubling to
 * 7 s, until registered or stopped.
 *
 * Labels a node may not set on itself (NodeRestriction: `node-role.kubernetes.io/*` and other kubernetes.io/k8s.io
 * labels that are not the kubelet's) are left out of the POST; upstream's kubelet refuses them in --node-labels and
 * kubeadm adds them afterwards with admin credentials. Given a `privilegedClient`, registration does the same
 * (kubeadm's mark-control-plane); without one they are dropped with a warning.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { isAlreadyExists, R, type ApiClient, type Obj } from '../../controllers/framework';
import { clockSleep, nextBackoff } from './clock-sleep';
import { CMAD_ANNOTATION, defaultLabels, type NodeConfig, type NodeObject } from './node-object';

const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
]);

const inDomain = (ns: string, d: string) => ns === d || ns.endsWith(`.${d}`);

/** Whether a node may set this label on its own Node (cmd/kubelet's --node-labels check, NodeRestriction's rule). */
export function isNodeSettableLabel(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const ns = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if (inDomain(ns, 'kubelet.kubernetes.io') || inDomain(ns, 'node.kubernetes.io')) return true;
  if (inDomain(ns, 'node-restriction.kubernetes.io')) return false;
  return !inDomain(ns, 'kubernetes.io') && !inDomain(ns, 'k8s.io');
}

/** Splits labels into those the node sets itself and those an admin must add. */
export function splitLabels(labels: Record<string, string>): { own: Record<string, string>; privileged: Record<string, string> } {
  const own: Record<string, string> = {};
  const privileged: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) (isNodeSettableLabel(k) ? own : privileged)[k] = v;
  return { own, privileged };
}

/**
 * updateDefaultLabels + reconcileCMADAnnotationWithExistingNode: the metadata patch that brings `existing` in line
 * with what the kubelet owns (null deletes), or undefined when nothing needs to change.
 */
export function reconcilePatch(cfg: NodeConfig, wanted: NodeObject, existing: Obj): Obj | undefined {
  const meta = (existing.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const labels: Record<string, string | null> = {};
  const have = meta.labels ?? {};
  const owned = defaultLabels(cfg);
  for (const [k, v] of Object.entries(owned)) if (have[k] !== v) labels[k] = v;
  const annotations: Record<string, string | null> = {};
  const want = wanted.metadata.annotations[CMAD_ANNOTATION];
  const cur = meta.annotations?.[CMAD_ANNOTATION];
  if (want === undefined && cur !== undefined) annotations[CMAD_ANNOTATION] = null;
  if (want !== undefined && cur !== want) annotations[CMAD_ANNOTATION] = want;
  const patch: Record<string, unknown> = {};
  if (Object.keys(labels).length) patch.labels = labels;
  if (Object.keys(annotations).length) patch.annotations = annotations;
  return Object.keys(patch).length ? { metadata: patch } : undefined;
}

export interface RegistrationOptions {
  /** The kubelet's client (identity system:node:<name>). */
  client: ApiClient;
  config: NodeConfig;
  /** Builds the Node to register at a given time (default buildNode with a healthy node). */
  build: (nowMs: number) => NodeObject;
  clock: Clock;
  logger: Logger;
  /** Admin client that adds labels a node may not set itself (role labels), as kubeadm does. */
  privilegedClient?: ApiClient;
  signal?: AbortSignal;
  /** Retry step bounds (ms); default 100 → 7000 as upstream. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export type RegisterOutcome = 'created' | 'reconciled' | 'stopped';

/** One tryRegisterWithAPIServer: true when the node is registered (created or reconciled). */
export async function tryRegister(o: RegistrationOptions): Promise<'created' | 'reconciled' | undefined> {
  const node = o.build(o.clock.now());
  const { own, privileged } = splitLabels(node.metadata.labels);
  const body = { ...node, metadata: { ...node.metadata, labels: own } };
  try {
    await o.client.create(R.nodes, '', body as unknown as Obj);
    await applyPrivilegedLabels(o, privileged);
    o.logger.info(`Successfully registered node ${JSON.stringify(node.metadata.name)}`);
    return 'created';
  } catch (e) {
    if (!isAlreadyExists(e)) {
      o.logger.error(`Unable to register node with API server: ${(e as Error).message}`);
      return undefined;
    }
  }
  let existing: Obj;
  try {
    existing = await o.client.get(R.nodes, '', node.metadata.name);
  } catch (e) {
    o.logger.error(`Unable to register node with API server, error getting existing node: ${(e as Error).message}`);
    return undefined;
  }
  const patch = reconcilePatch(o.config, node, existing);
  if (patch) {
    try {
      await o.client.patch(R.nodes, '', node.metadata.name, patch, 'strategic', 'status');
    } catch (e) {
      o.logger.error(`Unable to reconcile node with API server, error updating node: ${(e as Error).message}`);
      return undefined;
    }
  }
  await applyPrivilegedLabels(o, privileged);
  return 'reconciled';
}

async function applyPrivilegedLabels(o: RegistrationOptions, labels: Record<string, string>): Promise<void> {
  if (!Object.keys(labels).length) return;
  if (!o.privilegedClient) {
    o.logger.warn(`node ${o.config.name}: labels a node may not set on itself were not applied: ${Object.keys(labels).sort().join(', ')}`);
    return;
  }
  try {
    await o.privilegedClient.patch(R.nodes, '', o.config.name, { metadata: { labels } }, 'merge');
  } catch (e) {
    o.logger.error(`node ${o.config.name}: could not apply labels ${Object.keys(labels).sort().join(', ')}: ${(e as Error).message}`);
  }
}

/** registerWithAPIServer: tries until registered (or the signal aborts), backing off on the Clock. */
export async function registerNode(o: RegistrationOptions): Promise<RegisterOutcome> {
  const max = o.maxBackoffMs ?? 7000;
  let step = o.initialBackoffMs ?? 100;
  for (;;) {
    if (o.signal?.aborted) return 'stopped';
    const r = await tryRegister(o);
    if (r) return r;
    if (!(await clockSleep(o.clock, step, o.signal))) return 'stopped';
    step = nextBackoff(step, max);
  }
}
