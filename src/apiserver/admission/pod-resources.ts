/**
 * A pod's effective requests and limits, as component-helpers' resource.PodRequests/PodLimits (and LimitRanger's
 * simplified copy of them) compute them: the sum over regular containers and restartable (sidecar) init
 * containers, raised to the largest single init-container step (each plain init container plus the sidecars started
 * before it); optionally pod-level `spec.resources` (cpu, memory) replacing the aggregate, and `spec.overhead`
 * added (to every request, and to limits that are set). Also the pod's QoS BestEffort test (qos.GetPodQOS).
 */
import { addInto, maxInto, parseResourceList, type ResourceList } from '../../api/quantity-math';
import { list, str, sub, type Obj } from './plugin-util';

/** Resources pod-level `spec.resources` may set (IsSupportedPodLevelResource). */
const POD_LEVEL = new Set(['cpu', 'memory']);

export interface PodResourceOptions {
  /** Use pod-level spec.resources when set (the PodLevelResources feature). */
  podLevel?: boolean;
  /** Add spec.overhead. */
  overhead?: boolean;
}

type Kind = 'requests' | 'limits';

/** A container's `resources.requests` or `resources.limits`. */
export function containerResourceList(c: Obj, kind: Kind): ResourceList {
  return parseResourceList(sub(c, 'resources')?.[kind]);
}

/** AggregateContainerRequests / AggregateContainerLimits. */
function aggregate(pod: unknown, kind: Kind): ResourceList {
  const spec = sub(pod, 'spec');
  const total: ResourceList = new Map();
  for (const c of list(spec, 'containers')) addInto(total, containerResourceList(c, kind));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of list(spec, 'initContainers')) {
    const own = containerResourceList(c, kind);
    if (str(c, 'restartPolicy') === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const step: ResourceList = new Map();
      addInto(step, own);
      addInto(step, sidecars);
      maxInto(initMax, step);
    }
  }
  maxInto(total, initMax);
  return total;
}

function podLevel(pod: unknown, kind: Kind): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, q] of parseResourceList(sub(sub(pod, 'spec'), 'resources')?.[kind])) if (POD_LEVEL.has(k)) out.set(k, q);
  return out;
}

/** IsPodLevelResourcesSet: spec.resources sets a supported request or limit. */
export function isPodLevelResourcesSet(pod: unknown): boolean {
  return podLevel(pod, 'requests').size > 0 || podLevel(pod, 'limits').size > 0;
}

export function podRequests(pod: unknown, opts: PodResourceOptions = {}): ResourceList {
  const reqs = aggregate(pod, 'requests');
  if (opts.podLevel) for (const [k, q] of podLevel(pod, 'requests')) reqs.set(k, q);
  if (opts.overhead) addInto(reqs, parseResourceList(sub(pod, 'spec')?.overhead));
  return reqs;
}

export function podLimits(pod: unknown, opts: PodResourceOptions = {}): ResourceList {
  const limits = aggregate(pod, 'limits');
  if (opts.podLevel) for (const [k, q] of podLevel(pod, 'limits')) limits.set(k, q);
  if (opts.overhead) {
    const overhead = parseResourceList(sub(pod, 'spec')?.overhead);
    for (const [k, q] of overhead) if (limits.has(k)) addInto(limits, new Map([[k, q]]));
  }
  return limits;
}

/** qos.GetPodQOS(pod) === BestEffort: status.qosClass when set, else no positive cpu/memory request or limit. */
export function isBestEffort(pod: unknown): boolean {
  const recorded = str(sub(pod, 'status'), 'qosClass');
  if (recorded) return recorded === 'BestEffort';
  const spec = sub(pod, 'spec');
  const lists: ResourceList[] = [];
  if (isPodLevelResourcesSet(pod)) lists.push(podLevel(pod, 'requests'), podLevel(pod, 'limits'));
  else
    for (const c of [...list(spec, 'containers'), ...list(spec, 'initContainers')])
      lists.push(containerResourceList(c, 'requests'), containerResourceList(c, 'limits'));
  return !lists.some((l) => [...l].some(([k, q]) => POD_LEVEL.has(k) && q.sign() > 0));
}
