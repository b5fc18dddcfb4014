/**
 * networking.k8s.io/v1 Ingress (create, update, status) and IngressClass: rules, hosts, HTTP paths and path types,
 * backends, TLS, class name, and the IngressClass controller and parameters.
 */
import { isIP } from 'node:net';
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, obj, objs, optNum, optObj, str, strs, strMap, type Obj } from './access';
import { each, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, nameIsDNS1035Label, nameIsDNSSubdomain, validateIP } from './formats';
import { GoRepr } from './go-repr';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function host(h: string, path: string): FieldError[] {
  return each(path, h, h.includes('*') ? isWildcardDNS1123Subdomain(h) : nameIsDNSSubdomain(h, false));
}

function backend(b: Obj, path: string): FieldError[] {
  const resource = optObj(b.resource);
  const service = optObj(b.service);
  if (resource && service) return [fieldErr.invalid(path, '', 'cannot set both resource and service backends')];
  const errs: FieldError[] = [];
  if (resource) {
    if (str(resource.apiGroup)) errs.push(...each(child(path, 'resource', 'apiGroup'), str(resource.apiGroup), nameIsDNSSubdomain(str(resource.apiGroup), false)));
    if (!str(resource.kind)) errs.push(fieldErr.required(child(path, 'resource', 'kind')));
    if (!str(resource.name)) errs.push(fieldErr.required(child(path, 'resource', 'name')));
  } else if (service) {
    const name = str(service.name);
    if (!name) errs.push(fieldErr.required(child(path, 'service', 'name')));
    else errs.push(...each(child(path, 'service', 'name'), name, nameIsDNS1035Label(name, false)));
    const port = obj(service.port);
    const portName = str(port.name);
    const portNumber = optNum(port.number) ?? 0;
    if (portName && portNumber) errs.push(fieldErr.invalid(path, '', 'cannot set both port name & port number'));
    else if (portName) errs.push(...each(child(path, 'service', 'port', 'name'), portName, isValidPortName(portName)));
    else if (portNumber) errs.push(...each(child(path, 'service', 'port', 'number'), portNumber, isValidPortNum(portNumber)));
    else errs.push(fieldErr.required(path, 'port name or number is required'));
  } else errs.push(fieldErr.invalid(path, '', 'resource or service backend is required'));
  return errs;
}

