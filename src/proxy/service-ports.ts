/**
 * A Service object → the service ports kube-proxy programs (upstream pkg/proxy/servicechangetracker.go and
 * serviceport.go): one `ServicePortInfo` per spec.ports entry, keyed by ServicePortName. Services kube-proxy does
 * not handle give none: ExternalName, headless (clusterIP None or empty), and Services labelled
 * `service.kubernetes.io/service-proxy-name` (another proxy owns them). IPv4 only: the first IPv4 cluster IP.
 */
import type { CachedObject } from '../client/informers';
import { tryParseIPv4 } from '../addons/cni/cidr';
import { DEFAULT_STICKY_SECONDS, servicePortKey, type Protocol, type ServicePortInfo } from './types';

export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: { name?: string; protocol?: string; port?: number; nodePort?: number }[];
  externalIPs?: string[];
  loadBalancerSourceRanges?: string[];
  sessionAffinity?: string;
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
}

const isIPv4 = (ip: string): boolean => tryParseIPv4(ip) !== undefined;

export function servicePortsOf(svc: CachedObject): ServicePortInfo[] {
  const md = svc.metadata ?? {};
  if (md.labels?.[SERVICE_PROXY_NAME_LABEL] !== undefined) return [];
  const spec = (svc.spec ?? {}) as ServiceSpec;
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return [];
  const clusterIP = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).find((ip) => isIPv4(ip));
  if (!clusterIP) return [];
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const status = (svc.status ?? {}) as { loadBalancer?: { ingress?: { ip?: string }[] } };
  const lbIPs = type === 'LoadBalancer' ? (status.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => isIPv4(ip)) : [];
  const sticky = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS) : undefined;
  const namespace = md.namespace ?? '';
  return (spec.ports ?? []).map((p) => ({
    key: servicePortKey(namespace, md.name ?? '', p.name ?? ''),
    namespace,
    name: md.name ?? '',
    portName: p.name ?? '',
    protocol: (p.protocol ?? 'TCP') as Protocol,
    type: type as ServicePortInfo['type'],
    clusterIP,
    port: p.port ?? 0,
    nodePort: external ? (p.nodePort ?? 0) : 0,
    externalIPs: (spec.externalIPs ?? []).filter((ip) => isIPv4(ip)),
    loadBalancerIPs: lbIPs,
    loadBalancerSourceRanges: type === 'LoadBalancer' ? (spec.loadBalancerSourceRanges ?? []) : [],
    stickySeconds: sticky,
    externalPolicyLocal: (external || (spec.externalIPs?.length ?? 0) > 0) && spec.externalTrafficPolicy === 'Local',
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    healthCheckNodePort: type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' ? (spec.healthCheckNodePort ?? 0) : 0,
  }));
}

/** Whether two infos program the same rules (cheap structural compare of flat fields and arrays). */
export function samePort(a: ServicePortInfo, b: ServicePortInfo): boolean {
  for (const k of Object.keys(a) as (keyof ServicePortInfo)[]) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (x !== y) return false;
  }
  return true;
}
