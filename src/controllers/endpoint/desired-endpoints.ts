/**
 * The Endpoints object a Service should have (upstream endpoints_controller.go syncService, pure part): one address
 * per pod that belongs in endpoints (ready unless publishNotReadyAddresses; terminating pods only with
 * publishNotReadyAddresses), with the pod's IP of the Service's first IP family, its node and a targetRef, times every
 * Service port the pod resolves (named targetPorts by container port name); headless Services without ports get
 * port-less subsets. Subsets are repacked and sorted (RepackSubsets). Over 1000 addresses the subsets are truncated
 * (ready addresses first, in proportion per subset) and marked `endpoints.kubernetes.io/over-capacity: truncated`.
 */
import type { CachedObject } from '../../client/informers';
import { isPodReady } from '../framework/pod-util';
import { findPort, isIPv6, isServiceIPSet, podIPs, podSpec, serviceSpec, shouldPodBeInEndpoints, shouldSetHostname, type ServicePort } from './pod-endpoints';
import { repackSubsets, type EndpointAddress, type EndpointPort, type EndpointSubset } from './repack-subsets';
import { LAST_CHANGE_TRIGGER_TIME, rfc3339Nano } from './trigger-time-tracker';

export const MAX_CAPACITY = 1000;
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
export const TRUNCATED = 'truncated';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** podToEndpointAddressForService: undefined when the pod has no IP of the Service's family. */
export function podToEndpointAddress(svc: CachedObject, pod: CachedObject): EndpointAddress | undefined {
  const spec = serviceSpec(svc);
  let v6: boolean;
  if (spec.ipFamilies?.length) v6 = spec.ipFamilies[0] === 'IPv6';
  else if (spec.clusterIP && spec.clusterIP !== 'None') v6 = isIPv6(spec.clusterIP);
  else v6 = isIPv6(podIPs(pod)[0] ?? '');
  const ip = podIPs(pod).find((x) => isIPv6(x) === v6);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip };
  const nodeName = podSpec(pod).nodeName;
  if (nodeName) addr.nodeName = nodeName;
  addr.targetRef = { kind: 'Pod', namespace: String(pod.metadata?.namespace ?? ''), name: String(pod.metadata?.name ?? ''), uid: String(pod.metadata?.uid ?? '') };
  return addr;
}

export function endpointPortFromServicePort(sp: ServicePort, port: number): EndpointPort {
  const protocol = sp.protocol ?? 'TCP';
  const p: EndpointPort = sp.name ? { name: sp.name, port, protocol } : { port, protocol };
  if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
  return p;
}

export interface DesiredSubsets {
  subsets: EndpointSubset[];
  ready: number;
  notReady: number;
}

export function desiredSubsets(svc: CachedObject, pods: readonly CachedObject[]): DesiredSubsets {
  const spec = serviceSpec(svc);
  const tolerate = spec.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (pod: CachedObject, addr: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (tolerate || isPodReady(pod)) {
      subsets.push({ addresses: [addr], ports });
      ready++;
    } else {
      subsets.push({ notReadyAddresses: [addr], ports });
      notReady++;
    }
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
    const addr = podToEndpointAddress(svc, pod);
    if (!addr) continue;
    if (shouldSetHostname(pod, svc)) addr.hostname = podSpec(pod).hostname;
    const ports = spec.ports ?? [];
    if (ports.length === 0) {
      if (spec.clusterIP === 'None') add(pod, addr, undefined);
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      add(pod, addr, endpointPortFromServicePort(sp, n));
    }
  }
  return { subsets: repackSubsets(subsets), ready, notReady };
}

/** truncateEndpoints: true when the subsets were over capacity (and have been truncated in place). */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false;
  const truncateReady = totalReady > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  subsets.forEach((s, i) => {
    const inSubset = (truncateReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    let allowed = Math.ceil(max * (inSubset / numTotal));
    if (canBeAdded < allowed || i === subsets.length - 1) allowed = canBeAdded;
    if (truncateReady) {
      if (s.addresses && s.addresses.length > allowed) s.addresses = s.addresses.slice(0, allowed);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses && s.notReadyAddresses.length > allowed) s.notReadyAddresses = s.notReadyAddresses.slice(0, allowed);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
  });
  return true;
}

/** capacityAnnotationSetCorrectly. */
export function capacityAnnotationSetCorrectly(annotations: Readonly<Record<string, string>> | undefined, subsets: readonly EndpointSubset[]): boolean {
  const n = subsets.reduce((acc, s) => acc + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  if (n > MAX_CAPACITY) return false;
  return !(annotations && OVER_CAPACITY in annotations);
}

type Labels = Record<string, string>;

/**
 * The Endpoints object to write (a copy of `current`, or a new one named after the Service): the subsets
 * (truncated to 1000 addresses with the over-capacity annotation), the trigger-time annotation (removed for 0),
 * and the Service's labels plus `service.kubernetes.io/headless` when it has no cluster IP.
 */
export function endpointsObject(svc: CachedObject, current: CachedObject | undefined, subsets: EndpointSubset[], triggerTime: number): Record<string, unknown> & { metadata: { labels?: Labels; annotations?: Labels } } {
  const next = (current ? structuredClone(current) : { metadata: { name: svc.metadata?.name, namespace: svc.metadata?.namespace } }) as Record<string, unknown> & {
    metadata: { labels?: Labels; annotations?: Labels };
  };
  next.apiVersion ??= 'v1';
  next.kind ??= 'Endpoints';
  const meta = next.metadata;
  const annotations: Labels = { ...(meta.annotations ?? {}) };
  if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  if (truncateSubsets(subsets)) annotations[OVER_CAPACITY] = TRUNCATED;
  else delete annotations[OVER_CAPACITY];
  next.subsets = subsets;
  const labels: Labels = { ...((svc.metadata?.labels ?? {}) as Labels) };
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  if (Object.keys(labels).length) meta.labels = labels;
  else delete meta.labels;
  if (Object.keys(annotations).length) meta.annotations = annotations;
  else delete meta.annotations;
  return next;
}
