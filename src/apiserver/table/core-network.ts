/**
 * Service and Endpoints tables (printers.go printService, printEndpoints):
 *   services   NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR
 *   endpoints  NAME ENDPOINTS AGE   ("10.0.0.1:80,10.0.0.2:80 + 3 more...", "<none>")
 *
 * EXTERNAL-IP: ClusterIP/NodePort show spec.externalIPs or "<none>"; LoadBalancer shows the sorted, de-duplicated
 * ingress IPs/hostnames followed by spec.externalIPs, or "<pending>"; ExternalName shows spec.externalName; any
 * other type "<unknown>". The server prints with Wide=true, so load-balancer addresses are never clipped.
 */
import type { EndpointPort, Endpoints, LoadBalancerIngress, Service, ServicePort } from 'kubernetes-types/core/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, int, joinHostPort, str } from './format';
import { formatLabels } from './selectors';
import type { TablePrinter } from './types';

/** loadBalancerStatusStringer with wide=true: unique IPs (else hostnames), sorted, joined by ",". */
export function loadBalancerAddresses(ingress: unknown): string {
  const set = new Set<string>();
  for (const i of arr<LoadBalancerIngress>(ingress)) {
    if (str(i?.ip) !== '') set.add(str(i.ip));
    else if (str(i?.hostname) !== '') set.add(str(i.hostname));
  }
  return [...set].sort().join(',');
}

function externalIP(svc: Service): string {
  const externalIPs = arr<string>(svc.spec?.externalIPs);
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(svc.spec?.externalName);
    default:
      return '<unknown>';
  }
}

function ports(list: unknown): string {
  const pieces = arr<ServicePort>(list).map((p) =>
    int(p?.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${str(p.protocol)}` : `${int(p?.port)}/${str(p?.protocol)}`,
  );
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export const servicePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Type', 'string', DOC['ServiceSpec.type']),
    col('Cluster-IP', 'string', DOC['ServiceSpec.clusterIP']),
    col('External-IP', 'string', DOC['ServiceSpec.externalIPs']),
    col('Port(s)', 'string', DOC['ServiceSpec.ports']),
    AGE,
    col('Selector', 'string', DOC['ServiceSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const svc = obj as Service;
    // The internal Service's ClusterIPs: spec.clusterIP is authoritative (v1 → internal conversion).
    const clusterIP = str(svc.spec?.clusterIP) || str(arr<string>(svc.spec?.clusterIPs)[0]) || '<none>';
    return [
      str(svc.metadata?.name),
      str(svc.spec?.type),
      clusterIP,
      externalIP(svc),
      ports(svc.spec?.ports),
      ageOf(svc, ctx.nowMs),
      formatLabels(svc.spec?.selector),
    ];
  },
};

const MAX_ENDPOINTS = 3;

/** formatEndpoints(endpoints, nil): up to three addresses (with ports), then "+ N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = arr<NonNullable<Endpoints['subsets']>[number]>(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr<{ ip?: string }>(ss?.addresses);
    const portList = arr<EndpointPort>(ss?.ports);
    if (portList.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === MAX_ENDPOINTS) {
          more = true;
          break;
        }
        list.push(str(a?.ip));
      }
      continue;
    }
    for (const port of portList) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === MAX_ENDPOINTS) {
          more = true;
          break;
        }
        list.push(joinHostPort(str(a?.ip), int(port?.port)));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - MAX_ENDPOINTS} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: columns(NAME, col('Endpoints', 'string', DOC['Endpoints.subsets']), AGE),
  cells(obj, ctx) {
    const ep = obj as Endpoints;
    return [str(ep.metadata?.name), formatEndpoints(ep), ageOf(ep, ctx.nowMs)];
  },
};
