/**
 * NodeShouldRunDaemonPod (upstream daemon_controller.go): for a (node, DaemonSet) pair, `shouldRun` — a daemon pod
 * should be created there if none runs — and `shouldContinueRunning` — a daemon pod already there may stay. The
 * pod judged is the set's template with the daemon tolerations added: a template nodeName other than the node's,
 * or a failing nodeSelector / required node affinity, rules the node out; an untolerated NoSchedule or NoExecute
 * taint stops new pods, and only an untolerated NoExecute taint evicts running ones. Pure.
 */
import type { PodSpec } from 'kubernetes-types/core/v1';
import { deepCopy } from '../../api/object';
import { requiredNodeAffinityMatches } from './node-affinity';
import { addDaemonPodTolerations, findUntoleratedTaint } from './tolerations';
import type { DaemonSet, Node } from './types';

export interface NodeVerdict {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/** The spec of the pod the set would run on `nodeName` (upstream NewPod): template spec, nodeName, tolerations. */
export function daemonPodSpecFor(ds: DaemonSet, nodeName: string): PodSpec {
  const spec = deepCopy((ds.spec?.template?.spec ?? { containers: [] }) as PodSpec);
  spec.nodeName = nodeName;
  addDaemonPodTolerations(spec);
  return spec;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeVerdict {
  const nodeName = node.metadata?.name ?? '';
  const templateNode = ds.spec?.template?.spec?.nodeName ?? '';
  if (templateNode !== '' && templateNode !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const spec = daemonPodSpecFor(ds, nodeName);
  if (!requiredNodeAffinityMatches(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  const blocking = findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule');
  if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !evicting };
}
