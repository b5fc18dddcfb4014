/**
 * Which cluster events a Node update amounts to (upstream framework NodeSchedulingPropertiesChange, 1.32): spec
 * unschedulable turned off (NodeSpecUnschedulableChange), allocatable, labels, taints, conditions (ignoring heartbeat
 * times: status per type) and annotations changed. An update that changes none of them moves no pod.
 */
import type { ClusterEvent, Node } from './framework';
import { NodeAllocatableChange, NodeAnnotationChange, NodeConditionChange, NodeLabelChange, NodeSpecUnschedulableChange, NodeTaintChange } from './queue/events';

type Obj = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Obj)[k], (b as Obj)[k]));
}

const emptyToUndef = (v: unknown): unknown => (v && typeof v === 'object' && Object.keys(v).length === 0 ? undefined : v);
const spec = (n: Node) => (n.spec ?? {}) as { unschedulable?: boolean; taints?: unknown[] };
const status = (n: Node) => (n.status ?? {}) as { allocatable?: unknown; conditions?: { type: string; status: string }[] };

function conditionStatuses(n: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of status(n).conditions ?? []) out[c.type] = c.status;
  return out;
}

export function nodeSchedulingPropertiesChange(newNode: Node, oldNode: Node): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  if (!!spec(newNode).unschedulable !== !!spec(oldNode).unschedulable && !spec(newNode).unschedulable) out.push(NodeSpecUnschedulableChange);
  if (!same(emptyToUndef(status(newNode).allocatable), emptyToUndef(status(oldNode).allocatable))) out.push(NodeAllocatableChange);
  if (!same(emptyToUndef(newNode.metadata?.labels), emptyToUndef(oldNode.metadata?.labels))) out.push(NodeLabelChange);
  if (!same(emptyToUndef(spec(newNode).taints ?? []), emptyToUndef(spec(oldNode).taints ?? []))) out.push(NodeTaintChange);
  if (!same(conditionStatuses(newNode), conditionStatuses(oldNode))) out.push(NodeConditionChange);
  if (!same(emptyToUndef(newNode.metadata?.annotations), emptyToUndef(oldNode.metadata?.annotations))) out.push(NodeAnnotationChange);
  return out;
}
