/** Query-name parsing as CoreDNS's parse.go reads names (parse_test.go's shapes), reverse names, pod labels. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { endpointHostname, ipv4ToReverse, parseRequest, podLabelToIP, reverseToIPv4, zoneOf } from '../../../../src/addons/dns';

describe('parseRequest', () => {
  const Z = 'inter.webs.test';
  const table: [string, string | undefined][] = [
    // name → port.protocol.endpoint.service.namespace.podOrSvc (CoreDNS recordRequest.String without cluster)
    [`_http._tcp.webs.mynamespace.svc.${Z}`, 'http.tcp..webs.mynamespace.svc'],
    [`*.any.*.any.svc.${Z}`, '*.any..*.any.svc'],
    [`1-2-3-4.webs.mynamespace.svc.${Z}`, '..1-2-3-4.webs.mynamespace.svc'],
    [`webs.mynamespace.svc.${Z}`, '...webs.mynamespace.svc'],
    [`mynamespace.svc.${Z}`, '....mynamespace.svc'],
    [`1-2-3-4.mynamespace.pod.${Z}`, '...1-2-3-4.mynamespace.pod'],
    [`svc.${Z}`, '.....'],
    [`pod.${Z}`, '.....'],
    [Z, '.....'],
    // invalid: too many labels, or neither svc nor pod
    [`too.long.for.what.I.am.trying.to.pod.${Z}`, undefined],
    [`too.long.for.what.I.am.trying.to.svc.${Z}`, undefined],
    [`bla.${Z}`, undefined],
    [`bla.bla.${Z}`, undefined],
    [`webs.mynamespace.svx.${Z}`, undefined],
  ];
  for (const [name, want] of table) {
    it(`${name} → ${want ?? 'invalid'}`, () => {
      const r = parseRequest(name.toLowerCase(), Z);
      const got = r && [r.port, r.protocol, r.endpoint, r.service, r.namespace, r.podOrSvc].join('.');
      assert.equal(got, want);
    });
  }
});

describe('zones, reverse names, hostnames', () => {
  it('finds the longest zone holding a name, case-insensitively, and nothing outside', () => {
    const zones = ['cluster.local', 'in-addr.arpa', 'ip6.arpa'];
    assert.equal(zoneOf('a.svc.cluster.local', zones), 'cluster.local');
    assert.equal(zoneOf('cluster.local', zones), 'cluster.local');
    assert.equal(zoneOf('1.0.96.10.in-addr.arpa', zones), 'in-addr.arpa');
    assert.equal(zoneOf('xcluster.local', zones), undefined);
    assert.equal(zoneOf('', zones), undefined);
    assert.equal(zoneOf('cluster.local', ['local', 'cluster.local']), 'cluster.local');
  });

  it('turns IPv4 addresses into reverse names and back', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        assert.equal(reverseToIPv4(ipv4ToReverse(ip)), ip);
        assert.equal(reverseToIPv4(ipv4ToReverse(ip).toUpperCase()), ip);
      }),
    );
    assert.equal(ipv4ToReverse('10.96.0.1'), '1.0.96.10.in-addr.arpa');
    for (const bad of ['0.96.10.in-addr.arpa', '1.1.0.96.10.in-addr.arpa', 'x.0.96.10.in-addr.arpa', '1.0.96.10.ip6.arpa', '01.0.96.10.in-addr.arpa']) {
      assert.equal(reverseToIPv4(bad), undefined, bad);
    }
  });

  it('names endpoints by hostname, else by their address with dashes; reads pod labels back', () => {
    assert.equal(endpointHostname('10.1.2.3', 'web-0'), 'web-0');
    assert.equal(endpointHostname('10.1.2.3', undefined), '10-1-2-3');
    assert.equal(endpointHostname('5678:abcd::1', undefined), '5678-abcd--1');
    fc.assert(fc.property(fc.ipV4(), (ip) => assert.equal(podLabelToIP(endpointHostname(ip, undefined)), ip)));
    assert.equal(podLabelToIP('fd00--1'), 'fd00::1');
  });
});
