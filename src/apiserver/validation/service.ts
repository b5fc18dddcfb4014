/**
 * Services (create, update, status) and Endpoints: ports, type, session affinity, clusterIP/clusterIPs/ipFamilies
 * consistency and their update rules, external IPs and traffic policies. ClusterIPs and node ports are expected to
 * be allocated (and clusterIPs synced from clusterIP) before validation, as upstream's registry does.
 */
import { isIP } from 'node:net';
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, obj, objs, optNum, optObj, str, strs, type Obj } from './access';
import { each, isDNS1123Label, isQualifiedName, isValidPortNum, nameIsDNS1035Label, nameIsDNSSubdomain, validateCIDR, validateIP, validateNonSpecialIP } from './formats';
import { goIntOrString, goStruct } from './go-repr';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePortNumOrName } from './probes';
import { validateClusterIPs, validateClusterIPUpdates } from './service-ips';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export function isHeadless(spec: Obj): boolean {
  const ips = strs(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

function protocol(v: unknown, path: string): FieldError[] {
  const p = str(v);
  if (!p) return [fieldErr.required(path)];
  return PROTOCOLS.includes(p) ? [] : [fieldErr.notSupported(path, p, PROTOCOLS)];
}

function servicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && !name) errs.push(fieldErr.required(child(path, 'name')));
  else if (name) {
    errs.push(...each(child(path, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(fieldErr.duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  const port = optNum(sp.port) ?? 0;
  errs.push(...each(child(path, 'port'), port, isValidPortNum(port)), ...protocol(sp.protocol, child(path, 'protocol')));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, child(path, 'targetPort')));
  if (typeof sp.appProtocol === 'string') errs.push(...each(child(path, 'appProtocol'), sp.appProtocol, isQualifiedName(sp.appProtocol)));
  return errs;
}

function servicePortRepr(sp: Obj): unknown {
  return goStruct('core.ServicePort', [
    ['Name', '""'],
    ['Protocol', JSON.stringify(str(sp.protocol))],
    ['AppProtocol', '(*string)(nil)'],
    ['Port', String(optNum(sp.port) ?? 0)],
    ['TargetPort', goIntOrString(0).goString],
    ['NodePort', '0'],
  ]);
}

function sessionAffinity(spec: Obj): FieldError[] {
  const sa = str(spec.sessionAffinity);
  const errs: FieldError[] = [];
  if (!sa) errs.push(fieldErr.required('spec.sessionAffinity'));
  else if (sa !== 'ClientIP' && sa !== 'None') errs.push(fieldErr.notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  const cfg = optObj(spec.sessionAffinityConfig);
  const p = 'spec.sessionAffinityConfig';
  if (sa === 'ClientIP') {
    const detail = 'when session affinity type is ClientIP';
    const clientIP = optObj(cfg?.clientIP);
    const timeout = optNum(clientIP?.timeoutSeconds);
    if (!cfg) errs.push(fieldErr.required(p, detail));
    else if (!clientIP) errs.push(fieldErr.required(`${p}.clientIP`, detail));
    else if (timeout === undefined) errs.push(fieldErr.required(`${p}.clientIP.timeoutSeconds`, detail));
    else if (timeout <= 0 || timeout > 86400) errs.push(fieldErr.invalid(`${p}.clientIP.timeoutSeconds`, timeout, 'must be greater than 0 and less than 86400'));
  } else if (sa === 'None' && cfg) errs.push(fieldErr.forbidden(p, 'must not be set when session affinity is None'));
  return errs;
}

function trafficPolicies(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(spec.type);
  const accessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && strs(spec.externalIPs).length > 0);
  const etp = str(spec.externalTrafficPolicy);
  if (!accessible) {
    if (etp) errs.push(fieldErr.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(fieldErr.required('spec.externalTrafficPolicy'));
  else if (etp !== 'Cluster' && etp !== 'Local') errs.push(fieldErr.notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const needsHC = type === 'LoadBalancer' && etp === 'Local';
  const hc = optNum(spec.healthCheckNodePort) ?? 0;
  if (!needsHC && hc !== 0)
    errs.push(fieldErr.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  else if (needsHC && hc === 0) errs.push(fieldErr.required('spec.healthCheckNodePort'));
  else if (needsHC) errs.push(...each('spec.healthCheckNodePort', hc, isValidPortNum(hc)));
  const itp = spec.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errs.push(fieldErr.required('spec.internalTrafficPolicy'));
  } else if (itp !== 'Cluster' && itp !== 'Local') errs.push(fieldErr.notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  if (typeof spec.trafficDistribution === 'string' && spec.trafficDistribution !== 'PreferClose')
    errs.push(fieldErr.notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  return errs;
}

export function validateService(svc: Obj): FieldError[] {
  const spec = obj(svc.spec);
  const type = str(spec.type);
  const headless = isHeadless(spec);
  const errs = validateObjectMeta(svc.metadata, true, nameIsDNS1035Label);
  const ports = objs(spec.ports);
  if (!ports.length && !headless && type !== 'ExternalName') errs.push(fieldErr.required('spec.ports'));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless)
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  if (type === 'ExternalName') {
    if (strs(spec.clusterIPs).length) errs.push(fieldErr.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (strs(spec.ipFamilies).length) errs.push(fieldErr.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(fieldErr.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...each('spec.externalName', cname, nameIsDNSSubdomain(cname, false)));
    else errs.push(fieldErr.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...servicePort(p, ports.length > 1, names, index('spec.ports', i))));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...sessionAffinity(spec), ...validateClusterIPs(spec));
  strs(spec.externalIPs).forEach((ip, i) => {
    const e = validateIP(index('spec.externalIPs', i), ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(ip, index('spec.externalIPs', i))));
  });
  if (!type) errs.push(fieldErr.required('spec.type'));
  else if (!TYPES.includes(type)) errs.push(fieldErr.notSupported('spec.type', type, TYPES));
  if (type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (optNum(p.nodePort)) errs.push(fieldErr.forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const np = optNum(p.nodePort) ?? 0;
    if (!np) return;
    const k = `${str(p.protocol)}/${np}`;
    if (nodePorts.has(k)) errs.push(fieldErr.duplicate(child(index('spec.ports', i), 'nodePort'), np));
    nodePorts.add(k);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p.protocol)}/${optNum(p.port) ?? 0}`;
    if (seen.has(k)) errs.push(fieldErr.duplicate(index('spec.ports', i), servicePortRepr(p)));
    seen.add(k);
  });
  const ranges = strs(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (type !== 'LoadBalancer') errs.push(fieldErr.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(index('spec.LoadBalancerSourceRanges', i), r.trim())));
  }
  const alb = spec.allocateLoadBalancerNodePorts;
  if (alb !== undefined && alb !== null && type !== 'LoadBalancer') errs.push(fieldErr.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  if (type === 'LoadBalancer' && (alb === undefined || alb === null)) errs.push(fieldErr.required('allocateLoadBalancerNodePorts'));
  const lbc = spec.loadBalancerClass;
  if (typeof lbc === 'string') {
    if (type === 'LoadBalancer') errs.push(...each('spec.loadBalancerClass', lbc, isQualifiedName(lbc)));
    else errs.push(fieldErr.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return [...errs, ...trafficPolicies(spec)];
}

export function validateServiceUpdate(svc: Obj, old: Obj): FieldError[] {
  const spec = obj(svc.spec);
  const oldSpec = obj(old.spec);
  const errs = [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...validateClusterIPUpdates(oldSpec, spec)];
  if (oldSpec.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && (oldSpec.loadBalancerClass ?? null) !== (spec.loadBalancerClass ?? null))
    errs.push(fieldErr.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  const needsHC = (s: Obj): boolean => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (needsHC(oldSpec) && needsHC(spec) && (optNum(spec.healthCheckNodePort) ?? 0) !== (optNum(oldSpec.healthCheckNodePort) ?? 0))
    errs.push(fieldErr.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  return [...errs, ...validateService(svc)];
}

export function validateServiceStatusUpdate(svc: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  const ingress = objs(obj(obj(svc.status).loadBalancer).ingress);
  const p = 'status.loadBalancer.ingress';
  if (str(obj(svc.spec).type) !== 'LoadBalancer' && ingress.length) return [...errs, fieldErr.forbidden(p, "may only be used when `spec.type` is 'LoadBalancer'")];
  ingress.forEach((ing, i) => {
    const ip = str(ing.ip);
    if (ip) errs.push(...validateIP(child(index(p, i), 'ip'), ip));
    if (ing.ipMode === undefined || ing.ipMode === null) {
      if (ip) errs.push(fieldErr.required(child(index(p, i), 'ipMode'), 'must be specified when `ip` is set'));
    } else if (ing.ipMode !== 'Proxy' && ing.ipMode !== 'VIP') errs.push(fieldErr.notSupported(child(index(p, i), 'ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    const host = str(ing.hostname);
    if (host) {
      errs.push(...each(child(index(p, i), 'hostname'), host, nameIsDNSSubdomain(host, false)));
      if (isIP(host)) errs.push(fieldErr.invalid(child(index(p, i), 'hostname'), host, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

export function validateEndpoints(ep: Obj): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain);
  objs(ep.subsets).forEach((ss, i) => {
    const p = index('subsets', i);
    if (!objs(ss.addresses).length && !objs(ss.notReadyAddresses).length) errs.push(fieldErr.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const k of ['addresses', 'notReadyAddresses'])
      objs(ss[k]).forEach((a, j) => {
        const ap = index(child(p, k), j);
        errs.push(...validateIP(child(ap, 'ip'), str(a.ip)));
        if (str(a.hostname)) errs.push(...each(child(ap, 'hostname'), str(a.hostname), isDNS1123Label(str(a.hostname))));
        if (typeof a.nodeName === 'string') errs.push(...each(child(ap, 'nodeName'), a.nodeName, nameIsDNSSubdomain(a.nodeName, false)));
        errs.push(...validateNonSpecialIP(str(a.ip), child(ap, 'ip')));
      });
    const ports = objs(ss.ports);
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j);
      const name = str(port.name);
      if (ports.length > 1 && !name) errs.push(fieldErr.required(child(pp, 'name')));
      else if (name) errs.push(...each(child(pp, 'name'), name, isDNS1123Label(name)));
      const num = optNum(port.port) ?? 0;
      errs.push(...each(child(pp, 'port'), num, isValidPortNum(num)), ...protocol(port.protocol, child(pp, 'protocol')));
      if (typeof port.appProtocol === 'string') errs.push(...each(child(pp, 'appProtocol'), port.appProtocol, isQualifiedName(port.appProtocol)));
    });
  });
  return errs;
}

export function validateEndpointsUpdate(ep: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(ep.metadata, old.metadata), ...validateEndpoints(ep)];
}

