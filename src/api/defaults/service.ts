/**
 * Service, Endpoints and EndpointSlice defaults: session affinity None (and its config), type ClusterIP, port
 * protocol TCP and targetPort = port, traffic policies for reachable types, allocateLoadBalancerNodePorts and the
 * status ipMode of LoadBalancers; TCP for endpoint ports; a named-"" port in EndpointSlices.
 *
 * Not here (done at allocation time, see create-hooks.ts): clusterIP/clusterIPs, ipFamilies and ipFamilyPolicy.
 */
import { ensure, isSet, list, setDefault, setDefaultString, sub, type Obj } from './util';

export function defaultService(svc: Obj): void {
  const spec = ensure(svc, 'spec');
  setDefaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = sub(sub(spec, 'sessionAffinityConfig') ?? {}, 'clientIP')?.timeoutSeconds;
    if (!isSet(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  setDefaultString(spec, 'type', 'ClusterIP');
  for (const port of list(spec, 'ports')) {
    setDefaultString(port, 'protocol', 'TCP');
    if (!isSet(port.targetPort) || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = spec.type;
  const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  if ((type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs)) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!isSet(spec.internalTrafficPolicy) && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')) spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer') {
    setDefault(spec, 'allocateLoadBalancerNodePorts', true);
    for (const ing of list(sub(sub(svc, 'status') ?? {}, 'loadBalancer') ?? {}, 'ingress')) if (ing.ip && !isSet(ing.ipMode)) ing.ipMode = 'VIP';
  }
}

export function defaultEndpoints(ep: Obj): void {
  for (const ss of list(ep, 'subsets')) for (const port of list(ss, 'ports')) setDefaultString(port, 'protocol', 'TCP');
}

export function defaultEndpointSlice(es: Obj): void {
  for (const port of list(es, 'ports')) {
    setDefault(port, 'name', '');
    setDefault(port, 'protocol', 'TCP');
  }
}
