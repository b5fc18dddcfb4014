/**
 * PodTopologySpread's queueing hints (upstream plugin.go isSchedulableAfterPodChange / isSchedulableAfterNodeChange):
 * whether a cluster change may make a pod this plugin rejected schedulable. `constraintsOf` yields the pod's hard
 * constraints (its own DoNotSchedule ones, or the defaults); a constraint that cannot be parsed means Queue.
 */
import type { QueueingHint, Node, Pod } from '../../framework';
import { nodeLabels, nodeLabelsMatchSpreadConstraints, podLabels, podLabelsMatchSpreadConstraints, type SpreadConstraint } from './common';

type ConstraintsOf = (pod: Pod) => SpreadConstraint[];

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** involvedInTopologySpreading: the pod itself, or an assigned pod in its namespace. */
function involved(changed: Pod, pod: Pod): boolean {
  return (
    (!!changed.metadata?.uid && changed.metadata.uid === pod.metadata?.uid) ||
    (!!(changed.spec as { nodeName?: string } | undefined)?.nodeName && changed.metadata?.namespace === pod.metadata?.namespace)
  );
}

function tolerations(p: Pod): unknown {
  return (p.spec as { tolerations?: unknown[] } | undefined)?.tolerations ?? [];
}

export function podChangeHint(constraintsOf: ConstraintsOf, pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const original = oldObj as Pod | undefined;
  const modified = newObj as Pod | undefined;
  if ((modified && !involved(modified, pod)) || (original && !involved(original, pod))) return 'QueueSkip';
  let constraints: SpreadConstraint[];
  try {
    constraints = constraintsOf(pod);
  } catch {
    return 'Queue';
  }
  if (modified && original) {
    if (pod.metadata?.uid === modified.metadata?.uid && !sameJSON(tolerations(modified), tolerations(original)) && constraints.some((c) => c.nodeTaintsPolicy === 'Honor')) {
      return 'Queue';
    }
    const ol = podLabels(original);
    const ml = podLabels(modified);
    if (sameLabels(ol, ml)) return 'QueueSkip';
    return constraints.some((c) => c.selector.matches(ol) !== c.selector.matches(ml)) ? 'Queue' : 'QueueSkip';
  }
  if (modified) return podLabelsMatchSpreadConstraints(constraints, podLabels(modified)) ? 'Queue' : 'QueueSkip';
  if (original) return podLabelsMatchSpreadConstraints(constraints, podLabels(original)) ? 'Queue' : 'QueueSkip';
  return 'Queue';
}

export function nodeChangeHint(constraintsOf: ConstraintsOf, pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const original = oldObj as Node | undefined;
  const modified = newObj as Node | undefined;
  let constraints: SpreadConstraint[];
  try {
    constraints = constraintsOf(pod);
  } catch {
    return 'Queue';
  }
  const origMatch = !!original && nodeLabelsMatchSpreadConstraints(nodeLabels(original), constraints);
  const modMatch = !!modified && nodeLabelsMatchSpreadConstraints(nodeLabels(modified), constraints);
  if (original && modified) {
    if (origMatch !== modMatch) return 'Queue';
    const ol = nodeLabels(original);
    const ml = nodeLabels(modified);
    const keyChanged = constraints.some((c) => ol[c.topologyKey] !== ml[c.topologyKey]);
    const taints = (n: Node) => (n.spec as { taints?: unknown[] } | undefined)?.taints ?? [];
    if (modMatch && (keyChanged || !sameJSON(taints(original), taints(modified)))) return 'Queue';
    return 'QueueSkip';
  }
  if (modified) return modMatch ? 'Queue' : 'QueueSkip';
  return origMatch ? 'Queue' : 'QueueSkip';
}
