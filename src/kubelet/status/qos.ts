/**
 * A pod's QoS class as upstream's GetPodQOS / ComputePodQOS (pkg/apis/core/v1/helper/qos): the class already in
 * status.qosClass when the API server set it (it is immutable), otherwise computed from every container, init
 * containers included, over cpu and memory only:
 * - BestEffort when no container requests or limits any cpu or memory (zero quantities do not count);
 * - Guaranteed when every container has cpu and memory limits and the summed requests equal the summed limits;
 * - Burstable otherwise.
 * Pod-level resources (a beta feature in later releases) are not considered.
 */
import { addQuantities } from '../../api/quantity-math';
import { tryParseQuantity, type Quantity } from '../../api/quantity';
import { podSpec, podStatusOf, type QOSClass } from './types';

const QOS_RESOURCES = new Set(['cpu', 'memory']);

/** Sum the positive cpu/memory quantities of `list` into `into`; the names that were positive. */
function collect(list: Record<string, unknown> | undefined, into: Map<string, Quantity>): Set<string> {
  const found = new Set<string>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.has(name)) continue;
    const q = tryParseQuantity(raw);
    if (!q || q.sign() <= 0) continue;
    found.add(name);
    const prev = into.get(name);
    into.set(name, prev ? addQuantities(prev, q) : q);
  }
  return found;
}

/** ComputePodQOS: evaluate the containers (init containers included), ignoring any class already in the status. */
export function computePodQOS(pod: Record<string, unknown>): QOSClass {
  const spec = podSpec(pod);
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...spec.containers, ...spec.initContainers]) {
    collect(c.resources?.requests, requests);
    const found = collect(c.resources?.limits, limits);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed)
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** GetPodQOS: status.qosClass when set, else ComputePodQOS. */
export function podQOSClass(pod: Record<string, unknown>): QOSClass {
  const persisted = podStatusOf(pod).qosClass;
  return persisted || computePodQOS(pod);
}
