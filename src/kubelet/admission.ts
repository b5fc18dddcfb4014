/**
 * The kubelet's own admission of a pod bound to it (upstream lifecycle.PredicateAdmitHandler, the resource part of
 * GeneralPredicates): the pod's requests plus those of the pods the node already runs must fit the node's
 * allocatable (cpu, memory, ephemeral-storage, extended resources) and the pod count must stay within `pods`. The
 * scheduler ensures this for the pods it binds; a pod with spec.nodeName set by hand is checked only here. A pod that
 * does not fit is rejected: phase Failed, reason `OutOf<resource>`, message `Pod was rejected: Node didn't have
 * enough resource: cpu, requested: 500, used: 3800, capacity: 4000`.
 */
import type { ResourceList } from '../api/quantity-math';
import { tryParseQuantity } from '../api/quantity';
import { podRequests } from '../apiserver/admission/pod-resources';

export interface Rejection {
  reason: string;
  message: string;
}

const units = (name: string, q: { milliValue(): bigint; value(): bigint }): bigint => (name === 'cpu' ? q.milliValue() : q.value());

/** Whether `pod` fits beside `running` on a node with `allocatable`; the rejection when it does not. */
export function admitPod(pod: unknown, running: readonly unknown[], allocatable: Readonly<Record<string, string | number>>): Rejection | undefined {
  const maxPods = Number(allocatable.pods ?? 110);
  if (running.length + 1 > maxPods) {
    return { reason: 'OutOfpods', message: `Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: ${running.length}, capacity: ${maxPods}` };
  }
  const want = podRequests(pod, { podLevel: true, overhead: true });
  if (!want.size) return undefined;
  const used: ResourceList = new Map();
  for (const p of running) {
    for (const [name, q] of podRequests(p, { podLevel: true, overhead: true })) used.set(name, used.has(name) ? used.get(name)!.add(q) : q);
  }
  for (const [name, q] of want) {
    const capQ = tryParseQuantity(allocatable[name] === undefined ? '0' : String(allocatable[name]));
    if (!capQ) continue;
    const requested = units(name, q);
    if (requested === 0n) continue;
    const u = used.get(name);
    const usedN = u ? units(name, u) : 0n;
    const cap = units(name, capQ);
    if (requested + usedN > cap) {
      return { reason: `OutOf${name}`, message: `Pod was rejected: Node didn't have enough resource: ${name}, requested: ${requested}, used: ${usedN}, capacity: ${cap}` };
    }
  }
  return undefined;
}
