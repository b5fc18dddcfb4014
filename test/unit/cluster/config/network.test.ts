import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cidrsOverlap, etcdEndpointProblem, formatCidr, nodeInternalIP, nodePodCidr, parseCidr, parseIPv4, prefixForNodes, type Cidr } from '../../../../src/cluster/config/network';

describe('network helpers', () => {
  it('parses IPv4 strictly', () => {
    for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', 'a.b.c.d', '']) assert.equal(parseIPv4(bad), undefined, bad);
    assert.equal(parseIPv4('10.244.0.1'), 0x0af40001);
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  });

  it('parses CIDRs and suggests the network when host bits are set', () => {
    assert.deepEqual(parseCidr('10.244.0.0/16'), { base: 0x0af40000, prefix: 16 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { base: 0, prefix: 0 });
    assert.match(parseCidr('10.244.0.1/16') as string, /did you mean "10\.244\.0\.0\/16"/);
    for (const bad of ['10.244.0.0', '10.244.0.0/33', '10.244.0.0/x', 'x/8']) assert.match(parseCidr(bad) as string, /invalid CIDR/, bad);
  });

  it('round-trips any network (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        const c: Cidr = { base: (ip & mask) >>> 0, prefix };
        assert.deepEqual(parseCidr(formatCidr(c)), c);
        assert.ok(cidrsOverlap(c, c));
      }),
    );
  });

  it('overlap', () => {
    const c = (s: string) => parseCidr(s) as Cidr;
    assert.ok(cidrsOverlap(c('10.0.0.0/8'), c('10.96.0.0/12')));
    assert.ok(!cidrsOverlap(c('10.244.0.0/16'), c('10.96.0.0/12')));
    assert.ok(!cidrsOverlap(c('10.96.0.0/12'), c('10.112.0.0/12')));
  });

  it('places nodes kind-style', () => {
    assert.equal(nodeInternalIP(0), '172.18.0.2');
    assert.equal(nodeInternalIP(253), '172.18.0.255');
    assert.equal(nodeInternalIP(254), '172.18.1.0');
    assert.equal(nodePodCidr(parseCidr('10.244.0.0/16') as Cidr, 255), '10.244.255.0/24');
    assert.equal(prefixForNodes(256), 16);
    assert.equal(prefixForNodes(257), 15);
    assert.equal(prefixForNodes(1), 24);
  });

  it('checks etcd endpoints', () => {
    assert.equal(etcdEndpointProblem('https://127.0.0.1:2379'), undefined);
    assert.equal(etcdEndpointProblem('http://etcd.local:2379/'), undefined);
    assert.match(etcdEndpointProblem('unix:///run/etcd.sock')!, /the scheme must be https or http, not unix/);
    assert.match(etcdEndpointProblem('https://u:p@h:2379')!, /credentials do not belong in the URL/);
    assert.match(etcdEndpointProblem('https://h:2379?x=1')!, /no path, query or fragment/);
    assert.match(etcdEndpointProblem('https://h:99999')!, /invalid URL/);
  });
});
