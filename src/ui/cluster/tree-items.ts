/**
 * Rendering one Cluster tree item from its object: label, description, tooltip, icon and contextValue (what the
 * VS Code layer's `when` clauses test: `kubelab.node.schedulable` / `kubelab.node.cordoned`, `kubelab.namespace`,
 * `kubelab.workload.<kind>` (deployment, statefulset, replicaset are scalable; deployment, statefulset, daemonset
 * restartable), `kubelab.pod`, `kubelab.root.nodes` / `kubelab.root.namespaces`). Pure: object + usage + now in,
 * item out.
 */
import type { KubeObject } from '../../api/object';
import type { ClusterKind, IconId, WorkloadKind } from './ids';
import { NAMESPACES_ROOT, NODES_ROOT } from './ids';
import { nodeDescription, type NodeUsage } from './node-usage';
import { nodeIcon, nodeSummary, podIcon, podSummary, workloadSummary } from './status';

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface ClusterTreeItem {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: IconId;
  contextValue: string;
  collapsible: Collapsible;
  /** The object the item stands for (absent for the roots). */
  ref?: { kind: ClusterKind; namespace: string; name: string };
}

const meta = (o: KubeObject) => o.metadata ?? {};

export function rootItem(id: typeof NODES_ROOT | typeof NAMESPACES_ROOT, count: number): ClusterTreeItem {
  const nodes = id === NODES_ROOT;
  return {
    id,
    label: nodes ? 'Nodes' : 'Namespaces',
    description: String(count),
    icon: nodes ? 'server' : 'symbol-namespace',
    contextValue: `kubelab.root.${id}`,
    collapsible: 'expanded',
  };
}

export function nodeItem(id: string, node: KubeObject, usage: NodeUsage, nowMs: number): ClusterTreeItem {
  const name = meta(node).name ?? '';
  const s = nodeSummary(node, nowMs);
  const description = nodeDescription(s.status, node, usage);
  return {
    id,
    label: name,
    description,
    tooltip: `node/${name}\n${description}${s.roles !== '<none>' ? `\nRoles: ${s.roles}` : ''}`,
    icon: nodeIcon(s),
    contextValue: s.cordoned ? 'kubelab.node.cordoned' : 'kubelab.node.schedulable',
    collapsible: 'none',
    ref: { kind: 'Node', namespace: '', name },
  };
}

export function namespaceItem(id: string, name: string, ns: KubeObject | undefined, hasChildren: boolean): ClusterTreeItem {
  const phase = (ns?.status as { phase?: string } | undefined)?.phase;
  return {
    id,
    label: name,
    ...(phase === 'Terminating' ? { description: 'Terminating' } : {}),
    tooltip: `namespace/${name}${phase ? `\nStatus: ${phase}` : ''}`,
    icon: 'symbol-namespace',
    contextValue: 'kubelab.namespace',
    collapsible: hasChildren ? 'collapsed' : 'none',
    ref: { kind: 'Namespace', namespace: '', name },
  };
}

export function workloadItem(id: string, kind: WorkloadKind, o: KubeObject, hasChildren: boolean, nowMs: number): ClusterTreeItem {
  const name = meta(o).name ?? '';
  const ns = meta(o).namespace ?? '';
  const s = workloadSummary(kind, o, nowMs);
  const label = `${kind.toLowerCase()}/${name}`;
  return {
    id,
    label,
    description: s.description,
    tooltip: `${ns}/${label}\n${s.description}`,
    icon: s.icon,
    contextValue: `kubelab.workload.${kind.toLowerCase()}`,
    collapsible: hasChildren ? 'collapsed' : 'none',
    ref: { kind, namespace: ns, name },
  };
}

export function podItem(id: string, pod: KubeObject, nowMs: number): ClusterTreeItem {
  const name = meta(pod).name ?? '';
  const ns = meta(pod).namespace ?? '';
  const s = podSummary(pod, nowMs);
  const parts = [s.status, s.ready];
  if (s.restarts !== '0') parts.push(`${s.restarts} restarts`);
  if (s.node !== '<none>') parts.push(s.node);
  return {
    id,
    label: name,
    description: parts.join(' · '),
    tooltip: `pod ${ns}/${name}\nStatus: ${s.status}\nReady: ${s.ready}\nRestarts: ${s.restarts}\nNode: ${s.node}\nIP: ${s.ip}`,
    icon: podIcon(s.status, s.ready),
    contextValue: 'kubelab.pod',
    collapsible: 'none',
    ref: { kind: 'Pod', namespace: ns, name },
  };
}
