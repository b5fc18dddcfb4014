/**
 * The Cluster tree's stable ids, icons and context values — the vocabulary shared by the model and the VS Code layer.
 *
 * Ids: the roots `nodes` and `namespaces`, then `node/<name>`, `ns/<name>`, `workload/<ns>/<kind>/<name>` (kind in
 * lower case: deployment, replicaset, statefulset, daemonset, job, cronjob) and `pod/<ns>/<name>`. Names cannot hold
 * "/" in Kubernetes, so ids never collide.
 *
 * IconId is a closed union of codicon names; src/vscode maps each to `new ThemeIcon(id, color)`:
 *   pass          ready node, running+ready pod, workload with every replica ready   (testing.iconPassed)
 *   error         NotReady node, failed/crash-looping pod, workload with none ready  (testing.iconFailed)
 *   loading       pending / creating pod (spin), workload still rolling out         (no color)
 *   warning       Unknown node, NotReady pod, partially ready workload              (list.warningForeground)
 *   circle-slash  cordoned node (spec.unschedulable)                                 (disabledForeground)
 *   check         Succeeded/Completed pod, complete job                              (testing.iconPassed)
 *   trash         Terminating pod                                                    (disabledForeground)
 *   question      Unknown pod (NodeLost)                                             (list.warningForeground)
 *   server        the Nodes root
 *   symbol-namespace  the Namespaces root and each namespace
 *   debug-pause   suspended job / cronjob
 */

export type IconId =
  | 'pass'
  | 'error'
  | 'loading'
  | 'warning'
  | 'circle-slash'
  | 'check'
  | 'trash'
  | 'question'
  | 'server'
  | 'symbol-namespace'
  | 'debug-pause';

export const NODES_ROOT = 'nodes';
export const NAMESPACES_ROOT = 'namespaces';

/** The kinds shown as workload items, with their tree/kubectl prefix. */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'CronJob', 'Job'];

/** The resources the model consumes (the informers' plural names) and their kinds. */
export const RESOURCE_KINDS = {
  nodes: 'Node',
  namespaces: 'Namespace',
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
} as const;
export type ClusterResource = keyof typeof RESOURCE_KINDS;
export type ClusterKind = (typeof RESOURCE_KINDS)[ClusterResource];

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

/** A resource name or a kind (any case) → the kind, or undefined. */
export function kindOf(resourceOrKind: string): ClusterKind | undefined {
  const lower = resourceOrKind.toLowerCase();
  for (const [r, k] of Object.entries(RESOURCE_KINDS)) if (r === lower || k.toLowerCase() === lower) return k;
  return undefined;
}

export const nodeId = (name: string): string => `node/${name}`;
export const namespaceId = (name: string): string => `ns/${name}`;
export const workloadId = (ns: string, kind: WorkloadKind, name: string): string => `workload/${ns}/${kind.toLowerCase()}/${name}`;
export const podId = (ns: string, name: string): string => `pod/${ns}/${name}`;

/** The tree id of an object of a shown kind (ReplicaSets get one even when the tree hides them under a Deployment). */
export function idOf(kind: ClusterKind, namespace: string, name: string): string {
  switch (kind) {
    case 'Node':
      return nodeId(name);
    case 'Namespace':
      return namespaceId(name);
    case 'Pod':
      return podId(namespace, name);
    default:
      return workloadId(namespace, kind, name);
  }
}

/** What an id names: the kind, namespace and name (roots give kind 'Root'). */
export interface IdRef {
  kind: ClusterKind | 'Root';
  namespace: string;
  name: string;
}

export function parseId(id: string): IdRef | undefined {
  if (id === NODES_ROOT || id === NAMESPACES_ROOT) return { kind: 'Root', namespace: '', name: id };
  const parts = id.split('/');
  if (parts[0] === 'node' && parts.length === 2) return { kind: 'Node', namespace: '', name: parts[1]! };
  if (parts[0] === 'ns' && parts.length === 2) return { kind: 'Namespace', namespace: '', name: parts[1]! };
  if (parts[0] === 'pod' && parts.length === 3) return { kind: 'Pod', namespace: parts[1]!, name: parts[2]! };
  if (parts[0] === 'workload' && parts.length === 4) {
    const kind = kindOf(parts[2]!);
    if (kind && isWorkloadKind(kind)) return { kind, namespace: parts[1]!, name: parts[3]! };
  }
  return undefined;
}

/** kubectl's `<resource>.<group>/<name>` form used in action results (deployment.apps/web, pod/x, node/n). */
export function qualifiedName(kind: string, name: string): string {
  const k = kindOf(kind) ?? kind;
  const group: Record<string, string> = { Deployment: 'apps', ReplicaSet: 'apps', StatefulSet: 'apps', DaemonSet: 'apps', Job: 'batch', CronJob: 'batch' };
  const g = group[k];
  return `${k.toLowerCase()}${g ? `.${g}` : ''}/${name}`;
}
