/**
 * EndpointSlice building blocks as upstream's staging endpointslice utils define them: the endpoint a pod becomes
 * (addresses of the slice's family, conditions ready/serving/terminating, nodeName, zone from the node's
 * `topology.kubernetes.io/zone` label, hostname, targetRef), the ports a pod offers for a Service (sorted by their
 * Go hash, as NewPortMapKey sorts them), the address types a Service needs, a new slice (generateName `<svc>-`,
 * controller ownerReference, the service-name / managed-by / headless labels over the Service's own labels), and the
 * identity of an endpoint within a set (addresses, hostname, target namespace/name).
 */
import type { CachedObject } from '../../client/informers';
import { isPodReady } from '../framework/pod-util';
import { deepHashString, goPtr, goString, goInt, goStruct } from '../endpoint/go-deep-hash';
import { findPort, isIPv6, isServiceIPSet, podIPs, podSpec, serviceSpec, shouldSetHostname } from '../endpoint/pod-endpoints';
import { HEADLESS_LABEL } from '../endpoint/desired-endpoints';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export type AddressType = 'IPv4' | 'IPv6';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string };
  nodeName?: string;
  zone?: string;
  hints?: unknown;
}

export interface SlicePort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
    deletionTimestamp?: string;
    [k: string]: unknown;
  };
  addressType: string;
  endpoints: SliceEndpoint[];
  ports: SlicePort[];
}

const SLICE_PORT = goStruct('v1.EndpointPort', [
  ['Name', 'name', goPtr(goString())],
  ['Protocol', 'protocol', goPtr(goString('v1.Protocol'))],
  ['Port', 'port', goPtr(goInt('int32'))],
  ['AppProtocol', 'appProtocol', goPtr(goString())],
]);

/** portsInOrder: by the hex md5 of each port's Go rendering. */
export function sortPorts(ports: SlicePort[]): SlicePort[] {
  return ports
    .map((p) => ({ p, h: deepHashString(p, SLICE_PORT) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .map((e) => e.p);
}

/** NewPortMapKey: ports with the same key are the same set (order-independent). */
export function portMapKey(ports: readonly SlicePort[]): string {
  return JSON.stringify(sortPorts([...ports]).map((p) => [p.name ?? null, p.protocol ?? null, p.port ?? null, p.appProtocol ?? null]));
}

/** getEndpointPorts (sorted as NewPortMapKey leaves them). */
export function endpointPorts(svc: CachedObject, pod: CachedObject): SlicePort[] {
  const spec = serviceSpec(svc);
  const ports = spec.ports ?? [];
  if (ports.length === 0 && spec.clusterIP === 'None') return [];
  const out: SlicePort[] = [];
  for (const sp of ports) {
    const n = findPort(pod, sp);
    if (n === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port: n };
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return sortPorts(out);
}

/** getAddressTypesForService. */
export function addressTypesForService(svc: CachedObject): Set<AddressType> {
  const spec = serviceSpec(svc);
  const types = new Set<AddressType>();
  for (const f of spec.ipFamilies ?? []) if (f === 'IPv4' || f === 'IPv6') types.add(f);
  if (types.size > 0) return types;
  if (isServiceIPSet(svc)) return new Set([isIPv6(spec.clusterIP ?? '') ? 'IPv6' : 'IPv4']);
  return new Set(['IPv4', 'IPv6']);
}

/** podToEndpoint. */
export function podToEndpoint(pod: CachedObject, node: CachedObject | undefined, svc: CachedObject, addressType: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = serviceSpec(svc).publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = podSpec(pod).hostname;
  ep.targetRef = { kind: 'Pod', namespace: String(pod.metadata?.namespace ?? ''), name: String(pod.metadata?.name ?? ''), uid: String(pod.metadata?.uid ?? '') };
  const nodeName = podSpec(pod).nodeName;
  if (nodeName) ep.nodeName = nodeName;
  const zone = node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** hashEndpoint: what makes two endpoints the same entry of a set. */
export function endpointKey(ep: SliceEndpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: nodeName, zone, conditions, hints and targetRef (resourceVersion ignored). */
export function endpointsEqualBeyondHash(a: SliceEndpoint, b: SliceEndpoint): boolean {
  if ((a.nodeName ?? null) !== (b.nodeName ?? null) || (a.zone ?? null) !== (b.zone ?? null)) return false;
  for (const c of ['ready', 'serving', 'terminating'] as const) if ((a.conditions?.[c] ?? null) !== (b.conditions?.[c] ?? null)) return false;
  if (JSON.stringify(a.hints ?? null) !== JSON.stringify(b.hints ?? null)) return false;
  const ra = a.targetRef;
  const rb = b.targetRef;
  if (!ra || !rb) return !ra && !rb;
  return ra.kind === rb.kind && ra.namespace === rb.namespace && ra.name === rb.name && ra.uid === rb.uid;
}

const RESERVED = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, HEADLESS_LABEL]);

/** setEndpointSliceLabels: the Service's labels (reserved keys skipped) plus the controller's; and whether they differ. */
export function sliceLabels(slice: { metadata: { labels?: Record<string, string> } } | undefined, svc: CachedObject): { labels: Record<string, string>; changed: boolean } {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) if (!RESERVED.has(k)) labels[k] = v;
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = String(svc.metadata?.name ?? '');
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  const cur = slice?.metadata.labels ?? {};
  const keys = Object.keys(labels);
  const changed = keys.length !== Object.keys(cur).length || keys.some((k) => cur[k] !== labels[k]);
  return { labels, changed };
}

/** getEndpointSlicePrefix: `<svc>-` unless that would be an invalid name. */
function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return prefix.length <= 253 ? prefix : serviceName;
}

export function newEndpointSlice(svc: CachedObject, ports: SlicePort[], addressType: AddressType): EndpointSlice {
  const name = String(svc.metadata?.name ?? '');
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(name),
      namespace: String(svc.metadata?.namespace ?? ''),
      labels: sliceLabels(undefined, svc).labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: String(svc.metadata?.uid ?? ''), controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

/** ownedBy: the slice's ownerReferences name this Service (uid, kind Service, apiVersion v1). */
export function ownedBy(slice: EndpointSlice | CachedObject, svc: CachedObject): boolean {
  const refs = (slice.metadata?.ownerReferences ?? []) as readonly { uid?: string; kind?: string; apiVersion?: string }[];
  return refs.some((r) => r.uid === svc.metadata?.uid && r.kind === 'Service' && r.apiVersion === 'v1');
}
