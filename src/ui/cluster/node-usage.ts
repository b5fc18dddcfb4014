/**
 * Per-node requested resources as the scheduler counts them, kept incrementally: every non-terminated pod bound to a
 * node (spec.nodeName set, phase neither Succeeded nor Failed) contributes its effective requests — containers and
 * sidecars summed, raised to the largest init-container step, plus spec.overhead (component-helpers PodRequests,
 * reused from the admission code). `set(podKey, pod)` replaces a pod's contribution, `delete(podKey)` removes it, so
 * an update costs O(1) whatever the number of pods. `describe(node)` renders `Ready · 5 pods · cpu 350m/2 ·
 * mem 320Mi/4Gi` (requested / allocatable, allocatable falling back to capacity).
 */
import type { KubeObject } from '../../api/object';
import { parseQuantity, tryParseQuantity, type Quantity } from '../../api/quantity';
import { addQuantities, subQuantities } from '../../api/quantity-math';
import { podRequests } from '../../apiserver/admission/pod-resources';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

interface Contribution {
  node: string;
  cpu?: Quantity;
  memory?: Quantity;
}

export interface NodeUsage {
  pods: number;
  cpu: Quantity;
  memory: Quantity;
}

const ZERO = parseQuantity('0');

/** Whether a pod counts against its node: bound and not terminated. */
export function isNonTerminatedOnNode(pod: KubeObject): string | undefined {
  const node = obj(pod.spec).nodeName;
  const phase = obj(pod.status).phase;
  if (typeof node !== 'string' || node === '' || phase === 'Succeeded' || phase === 'Failed') return undefined;
  return node;
}

export class NodeUsageIndex {
  private readonly byPod = new Map<string, Contribution>();
  private readonly byNode = new Map<string, NodeUsage>();

  /** Replaces the pod's contribution; returns the nodes whose usage changed. */
  set(podKey: string, pod: KubeObject): string[] {
    const node = isNonTerminatedOnNode(pod);
    const before = this.byPod.get(podKey);
    const changed = before ? this.remove(podKey, before) : [];
    if (!node) return changed;
    const reqs = podRequests(pod, { overhead: true });
    const c: Contribution = { node, cpu: reqs.get('cpu'), memory: reqs.get('memory') };
    this.byPod.set(podKey, c);
    const u = this.byNode.get(node) ?? { pods: 0, cpu: ZERO, memory: ZERO };
    u.pods++;
    if (c.cpu) u.cpu = addQuantities(u.cpu, c.cpu);
    if (c.memory) u.memory = addQuantities(u.memory, c.memory);
    this.byNode.set(node, u);
    if (!changed.includes(node)) changed.push(node);
    return changed;
  }

  delete(podKey: string): string[] {
    const before = this.byPod.get(podKey);
    return before ? this.remove(podKey, before) : [];
  }

  usage(node: string): NodeUsage {
    return this.byNode.get(node) ?? { pods: 0, cpu: ZERO, memory: ZERO };
  }

  clear(): void {
    this.byPod.clear();
    this.byNode.clear();
  }

  private remove(podKey: string, c: Contribution): string[] {
    this.byPod.delete(podKey);
    const u = this.byNode.get(c.node);
    if (!u) return [];
    u.pods--;
    if (c.cpu) u.cpu = subQuantities(u.cpu, c.cpu);
    if (c.memory) u.memory = subQuantities(u.memory, c.memory);
    if (u.pods <= 0) this.byNode.delete(c.node);
    return [c.node];
  }
}

/** Allocatable (or capacity) of one resource, as the node reports it; "0" when absent. */
export function allocatable(node: KubeObject, resource: string): string {
  const st = obj(node.status);
  const list = Object.keys(obj(st.allocatable)).length > 0 ? obj(st.allocatable) : obj(st.capacity);
  return tryParseQuantity(list[resource])?.toString() ?? '0';
}

export function podsLabel(n: number): string {
  return n === 1 ? '1 pod' : `${n} pods`;
}

/** `<status> · N pods · cpu req/alloc · mem req/alloc`. */
export function nodeDescription(status: string, node: KubeObject, u: NodeUsage): string {
  return `${status} · ${podsLabel(u.pods)} · cpu ${u.cpu.toString()}/${allocatable(node, 'cpu')} · mem ${u.memory.toString()}/${allocatable(node, 'memory')}`;
}
