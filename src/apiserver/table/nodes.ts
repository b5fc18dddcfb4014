/**
 * The Node table (printers.go printNode): NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE
 * KERNEL-VERSION CONTAINER-RUNTIME.
 *
 * STATUS is "Ready" / "NotReady" from the Ready condition ("Unknown" without one), then ",SchedulingDisabled" when
 * spec.unschedulable. ROLES are the sorted, unique suffixes of `node-role.kubernetes.io/<role>` labels and the values
 * of `kubernetes.io/role` labels, joined by ",", or "<none>".
 */
import type { Node, NodeAddress, NodeCondition } from 'kubernetes-types/core/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, str } from './format';
import type { TablePrinter } from './types';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** findNodeRoles. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role.length > 0) roles.add(role);
    } else if (k === ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function nodeStatus(node: Node): string {
  // conditionMap keeps the last condition of each type.
  let ready: NodeCondition | undefined;
  for (const c of arr<NodeCondition>(node.status?.conditions)) if (c?.type === 'Ready') ready = c;
  const status: string[] = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: Node, type: string): string {
  for (const a of arr<NodeAddress>(node.status?.addresses)) if (a?.type === type) return str(a.address);
  return '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE,
    col('Version', 'string', DOC['NodeSystemInfo.kubeletVersion']),
    col('Internal-IP', 'string', DOC['NodeStatus.addresses'], 1),
    col('External-IP', 'string', DOC['NodeStatus.addresses'], 1),
    col('OS-Image', 'string', DOC['NodeSystemInfo.osImage'], 1),
    col('Kernel-Version', 'string', DOC['NodeSystemInfo.kernelVersion'], 1),
    col('Container-Runtime', 'string', DOC['NodeSystemInfo.containerRuntimeVersion'], 1),
  ),
  cells(obj, ctx) {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    return [
      str(node.metadata?.name),
      nodeStatus(node),
      nodeRoles(node.metadata?.labels).join(',') || '<none>',
      ageOf(node, ctx.nowMs),
      str(info?.kubeletVersion),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      str(info?.osImage) || '<unknown>',
      str(info?.kernelVersion) || '<unknown>',
      str(info?.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
