/**
 * What the Endpoints and EndpointSlice controllers share about pods and Services (upstream endpointslice util and
 * pkg/api/v1/pod FindPort): whether a pod belongs in endpoints at all, its IPs, how a Service port resolves against
 * its containers (a named targetPort by container port name and protocol, sidecar init containers included), when
 * an address carries the pod's hostname, which Services select a pod, and which pod changes matter.
 */
import { isIP } from 'node:net';
import { labelSelectorFromSet } from '../../api/selectors/label-selector';
import type { CachedObject, Lister } from '../../client/informers';
import { isPodReady, isPodTerminal } from '../framework/pod-util';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string> | null;
  clusterIP?: string;
  ipFamilies?: string[];
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}
interface Container {
  ports?: ContainerPort[];
  restartPolicy?: string;
}
export interface PodSpec {
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  containers?: Container[];
  initContainers?: Container[];
}

export const serviceSpec = (s: CachedObject): ServiceSpec => (s.spec ?? {}) as ServiceSpec;
export const podSpec = (p: CachedObject): PodSpec => (p.spec ?? {}) as PodSpec;

/** IsServiceIPSet: a cluster IP that is neither empty nor None. */
export function isServiceIPSet(s: CachedObject): boolean {
  const ip = serviceSpec(s).clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** status.podIPs, or status.podIP alone when podIPs is missing (the v1 → internal conversion). */
export function podIPs(p: CachedObject): string[] {
  const st = (p.status ?? {}) as { podIP?: string; podIPs?: { ip?: string }[] };
  const ips = (st.podIPs ?? []).map((x) => x.ip ?? '').filter((x) => x !== '');
  if (ips.length > 0) return ips;
  return st.podIP ? [st.podIP] : [];
}

export const isIPv6 = (ip: string): boolean => isIP(ip) === 6;

/** ShouldPodBeInEndpoints: not terminal, has an IP, and (unless terminating pods are included) not being deleted. */
export function shouldPodBeInEndpoints(p: CachedObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(p)) return false;
  if (podIPs(p).length === 0) return false;
  if (!includeTerminating && p.metadata?.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod names a hostname and the Service is its subdomain. */
export function shouldSetHostname(p: CachedObject, svc: CachedObject): boolean {
  const s = podSpec(p);
  return !!s.hostname && s.subdomain === svc.metadata?.name && svc.metadata?.namespace === p.metadata?.namespace;
}

/** FindPort: the container port a Service port targets, or undefined ("no suitable port for manifest"). */
export function findPort(p: CachedObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  const proto = sp.protocol ?? 'TCP';
  const s = podSpec(p);
  const sidecars = (s.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(s.containers ?? []), ...sidecars]) {
    for (const cp of c.ports ?? []) {
      if (cp.name === target && (cp.protocol ?? 'TCP') === proto) return cp.containerPort;
    }
  }
  return undefined;
}

/** GetPodServiceMemberships: keys of the Services in the pod's namespace whose (non-nil) selector matches it. */
export function podServiceKeys(services: Lister, p: CachedObject): Set<string> {
  const ns = String(p.metadata?.namespace ?? '');
  const keys = new Set<string>();
  for (const s of services.list(ns)) {
    const sel = serviceSpec(s).selector;
    if (sel === undefined || sel === null) continue;
    if (labelSelectorFromSet(sel).matches(p.metadata?.labels)) keys.add(`${ns}/${String(s.metadata?.name ?? '')}`);
  }
  return keys;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => (a ?? {})[k] === (b ?? {})[k]);
}

/** podEndpointsChanged: [the pod's endpoint changed, its labels / hostname / subdomain changed]. */
export function podEndpointsChanged(old: CachedObject, cur: CachedObject): [boolean, boolean] {
  const os = podSpec(old);
  const cs = podSpec(cur);
  const labelsChanged = !sameLabels(old.metadata?.labels, cur.metadata?.labels) || os.hostname !== cs.hostname || os.subdomain !== cs.subdomain;
  if (old.metadata?.deletionTimestamp !== cur.metadata?.deletionTimestamp) return [true, labelsChanged];
  if (isPodReady(old) !== isPodReady(cur)) return [true, labelsChanged];
  if (!sameStrings(podIPs(old), podIPs(cur))) return [true, labelsChanged];
  // A pod that finished leaves the endpoints (upstream notices through readiness; the phase is checked too).
  if (isPodTerminal(old) !== isPodTerminal(cur)) return [true, labelsChanged];
  if ((os.nodeName ?? '') !== (cs.nodeName ?? '')) return [true, labelsChanged];
  return [false, labelsChanged];
}

/** GetServicesToUpdateOnPodChange. */
export function servicesToUpdateOnPodChange(services: Lister, old: CachedObject, cur: CachedObject): Set<string> {
  if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return new Set();
  const keys = podServiceKeys(services, cur);
  if (labelsChanged) {
    const oldKeys = podServiceKeys(services, old);
    if (podChanged) for (const k of oldKeys) keys.add(k);
    else {
      // Only the membership changed: the Services the pod joined or left.
      const both = [...keys].filter((k) => oldKeys.has(k));
      for (const k of oldKeys) keys.add(k);
      for (const k of both) keys.delete(k);
    }
  }
  return keys;
}
