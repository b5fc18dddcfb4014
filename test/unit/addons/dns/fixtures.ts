/**
 * Shared test data for the cluster DNS tests: a DnsRecords fed with the objects of CoreDNS's kubernetes handler
 * tests (plugin/kubernetes/handler_test.go: svc1, svcempty, svc6, hdls1, hdlsprtls, external, external-to-service in
 * namespace testns) plus a StatefulSet's headless Service, and a formatter that prints records as zone-file lines
 * (`name. ttl IN TYPE data`) the way those tests state expectations.
 */
import type { Answer } from 'dns-packet';
import { DnsRecords } from '../../../../src/addons/dns';

export const NOW = Date.UTC(2026, 0, 1);
export const SERIAL = NOW / 1000;

export const svc = (namespace: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec });

export interface Ep {
  ip: string;
  hostname?: string;
  ready?: boolean;
}

export function slice(namespace: string, name: string, service: string | undefined, endpoints: Ep[], ports: Record<string, unknown>[] = [{ name: 'http', protocol: 'TCP', port: 80 }]) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name, labels: service ? { 'kubernetes.io/service-name': service } : {} },
    addressType: endpoints.some((e) => e.ip.includes(':')) ? 'IPv6' : 'IPv4',
    ports,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: e.ready === undefined ? {} : { ready: e.ready },
      ...(e.hostname ? { hostname: e.hostname } : {}),
    })),
  };
}

const http = [{ name: 'http', protocol: 'TCP', port: 80 }];

/** The model every records test starts from (synced unless told otherwise). */
export function fixture(o: { synced?: boolean } = {}): DnsRecords {
  const r = new DnsRecords({ nameserverIP: '10.96.0.10', now: () => NOW });
  for (const ns of ['testns', 'default', 'kube-system']) r.setNamespace({ metadata: { name: ns } });
  r.setService(svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'dns-tcp', protocol: 'TCP', port: 53 }, { name: 'metrics', protocol: 'TCP', port: 9153 }] }));
  r.setService(svc('testns', 'svc1', { clusterIP: '10.0.0.1', ports: http }));
  r.setEndpointSlice(slice('testns', 'svc1-abcde', 'svc1', [{ ip: '172.0.0.1', hostname: 'ep1a' }]));
  r.setService(svc('testns', 'svcempty', { clusterIP: '10.0.0.1', ports: http }));
  r.setService(svc('testns', 'svc6', { clusterIP: '1234:abcd::1', ports: http }));
  r.setService(svc('testns', 'hdls1', { clusterIP: 'None' }));
  r.setEndpointSlice(
    slice('testns', 'hdls1-v4', 'hdls1', [{ ip: '172.0.0.2' }, { ip: '172.0.0.3' }, { ip: '172.0.0.4', hostname: 'dup-name' }, { ip: '172.0.0.5', hostname: 'dup-name' }]),
  );
  r.setEndpointSlice(slice('testns', 'hdls1-v6', 'hdls1', [{ ip: '5678:abcd::1' }, { ip: '5678:abcd::2' }]));
  r.setService(svc('testns', 'hdlsprtls', { clusterIP: 'None' }));
  r.setEndpointSlice(slice('testns', 'hdlsprtls-x', 'hdlsprtls', [{ ip: '172.0.0.20' }], []));
  r.setService(svc('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test', ports: http }));
  r.setService(svc('testns', 'external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.', ports: http }));
  // A StatefulSet `web` (serviceName web): the endpointslice controller copies each pod's hostname.
  r.setService(svc('default', 'web', { clusterIP: 'None', ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'metrics', protocol: 'TCP', port: 9100 }] }));
  r.setEndpointSlice(
    slice('default', 'web-x7k2p', 'web', [{ ip: '10.244.1.5', hostname: 'web-0', ready: true }, { ip: '10.244.2.6', hostname: 'web-1', ready: true }, { ip: '10.244.2.7', hostname: 'web-2', ready: false }], [
      { name: 'http', protocol: 'TCP', port: 80 },
      { name: 'metrics', protocol: 'TCP', port: 9100 },
    ]),
  );
  if (o.synced !== false) r.setSynced();
  return r;
}

const dot = (n: string) => (n.endsWith('.') ? n : `${n}.`);

/** `name. ttl IN TYPE data`, as CoreDNS's tests write records. */
export function rr(a: Answer): string {
  const head = `${dot(a.name)} ${'ttl' in a ? a.ttl : ''} IN ${a.type}`;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return `${head} ${a.data}`;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${head} ${dot(a.data)}`;
    case 'SRV':
      return `${head} ${a.data.priority} ${a.data.weight} ${a.data.port} ${dot(a.data.target)}`;
    case 'SOA':
      return `${head} ${dot(a.data.mname)} ${dot(a.data.rname)} ${a.data.serial} ${a.data.refresh} ${a.data.retry} ${a.data.expire} ${a.data.minimum}`;
    case 'TXT':
      return `${head} ${JSON.stringify(String(a.data))}`;
    default:
      return `${head} ?`;
  }
}

export const SOA = `cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. ${SERIAL} 7200 1800 86400 30`;
