/**
 * DnsRecords.resolve, table-driven: CoreDNS's kubernetes handler cases (plugin/kubernetes/handler_test.go and
 * kubernetes_apex_test.go, TTL 30 as kubeadm's Corefile sets it, wildcard cases left out: current CoreDNS has no
 * wildcards), the Kubernetes DNS spec's records (StatefulSet hostnames, PTR, pod A records under `pods insecure`), and
 * KubeLab's decisions (REFUSED outside the zones, SERVFAIL before sync).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DnsRecords } from '../../../../src/addons/dns';
import { fixture, rr, SERIAL, slice, SOA, svc } from './fixtures';

interface Case {
  q: string;
  t: string;
  rcode?: string;
  answer?: string[];
  ns?: string[];
  extra?: string[];
}

const NXDOMAIN = { rcode: 'NXDOMAIN', ns: [SOA] };
const NODATA = { rcode: 'NOERROR', ns: [SOA] };
const A = (name: string, ...ips: string[]) => ips.map((ip) => `${name} 30 IN A ${ip}`);

const cases: Case[] = [
  // CoreDNS handler_test.go
  { q: 'svc1.testns.svc.cluster.local.', t: 'A', answer: A('svc1.testns.svc.cluster.local.', '10.0.0.1') },
  { q: 'svcempty.testns.svc.cluster.local.', t: 'A', answer: A('svcempty.testns.svc.cluster.local.', '10.0.0.1') },
  {
    q: 'svc1.testns.svc.cluster.local.',
    t: 'SRV',
    answer: ['svc1.testns.svc.cluster.local. 30 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'],
    extra: A('svc1.testns.svc.cluster.local.', '10.0.0.1'),
  },
  {
    q: 'svc6.testns.svc.cluster.local.',
    t: 'SRV',
    answer: ['svc6.testns.svc.cluster.local. 30 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'],
    extra: ['svc6.testns.svc.cluster.local. 30 IN AAAA 1234:abcd::1'],
  },
  { q: '*._not-udp-or-tcp.svc1.testns.svc.cluster.local.', t: 'SRV', ...NXDOMAIN },
  {
    q: '_http._tcp.svc1.testns.svc.cluster.local.',
    t: 'SRV',
    answer: ['_http._tcp.svc1.testns.svc.cluster.local. 30 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'],
    extra: A('svc1.testns.svc.cluster.local.', '10.0.0.1'),
  },
  { q: 'hdls1.testns.svc.cluster.local.', t: 'A', answer: A('hdls1.testns.svc.cluster.local.', '172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5') },
  { q: 'hdlsprtls.testns.svc.cluster.local.', t: 'A', answer: A('hdlsprtls.testns.svc.cluster.local.', '172.0.0.20') },
  { q: '172-0-0-20.hdlsprtls.testns.svc.cluster.local.', t: 'A', answer: A('172-0-0-20.hdlsprtls.testns.svc.cluster.local.', '172.0.0.20') },
  { q: '172-0-0-2.hdls1.testns.svc.cluster.local.', t: 'A', answer: A('172-0-0-2.hdls1.testns.svc.cluster.local.', '172.0.0.2') },
  { q: 'dup-name.hdls1.testns.svc.cluster.local.', t: 'A', answer: A('dup-name.hdls1.testns.svc.cluster.local.', '172.0.0.4', '172.0.0.5') },
  {
    q: '_http._tcp.hdls1.testns.svc.cluster.local.',
    t: 'SRV',
    answer: ['172-0-0-2', '172-0-0-3', '5678-abcd--1', '5678-abcd--2', 'dup-name'].map((h) => `_http._tcp.hdls1.testns.svc.cluster.local. 30 IN SRV 0 16 80 ${h}.hdls1.testns.svc.cluster.local.`),
    extra: [
      ...A('172-0-0-2.hdls1.testns.svc.cluster.local.', '172.0.0.2'),
      ...A('172-0-0-3.hdls1.testns.svc.cluster.local.', '172.0.0.3'),
      '5678-abcd--1.hdls1.testns.svc.cluster.local. 30 IN AAAA 5678:abcd::1',
      '5678-abcd--2.hdls1.testns.svc.cluster.local. 30 IN AAAA 5678:abcd::2',
      ...A('dup-name.hdls1.testns.svc.cluster.local.', '172.0.0.4', '172.0.0.5'),
    ],
  },
  { q: 'hdlsprtls.testns.svc.cluster.local.', t: 'SRV', ...NODATA },
  { q: '5678-abcd--2.hdls1.testns.svc.cluster.local', t: 'AAAA', answer: ['5678-abcd--2.hdls1.testns.svc.cluster.local. 30 IN AAAA 5678:abcd::2'] },
  { q: 'external.testns.svc.cluster.local.', t: 'CNAME', answer: ['external.testns.svc.cluster.local. 30 IN CNAME ext.interwebs.test.'] },
  {
    q: 'external-to-service.testns.svc.cluster.local',
    t: 'A',
    answer: ['external-to-service.testns.svc.cluster.local. 30 IN CNAME svc1.testns.svc.cluster.local.', ...A('svc1.testns.svc.cluster.local.', '10.0.0.1')],
  },
  { q: 'svc1.testns.svc.cluster.local.', t: 'AAAA', ...NODATA },
  { q: 'svc0.testns.svc.cluster.local.', t: 'AAAA', ...NXDOMAIN },
  { q: 'svc0.testns.svc.cluster.local.', t: 'A', ...NXDOMAIN },
  { q: 'svc0.svc-nons.svc.cluster.local.', t: 'A', ...NXDOMAIN },
  { q: 'svc1.nsnoexist.svc.cluster.local.', t: 'A', ...NXDOMAIN },
  { q: 'dns-version.cluster.local.', t: 'TXT', answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'] },
  { q: 'bogusendpoint.hdls1.testns.svc.cluster.local.', t: 'A', ...NXDOMAIN },
  { q: 'bogusendpoint.svc0.testns.svc.cluster.local.', t: 'A', ...NXDOMAIN },
  { q: 'svc6.testns.svc.cluster.local.', t: 'AAAA', answer: ['svc6.testns.svc.cluster.local. 30 IN AAAA 1234:abcd::1'] },
  { q: 'hdls1.testns.svc.cluster.local.', t: 'AAAA', answer: ['hdls1.testns.svc.cluster.local. 30 IN AAAA 5678:abcd::1', 'hdls1.testns.svc.cluster.local. 30 IN AAAA 5678:abcd::2'] },
  { q: 'svc.cluster.local.', t: 'A', ...NODATA },
  { q: 'pod.cluster.local.', t: 'A', ...NODATA },
  { q: 'testns.svc.cluster.local.', t: 'A', ...NODATA },
  { q: 'nsnoexist.svc.cluster.local.', t: 'A', ...NXDOMAIN },
  { q: 'foo.cluster.local.', t: 'NS', ...NODATA },
  // kubernetes_apex_test.go (the name server is the kube-dns Service, as nsAddrs finds it through its endpoints)
  { q: 'cluster.local.', t: 'SOA', answer: [SOA] },
  { q: 'cluster.local.', t: 'HINFO', ...NODATA },
  { q: 'cluster.local.', t: 'NS', answer: ['cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.'], extra: A('kube-dns.kube-system.svc.cluster.local.', '10.96.0.10') },
  { q: 'cluster.local.', t: 'A', ...NODATA },
  { q: 'cluster.local.', t: 'AAAA', ...NODATA },
  { q: 'cluster.local.', t: 'SRV', ...NODATA },
  { q: 'ns.dns.cluster.local.', t: 'A', answer: A('ns.dns.cluster.local.', '10.96.0.10') },
  { q: 'ns.dns.cluster.local.', t: 'AAAA', ...NODATA },
  // The spec's StatefulSet records: hostnames from the endpoints, only ready ones.
  { q: 'web-0.web.default.svc.cluster.local', t: 'A', answer: A('web-0.web.default.svc.cluster.local.', '10.244.1.5') },
  { q: 'web-2.web.default.svc.cluster.local', t: 'A', ...NXDOMAIN },
  { q: 'web.default.svc.cluster.local', t: 'A', answer: A('web.default.svc.cluster.local.', '10.244.1.5', '10.244.2.6') },
  {
    q: '_metrics._tcp.web.default.svc.cluster.local',
    t: 'SRV',
    answer: ['web-0', 'web-1'].map((h) => `_metrics._tcp.web.default.svc.cluster.local. 30 IN SRV 0 50 9100 ${h}.web.default.svc.cluster.local.`),
    extra: [...A('web-0.web.default.svc.cluster.local.', '10.244.1.5'), ...A('web-1.web.default.svc.cluster.local.', '10.244.2.6')],
  },
  {
    // The bare Service name: SRV for every port (2 endpoints × 2 ports: weight 25).
    q: 'web.default.svc.cluster.local',
    t: 'SRV',
    answer: ['web-0 80', 'web-0 9100', 'web-1 80', 'web-1 9100'].map((x) => {
      const [h, p] = x.split(' ');
      return `web.default.svc.cluster.local. 30 IN SRV 0 25 ${p} ${h}.web.default.svc.cluster.local.`;
    }),
    extra: [...A('web-0.web.default.svc.cluster.local.', '10.244.1.5'), ...A('web-1.web.default.svc.cluster.local.', '10.244.2.6')],
  },
  { q: '_http._udp.web.default.svc.cluster.local', t: 'SRV', ...NXDOMAIN },
  // An endpoint name under a ClusterIP Service answers too (CoreDNS reads its endpoints).
  { q: 'ep1a.svc1.testns.svc.cluster.local', t: 'A', answer: A('ep1a.svc1.testns.svc.cluster.local.', '172.0.0.1') },
  // Pod A records (`pods insecure`): any address, if the namespace exists.
  { q: '10-244-1-99.default.pod.cluster.local', t: 'A', answer: A('10-244-1-99.default.pod.cluster.local.', '10.244.1.99') },
  { q: '10-244-1-99.default.pod.cluster.local', t: 'AAAA', ...NODATA },
  { q: '10-244-1-99.nsnoexist.pod.cluster.local', t: 'A', ...NXDOMAIN },
  { q: 'web-0.default.pod.cluster.local', t: 'A', ...NXDOMAIN },
  { q: '10-244-01-99.default.pod.cluster.local', t: 'A', ...NXDOMAIN },
  { q: 'default.pod.cluster.local', t: 'A', ...NODATA },
  // PTR: Service cluster IPs, then ready endpoint addresses; unknown addresses would be forwarded: REFUSED.
  { q: '10.0.96.10.in-addr.arpa.', t: 'PTR', answer: ['10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.'] },
  { q: '5.1.244.10.in-addr.arpa', t: 'PTR', answer: ['5.1.244.10.in-addr.arpa. 30 IN PTR web-0.web.default.svc.cluster.local.'] },
  { q: '2.0.0.172.in-addr.arpa', t: 'PTR', answer: ['2.0.0.172.in-addr.arpa. 30 IN PTR 172-0-0-2.hdls1.testns.svc.cluster.local.'] },
  { q: '7.2.244.10.in-addr.arpa', t: 'PTR', rcode: 'REFUSED' },
  { q: '99.99.99.99.in-addr.arpa', t: 'PTR', rcode: 'REFUSED' },
  { q: '10.0.96.10.in-addr.arpa', t: 'A', rcode: 'REFUSED' },
  { q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa', t: 'PTR', rcode: 'REFUSED' },
  // Outside the zones: CoreDNS would forward to /etc/resolv.conf; KubeLab has no upstream.
  { q: 'example.com', t: 'A', rcode: 'REFUSED' },
  { q: 'local.', t: 'A', rcode: 'REFUSED' },
  { q: 'xcluster.local', t: 'A', rcode: 'REFUSED' },
  { q: '.', t: 'NS', rcode: 'REFUSED' },
  // Everything else follows the NXDOMAIN-vs-NODATA lookup.
  { q: 'svc1.testns.svc.cluster.local', t: 'MX', ...NODATA },
  { q: 'svc0.testns.svc.cluster.local', t: 'MX', ...NXDOMAIN },
  { q: 'svc1.testns.svc.cluster.local', t: 'UNKNOWN_65280', ...NODATA },
  { q: 'svc1.testns.svc.cluster.local', t: 'CNAME', ...NODATA },
  { q: 'svc1.testns.svc.cluster.local', t: 'TXT', ...NODATA },
  { q: 'svc1.testns.svc.cluster.local', t: 'SOA', answer: [SOA] },
  { q: 'svc1.testns.svc.cluster.local', t: 'PTR', ...NODATA },
  { q: 'a.b.c.svc1.testns.svc.cluster.local', t: 'A', ...NXDOMAIN },
  { q: 'foo.cluster.local', t: 'A', ...NXDOMAIN },
  { q: 'external.testns.svc.cluster.local', t: 'A', answer: ['external.testns.svc.cluster.local. 30 IN CNAME ext.interwebs.test.'] },
  { q: 'external.testns.svc.cluster.local', t: 'SRV', ...NODATA },
  { q: 'ep.external.testns.svc.cluster.local', t: 'A', ...NXDOMAIN },
  // Case-insensitive, with or without the trailing dot; the answer keeps the question's spelling.
  { q: 'Web-0.WEB.Default.SVC.cluster.local', t: 'A', answer: A('Web-0.WEB.Default.SVC.cluster.local.', '10.244.1.5') },
  { q: 'SVC1.TESTNS.SVC.CLUSTER.LOCAL.', t: 'A', answer: A('SVC1.TESTNS.SVC.CLUSTER.LOCAL.', '10.0.0.1') },
  { q: 'SVC0.TESTNS.SVC.CLUSTER.LOCAL.', t: 'A', rcode: 'NXDOMAIN', ns: [SOA.replace(/cluster\.local\./g, 'CLUSTER.LOCAL.')] },
];

const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();

describe('DnsRecords.resolve', () => {
  const r = fixture();
  for (const c of cases) {
    it(`${c.q} ${c.t} → ${c.rcode ?? 'NOERROR'}`, () => {
      const got = r.resolve(c.q, c.t);
      assert.equal(got.rcode, c.rcode ?? 'NOERROR');
      assert.equal(got.authoritative, got.rcode !== 'REFUSED');
      assert.deepEqual(sorted(got.answers.map(rr)), sorted(c.answer));
      assert.deepEqual(sorted(got.authority.map(rr)), sorted(c.ns));
      assert.deepEqual(sorted(got.additionals.map(rr)), sorted(c.extra));
    });
  }

  it('puts an ExternalName CNAME before the records it leads to', () => {
    const got = r.resolve('external-to-service.testns.svc.cluster.local', 'A');
    assert.deepEqual(got.answers.map((a) => a.type), ['CNAME', 'A']);
  });
});

describe('DnsRecords before the informers synced', () => {
  it('answers SERVFAIL (with the SOA) where it would say NXDOMAIN, and answers what it knows', () => {
    const r = fixture({ synced: false });
    const miss = r.resolve('svc0.testns.svc.cluster.local.', 'A');
    assert.equal(miss.rcode, 'SERVFAIL');
    assert.deepEqual(miss.authority.map(rr), [SOA]);
    assert.equal(r.resolve('svc1.testns.svc.cluster.local.', 'A').rcode, 'NOERROR');
    assert.equal(r.resolve('svc1.testns.svc.cluster.local.', 'AAAA').rcode, 'NOERROR');
    r.setSynced();
    assert.equal(r.resolve('svc0.testns.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
  });
});

describe('DnsRecords updates', () => {
  it('follows Service, EndpointSlice and Namespace changes, and moves the SOA serial', () => {
    let now = Date.UTC(2026, 0, 1);
    const r = new DnsRecords({ now: () => now });
    r.setSynced();
    r.setNamespace('ns1');
    r.setService(svc('ns1', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
    const q = () => r.resolve('db.ns1.svc.cluster.local', 'A');
    assert.equal(q().rcode, 'NXDOMAIN', 'a headless Service without ready endpoints');
    r.setEndpointSlice(slice('ns1', 'db-1', 'db', [{ ip: '10.244.0.9', hostname: 'db-0', ready: false }]));
    assert.equal(q().rcode, 'NXDOMAIN', 'a not-ready endpoint is not published');
    now += 5000;
    r.setService(svc('ns1', 'db', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'pg', port: 5432 }] }));
    assert.deepEqual(q().answers.map(rr), ['db.ns1.svc.cluster.local. 30 IN A 10.244.0.9']);
    const soa = r.resolve('cluster.local', 'SOA').answers[0];
    assert.ok(soa && soa.type === 'SOA');
    assert.equal(soa.data.serial, SERIAL + 5);
    // The slice is relabelled to another Service: its endpoints move with it.
    r.setService(svc('ns1', 'other', { clusterIP: 'None' }));
    r.setEndpointSlice(slice('ns1', 'db-1', 'other', [{ ip: '10.244.0.9', ready: true }]));
    assert.equal(q().rcode, 'NXDOMAIN');
    assert.equal(r.resolve('other.ns1.svc.cluster.local', 'A').rcode, 'NOERROR');
    r.deleteEndpointSlice('ns1', 'db-1');
    assert.equal(r.resolve('other.ns1.svc.cluster.local', 'A').rcode, 'NXDOMAIN');
    r.deleteService('ns1', 'db');
    r.setEndpointSlice(slice('ns1', 'db-2', 'db', [{ ip: '10.244.0.10' }]));
    assert.equal(q().rcode, 'NXDOMAIN', 'no Service, no name');
    r.setService(svc('ns1', 'db', { clusterIP: '10.96.5.5', ports: [{ port: 5432 }] }));
    assert.deepEqual(q().answers.map(rr), ['db.ns1.svc.cluster.local. 30 IN A 10.96.5.5']);
    // An unnamed port has SRV records only under the bare Service name.
    assert.deepEqual(r.resolve('db.ns1.svc.cluster.local', 'SRV').answers.map(rr), ['db.ns1.svc.cluster.local. 30 IN SRV 0 100 5432 db.ns1.svc.cluster.local.']);
    r.deleteNamespace('ns1');
    assert.equal(q().rcode, 'NXDOMAIN', 'names need their namespace');
  });

  it('serves another cluster domain and TTL, and ns.dns at loopback without a DNS Service', () => {
    const r = new DnsRecords({ zone: 'Corp.Example.', ttl: 5, now: () => 0 });
    r.setSynced();
    r.setNamespace('a');
    r.setService(svc('a', 'x', { clusterIP: '10.0.0.7', ports: [{ name: 'http', port: 80 }] }));
    assert.deepEqual(r.resolve('x.a.svc.corp.example', 'A').answers.map(rr), ['x.a.svc.corp.example. 5 IN A 10.0.0.7']);
    assert.equal(r.resolve('x.a.svc.cluster.local', 'A').rcode, 'REFUSED');
    assert.deepEqual(r.resolve('corp.example', 'NS').additionals.map(rr), ['ns.dns.corp.example. 5 IN A 127.0.0.1']);
    assert.deepEqual(r.resolve('nope.corp.example', 'A').authority.map(rr), ['corp.example. 5 IN SOA ns.dns.corp.example. hostmaster.corp.example. 0 7200 1800 86400 5']);
  });

  it('ignores endpoints whose addresses are not IPs, and slices without a Service label', () => {
    const r = new DnsRecords({ now: () => 0 });
    r.setSynced();
    r.setNamespace('n');
    r.setService(svc('n', 'h', { clusterIP: 'None' }));
    r.setEndpointSlice({ metadata: { namespace: 'n', name: 'h-1', labels: { 'kubernetes.io/service-name': 'h' } }, addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com'] }] });
    r.setEndpointSlice(slice('n', 'orphan', undefined, [{ ip: '10.1.1.1' }]));
    assert.equal(r.resolve('h.n.svc.cluster.local', 'A').rcode, 'NXDOMAIN');
    assert.equal(r.resolve('1.1.1.10.in-addr.arpa', 'PTR').rcode, 'REFUSED');
  });
});