function httpPath(p: Obj, path: string): FieldError[] {
  if (typeof p.pathType !== 'string') return [fieldErr.required(child(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = str(p.path);
  const pp = child(path, 'path');
  if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(fieldErr.invalid(pp, value, 'must be an absolute path'));
    for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (value.includes(seq)) errs.push(fieldErr.invalid(pp, value, `must not contain '${seq}'`));
    for (const suf of ['/..', '/.']) if (value.endsWith(suf)) errs.push(fieldErr.invalid(pp, value, `cannot end with '${suf}'`));
  } else if (p.pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) errs.push(fieldErr.invalid(pp, value, 'must be an absolute path'));
  } else errs.push(fieldErr.notSupported(child(path, 'pathType'), p.pathType, PATH_TYPES));
  return [...errs, ...backend(obj(p.backend), child(path, 'backend'))];
}

export function validateIngressSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  const rules = objs(spec.rules);
  if (!rules.length && !optObj(spec.defaultBackend))
    errs.push(fieldErr.invalid(path, Array.isArray(spec.rules) ? spec.rules : new GoRepr('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  if (optObj(spec.defaultBackend)) errs.push(...backend(obj(spec.defaultBackend), child(path, 'defaultBackend')));
  rules.forEach((r, i) => {
    const rp = index(child(path, 'rules'), i);
    const h = str(r.host);
    if (h) {
      if (isIP(h)) errs.push(fieldErr.invalid(child(rp, 'host'), h, 'must be a DNS name, not an IP address'));
      errs.push(...host(h, child(rp, 'host')));
    }
    const http = optObj(r.http);
    if (http) {
      const paths = objs(http.paths);
      if (!paths.length) errs.push(fieldErr.required(child(rp, 'http', 'paths')));
      paths.forEach((p, j) => errs.push(...httpPath(p, index(child(rp, 'http', 'paths'), j))));
    }
  });
  objs(spec.tls).forEach((t, i) => {
    const tp = index(child(path, 'tls'), i);
    strs(t.hosts).forEach((h, j) => errs.push(...host(h, index(child(tp, 'hosts'), j))));
    const secret = str(t.secretName);
    if (secret) errs.push(...each(child(tp, 'secretName'), secret, nameIsDNSSubdomain(secret, false)));
  });
  if (typeof spec.ingressClassName === 'string') errs.push(...each(child(path, 'ingressClassName'), spec.ingressClassName, nameIsDNSSubdomain(spec.ingressClassName, false)));
  return errs;
}

export function validateIngress(ing: Obj): FieldError[] {
  const errs = [...validateObjectMeta(ing.metadata, true, nameIsDNSSubdomain), ...validateIngressSpec(ing.spec, 'spec')];
  const annotation = strMap(obj(ing.metadata).annotations)['kubernetes.io/ingress.class'];
  if (typeof obj(ing.spec).ingressClassName === 'string' && annotation !== undefined)
    errs.push(fieldErr.invalid('metadata.annotations[kubernetes.io/ingress.class]', annotation, 'can not be set when the class field is also set'));
  return errs;
}

export function validateIngressUpdate(ing: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(ing.metadata, old.metadata), ...validateIngressSpec(ing.spec, 'spec')];
}

export function validateIngressStatusUpdate(ing: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(ing.metadata, old.metadata);
  objs(obj(obj(ing.status).loadBalancer).ingress).forEach((lb, i) => {
    const p = index('status.loadBalancer.ingress', i);
    if (str(lb.ip)) errs.push(...validateIP(child(p, 'ip'), str(lb.ip)));
    const h = str(lb.hostname);
    if (h) {
      errs.push(...each(child(p, 'hostname'), h, nameIsDNSSubdomain(h, false)));
      if (isIP(h)) errs.push(fieldErr.invalid(child(p, 'hostname'), h, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

export function validateIngressClass(ic: Obj): FieldError[] {
  const errs = validateObjectMeta(ic.metadata, false, nameIsDNSSubdomain);
  const spec = obj(ic.spec);
  const controller = str(spec.controller);
  if (!controller) errs.push(fieldErr.required('spec.controller'));
  else {
    const parts = controller.split('/');
    if (parts.length < 2 || !parts[0] || !controller.slice(parts[0].length + 1))
      errs.push(fieldErr.invalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    else errs.push(...each('spec.controller', parts[0], nameIsDNSSubdomain(parts[0], false)));
    if (controller.length > 250) errs.push(fieldErr.tooLong('spec.controller', 250));
  }
  const params = optObj(spec.parameters);
  if (params) {
    if (!str(params.kind)) errs.push(fieldErr.required('spec.parameters.kind'));
    if (!str(params.name)) errs.push(fieldErr.required('spec.parameters.name'));
    const scope = str(params.scope);
    if (scope && scope !== 'Cluster' && scope !== 'Namespace') errs.push(fieldErr.notSupported('spec.parameters.scope', scope, ['Cluster', 'Namespace']));
    if (scope === 'Namespace' && !str(params.namespace)) errs.push(fieldErr.required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && params.namespace !== undefined && params.namespace !== null)
      errs.push(fieldErr.forbidden('spec.parameters.namespace', '`parameters.scope` is set to "Cluster"'));
  }
  return errs;
}

export function validateIngressClassUpdate(ic: Obj, old: Obj): FieldError[] {
  return [
    ...validateObjectMetaUpdate(ic.metadata, old.metadata),
    ...validateImmutable(str(obj(ic.spec).controller), str(obj(old.spec).controller), 'spec.controller'),
    ...validateIngressClass(ic),
  ];
}
