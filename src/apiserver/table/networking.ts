/**
 * networking.k8s.io and discovery.k8s.io tables (printers.go printIngress, printIngressClass, printEndpointSlice):
 *   ingresses       NAME CLASS HOSTS ADDRESS PORTS AGE   (HOSTS: up to 3 then "+ N more...", "*" when none;
 *                   PORTS: "80" or "80, 443" with TLS)
 *   ingressclasses  NAME CONTROLLER PARAMETERS AGE      (PARAMETERS: `Kind.apiGroup/name` or "<none>")
 *   endpointslices  NAME ADDRESSTYPE PORTS ENDPOINTS AGE (up to 3 each then "+ N more...", "<unset>" when empty)
 */
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressRule } from 'kubernetes-types/networking/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { loadBalancerAddresses } from './core-network';
import { DOC } from './descriptions';
import { arr, listWithMore, str } from './format';
import type { TablePrinter } from './types';

const MAX = 3;

/** formatHosts. */
function hosts(rules: unknown): string {
  const list: string[] = [];
  const all = arr<IngressRule>(rules);
  let more = false;
  for (const rule of all) {
    if (list.length === MAX) more = true;
    if (!more && str(rule?.host) !== '') list.push(str(rule.host));
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${all.length - MAX} more...` : ret;
}

export const ingressPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE,
  ),
  cells(obj, ctx) {
    const ing = obj as Ingress;
    return [
      str(ing.metadata?.name),
      typeof ing.spec?.ingressClassName === 'string' ? ing.spec.ingressClassName : '<none>',
      hosts(ing.spec?.rules),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
      arr(ing.spec?.tls).length !== 0 ? '80, 443' : '80',
      ageOf(ing, ctx.nowMs),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE,
  ),
  cells(obj, ctx) {
    const ic = obj as IngressClass;
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p && typeof p === 'object') {
      parameters = str(p.kind);
      if (typeof p.apiGroup === 'string') parameters += `.${p.apiGroup}`;
      parameters += `/${str(p.name)}`;
    }
    return [str(ic.metadata?.name), str(ic.spec?.controller), parameters, ageOf(ic, ctx.nowMs)];
  },
};

function slicePorts(ports: unknown): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of arr<EndpointPort>(ports)) {
    if (list.length < MAX) list.push(typeof p?.port === 'number' ? String(p.port) : typeof p?.name === 'string' ? p.name : '*');
    else if (list.length === MAX) more = true;
    count++;
  }
  return listWithMore(list, more, count, MAX);
}

function sliceEndpoints(endpoints: unknown): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of arr<Endpoint>(endpoints)) {
    for (const address of arr<string>(e?.addresses)) {
      if (list.length < MAX) list.push(str(address));
      else if (list.length === MAX) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, MAX);
}

export const endpointSlicePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('AddressType', 'string', DOC['EndpointSlice.addressType']),
    col('Ports', 'string', DOC['EndpointSlice.ports']),
    col('Endpoints', 'string', DOC['EndpointSlice.endpoints']),
    AGE,
  ),
  cells(obj, ctx) {
    const es = obj as unknown as EndpointSlice;
    return [str(es.metadata?.name), str(es.addressType), slicePorts(es.ports), sliceEndpoints(es.endpoints), ageOf(es, ctx.nowMs)];
  },
};
