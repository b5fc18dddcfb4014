/**
 * Defaults and node placement: the default control plane (kubelab-control-plane, 2 CPUs, 4Gi, 110 pods, always
 * tainted node-role.kubernetes.io/control-plane:NoSchedule) and worker template (4 CPUs, 8Gi, 110 pods, runtime
 * sim), kind's worker naming (kubelab-worker, kubelab-worker2 …), and `placeNodes`, which gives the node at position
 * i the internal IP 172.18.0.(2+i) and the i-th /24 of the pod CIDR. defaultClusterConfig() is what `npm start`
 * runs without a config file.
 */
import { defaultAddons, defaultKubeProxy } from './networking';
import { nodeInternalIP, nodePodCidr, parseCidr, type Cidr } from './network';
import {
  CLUSTER_CONFIG_API_VERSION,
  CLUSTER_CONFIG_KIND,
  CONTROL_PLANE_TAINT,
  DEFAULT_CONTROL_PLANE_NAME,
  DEFAULT_POD_CIDR,
  DEFAULT_PORT,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_TIME_SCALE,
  DEFAULT_WORKER_COUNT,
  WORKER_NAME_PREFIX,
  type ClusterConfig,
  type NodeRole,
  type NodeTemplate,
  type ResolvedNode,
  type Taint,
} from './types';

export function defaultControlPlaneTemplate(): NodeTemplate {
  return { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, labels: {}, taints: [], runtime: 'sim' };
}

export function defaultWorkerTemplate(): NodeTemplate {
  return { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, labels: {}, taints: [], runtime: 'sim' };
}

/** kind's naming: 1 → kubelab-worker, 2 → kubelab-worker2, … */
export function workerName(ordinal: number): string {
  return ordinal <= 1 ? WORKER_NAME_PREFIX : `${WORKER_NAME_PREFIX}${ordinal}`;
}

/** The first kind-style worker name not in `taken`. */
export function nextWorkerName(taken: ReadonlySet<string>): string {
  return freeWorkerNames(taken).next().value as string;
}

/** Kind-style worker names not in `taken`, in order (one pass, so n names cost O(n)). */
export function* freeWorkerNames(taken: ReadonlySet<string>): Generator<string, never> {
  for (let k = 1; ; k++) if (!taken.has(workerName(k))) yield workerName(k);
}

/** The taints with the control-plane NoSchedule taint added unless already there. */
export function withControlPlaneTaint(taints: readonly Taint[]): Taint[] {
  const has = taints.some((t) => t.key === CONTROL_PLANE_TAINT.key && t.effect === CONTROL_PLANE_TAINT.effect);
  return has ? taints.map((t) => ({ ...t })) : [...taints.map((t) => ({ ...t })), { ...CONTROL_PLANE_TAINT }];
}

export interface NodeDraft {
  name: string;
  role: NodeRole;
  fields: NodeTemplate;
}

function copyFields(f: NodeTemplate): NodeTemplate {
  return { capacity: { ...f.capacity }, labels: { ...f.labels }, taints: f.taints.map((t) => ({ ...t })), runtime: f.runtime };
}

/** One resolved node at position `index`, the control plane's taint enforced. */
export function placeNode(draft: NodeDraft, index: number, pod: Cidr): ResolvedNode {
  const f = copyFields(draft.fields);
  return {
    name: draft.name,
    role: draft.role,
    ...f,
    taints: draft.role === 'control-plane' ? withControlPlaneTaint(f.taints) : f.taints,
    internalIP: nodeInternalIP(index),
    podCIDR: nodePodCidr(pod, index),
  };
}

/** Positions 0, 1, 2 … in order (the control plane first). */
export function placeNodes(drafts: readonly NodeDraft[], pod: Cidr): ResolvedNode[] {
  return drafts.map((d, i) => placeNode(d, i, pod));
}

/** `count` workers from the template, named kind-style, skipping names already taken. */
export function workerDrafts(count: number, template: NodeTemplate, taken: Set<string>): NodeDraft[] {
  const out: NodeDraft[] = [];
  const free = freeWorkerNames(new Set(taken));
  for (let i = 0; i < count; i++) {
    const name = free.next().value;
    taken.add(name);
    out.push({ name, role: 'worker', fields: copyFields(template) });
  }
  return out;
}

export function defaultClusterConfig(): ClusterConfig {
  const pod = parseCidr(DEFAULT_POD_CIDR) as Cidr;
  const workerTemplate = defaultWorkerTemplate();
  const drafts: NodeDraft[] = [
    { name: DEFAULT_CONTROL_PLANE_NAME, role: 'control-plane', fields: defaultControlPlaneTemplate() },
    ...workerDrafts(DEFAULT_WORKER_COUNT, workerTemplate, new Set([DEFAULT_CONTROL_PLANE_NAME])),
  ];
  return {
    apiVersion: CLUSTER_CONFIG_API_VERSION,
    kind: CLUSTER_CONFIG_KIND,
    port: DEFAULT_PORT,
    storage: { type: 'sqljs' },
    timeScale: DEFAULT_TIME_SCALE,
    nodes: placeNodes(drafts, pod),
    workerTemplate,
    podCIDR: DEFAULT_POD_CIDR,
    podCIDRAuto: true,
    serviceCIDR: DEFAULT_SERVICE_CIDR,
    kubeProxy: defaultKubeProxy(),
    addons: defaultAddons(),
  };
}
