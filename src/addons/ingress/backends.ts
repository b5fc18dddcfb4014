/**
 * From an Ingress Service backend to the endpoints traffic may go to (pure).
 *
 * - The Service must exist in the Ingress's namespace and not be ExternalName (KubeLab cannot resolve external
 *   names); its port is found by number (`spec.ports[].port`) or by name (`spec.ports[].name`), and must be TCP.
 * - Endpoints come from the Service's EndpointSlices (label `kubernetes.io/service-name`): the slice port named like
 *   the Service port ('' when unnamed) gives the target port, so a named `targetPort` resolves per slice, exactly as
 *   kube-proxy reads them (src/proxy/endpoint-slices.ts). Headless Services work: endpoints are used directly.
 * - `usableEndpoints` is kube-proxy's CategorizeEndpoints (src/proxy/endpoints-for-traffic.ts) under Cluster traffic
 *   policy, as a proxy outside any node sees it: ready endpoints, or, when none is ready, the serving-and-terminating
 *   ones (ingress-nginx ignores Service traffic policies too).
 * - The load balancer key is upstream's ServicePortName string (`ns/svc:portName`), shared by all Ingress paths that
 *   reach the same Service port; the session affinity is the Service's ClientIP timeout (undefined: None).
 */
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import type { CachedObject } from '../../client/informers';
import { mergeEndpoints, sliceEndpoints } from '../../proxy/endpoint-slices';
import { categorizeEndpoints, type TrafficPolicySubject } from '../../proxy/endpoints-for-traffic';
import { DEFAULT_STICKY_SECONDS, servicePortKey, type EndpointInfo } from '../../proxy/types';
import type { ServiceBackend } from './routes';


export type Resolution =
  | { ok: true; key: string; endpoints: EndpointInfo[]; stickySeconds?: number }
  | { ok: false; reason: string };

function findPort(ports: readonly ServicePort[], want: number | string): ServicePort | undefined {
  return ports.find((p) => (typeof want === 'number' ? p.port === want : p.name === want));
}

/** The endpoints of backend `b`, given its Service (undefined when absent) and that Service's EndpointSlices. */
export function resolveBackend(b: ServiceBackend, service: Readonly<Service> | undefined, slices: readonly CachedObject[]): Resolution {
  const name = `${b.namespace}/${b.service}`;
  if (!service) return { ok: false, reason: `service ${name} does not exist` };
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') return { ok: false, reason: `service ${name} is of type ExternalName, which KubeLab's ingress controller cannot reach` };
  const port = findPort(spec.ports ?? [], b.port);
  if (!port) return { ok: false, reason: `service ${name} does not have port ${JSON.stringify(b.port)}` };
  if ((port.protocol ?? 'TCP') !== 'TCP') return { ok: false, reason: `port ${JSON.stringify(b.port)} of service ${name} is not TCP` };
  const key = servicePortKey(b.namespace, b.service, port.name ?? '');
  const parts: EndpointInfo[][] = [];
  for (const slice of slices) {
    if ((slice as { addressType?: string }).addressType !== 'IPv4') continue;
    const eps = sliceEndpoints(slice).get(key);
    if (eps) parts.push(eps);
  }
  const affinity = spec.sessionAffinity === 'ClientIP';
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  return { ok: true, key, endpoints: mergeEndpoints(parts), ...(affinity ? { stickySeconds: timeout && timeout > 0 ? timeout : DEFAULT_STICKY_SECONDS } : {}) };
}

/** The ingress controller is on no node and ignores traffic policies (as ingress-nginx): Cluster policy. */
const CLUSTER_POLICY: TrafficPolicySubject = { internalPolicyLocal: false, externalPolicyLocal: false, nodePort: 0, externalIPs: [], loadBalancerIPs: [] };

/** Ready endpoints; when none is ready, the serving and terminating ones (kube-proxy's CategorizeEndpoints). */
export function usableEndpoints(endpoints: readonly EndpointInfo[]): readonly EndpointInfo[] {
  return categorizeEndpoints(endpoints, CLUSTER_POLICY, '').cluster;
}
