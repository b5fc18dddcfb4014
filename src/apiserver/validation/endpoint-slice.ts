/**
 * discovery.k8s.io/v1 EndpointSlice (create and update): address type, endpoints (addresses per type, hostname,
 * nodeName) and ports (unique names, protocol, appProtocol); addressType is immutable.
 */
import { isIP } from 'node:net';
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, objs, str, strs, type Obj } from './access';
import { each, isDNS1123Label, isQualifiedName, nameIsDNSSubdomain, validateNonSpecialIP } from './formats';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function address(type: string, a: string, path: string): FieldError[] {
  if (type === 'IPv4') return isIP(a) === 4 ? validateNonSpecialIP(a, path) : [fieldErr.invalid(path, a, 'must be a valid IPv4 address')];
  if (type === 'IPv6') return isIP(a) === 6 ? validateNonSpecialIP(a, path) : [fieldErr.invalid(path, a, 'must be a valid IPv6 address')];
  if (type === 'FQDN') {
    const name = a.replace(/\.$/, '');
    const errs = nameIsDNSSubdomain(name, false);
    if (errs.length) return [fieldErr.invalid(path, name, errs.join(','))];
    if (name.split('.').length < 2) return [fieldErr.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  }
  return [];
}

export function validateEndpointSlice(es: Obj): FieldError[] {
  const errs = validateObjectMeta(es.metadata, true, nameIsDNSSubdomain);
  const type = str(es.addressType);
  if (!type) errs.push(fieldErr.required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(fieldErr.notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = objs(es.endpoints);
  if (endpoints.length > 1000) errs.push(fieldErr.tooMany('endpoints', endpoints.length, 1000));
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrs = strs(ep.addresses);
    if (!addrs.length) errs.push(fieldErr.required(child(p, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(fieldErr.tooMany(child(p, 'addresses'), addrs.length, 100));
    addrs.forEach((a, j) => errs.push(...address(type, a, index(child(p, 'addresses'), j))));
    if (typeof ep.nodeName === 'string') errs.push(...each(child(p, 'nodeName'), ep.nodeName, nameIsDNSSubdomain(ep.nodeName, false)));
    if (typeof ep.hostname === 'string') errs.push(...each(child(p, 'hostname'), ep.hostname, isDNS1123Label(ep.hostname)));
  });
  const ports = objs(es.ports);
  if (ports.length > 100) errs.push(fieldErr.tooMany('ports', ports.length, 100));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = str(port.name);
    if (name) errs.push(...each(child(p, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(fieldErr.duplicate(child(p, 'name'), name));
    names.add(name);
    const proto = str(port.protocol);
    if (!proto) errs.push(fieldErr.required(child(p, 'protocol')));
    else if (!PROTOCOLS.includes(proto)) errs.push(fieldErr.notSupported(child(p, 'protocol'), proto, PROTOCOLS));
    if (typeof port.appProtocol === 'string') errs.push(...each(child(p, 'appProtocol'), port.appProtocol, isQualifiedName(port.appProtocol)));
  });
  return errs;
}

export function validateEndpointSliceUpdate(es: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(es.metadata, old.metadata), ...validateEndpointSlice(es), ...validateImmutable(str(es.addressType), str(old.addressType), 'addressType')];
}
