/**
 * HostLocalIpam, host-local's default range of a node's podCIDR: .1 (gateway) … .254 handed out round robin from
 * .2, never the network, gateway or broadcast address; idempotent per pod uid; host-local's error words.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HostLocalIpam } from '../../../../src/addons/cni/host-local';
import { cidrContains, parseCidr, parseIPv4 } from '../../../../src/addons/cni/cidr';

const fill = (ipam: HostLocalIpam, n: number, prefix = 'p'): string[] => Array.from({ length: n }, (_, i) => ipam.allocate(`${prefix}${i}`));

describe('HostLocalIpam', () => {
  it('hands out .2, .3, … (the gateway .1 and the network .0 are skipped)', () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    assert.deepEqual(fill(ipam, 3), ['10.244.3.2', '10.244.3.3', '10.244.3.4']);
    assert.equal(ipam.gateway, '10.244.3.1');
    assert.equal(ipam.allocated(), 3);
    assert.equal(ipam.capacity(), 253);
  });

  it('gives the same pod its address again', () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    const ip = ipam.allocate('uid-a');
    ipam.allocate('uid-b');
    assert.equal(ipam.allocate('uid-a'), ip);
    assert.equal(ipam.ipOf('uid-a'), ip);
    assert.equal(ipam.allocated(), 2);
  });

  it('continues after the last one handed out, not at the lowest free address (round robin)', () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    fill(ipam, 3); // .2 .3 .4
    ipam.release('p0');
    assert.equal(ipam.allocate('next'), '10.244.3.5');
    assert.equal(ipam.ipOf('p0'), undefined);
  });

  it('wraps to the start of the range after .254 and never hands out .255', () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    const all = fill(ipam, 253);
    assert.equal(all[252], '10.244.3.254');
    assert.ok(!all.includes('10.244.3.255') && !all.includes('10.244.3.1') && !all.includes('10.244.3.0'));
    ipam.release('p10'); // 10.244.3.12
    ipam.release('p3'); // 10.244.3.5
    assert.equal(ipam.allocate('w1'), '10.244.3.5');
    assert.equal(ipam.allocate('w2'), '10.244.3.12');
  });

  it('tries the last address handed out last', () => {
    const ipam = new HostLocalIpam('10.0.0.0/30'); // range .1-.2, gateway .1: only .2
    assert.equal(ipam.allocate('a'), '10.0.0.2');
    ipam.release('a');
    assert.equal(ipam.allocate('b'), '10.0.0.2');
  });

  it("throws host-local's words when the range is full", () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    fill(ipam, 253);
    assert.throws(() => ipam.allocate('one-too-many'), {
      message: 'failed to allocate for range 0: no IP addresses available in range set: 10.244.3.1-10.244.3.254',
    });
    assert.equal(ipam.allocated(), 253);
  });

  const invalid: [string, string | RegExp][] = [
    ['10.244.3.0', 'invalid CIDR address: 10.244.3.0'],
    ['10.244.3.0/33', 'invalid CIDR address: 10.244.3.0/33'],
    ['not a cidr', 'invalid CIDR address: not a cidr'],
    ['fd00:1::/64', /only IPv4 is supported/],
    ['10.244.3.0/31', 'network 10.244.3.0/31 too small to allocate from'],
    ['10.244.3.7/32', 'network 10.244.3.7/32 too small to allocate from'],
    ['10.244.3.7/24', 'network has host bits set. For a subnet mask of length 24 the network address is 10.244.3.0'],
  ];
  for (const [cidr, message] of invalid) {
    it(`refuses ${cidr}`, () => assert.throws(() => new HostLocalIpam(cidr), typeof message === 'string' ? { message } : message));
  }

  describe('reserve (recovery from status.podIP)', () => {
    it('records the address so it is not handed out again', () => {
      const ipam = new HostLocalIpam('10.244.3.0/24');
      assert.equal(ipam.reserve('old', '10.244.3.2'), true);
      assert.equal(ipam.allocate('new'), '10.244.3.3');
      assert.equal(ipam.allocate('old'), '10.244.3.2');
    });
    const ignored: [string, string][] = [
      ['outside the range', '10.244.4.2'],
      ['the network address', '10.244.3.0'],
      ['the gateway', '10.244.3.1'],
      ['the broadcast address', '10.244.3.255'],
      ['not an address', 'garbage'],
      ['an IPv6 address', 'fd00::2'],
    ];
    for (const [what, ip] of ignored) {
      it(`ignores ${what}`, () => {
        const ipam = new HostLocalIpam('10.244.3.0/24');
        assert.equal(ipam.reserve('x', ip), false);
        assert.equal(ipam.allocated(), 0);
      });
    }
    it('refuses an address another pod holds, and moves a pod that held another one', () => {
      const ipam = new HostLocalIpam('10.244.3.0/24');
      ipam.reserve('a', '10.244.3.9');
      assert.equal(ipam.reserve('b', '10.244.3.9'), false);
      assert.equal(ipam.reserve('a', '10.244.3.9'), true);
      assert.equal(ipam.reserve('a', '10.244.3.10'), true);
      assert.equal(ipam.ipOf('a'), '10.244.3.10');
      assert.equal(ipam.reserve('b', '10.244.3.9'), true);
      assert.equal(ipam.allocated(), 2);
    });
  });

  describe('properties', () => {
    type Op = { kind: 'alloc'; pod: number } | { kind: 'release'; pod: number } | { kind: 'reserve'; pod: number; host: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), pod: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('release' as const), pod: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('reserve' as const), pod: fc.integer({ min: 0, max: 20 }), host: fc.integer({ min: 0, max: 20 }) }),
    );

    it('never gives one address to two pods, stays in range, never the network/gateway/broadcast', () =>
      fc.assert(
        fc.property(fc.integer({ min: 26, max: 30 }), fc.array(op, { maxLength: 120 }), (prefix, ops) => {
          const cidr = `10.244.3.0/${prefix}`;
          const subnet = parseCidr(cidr);
          const broadcast = subnet.base + 2 ** (32 - prefix) - 1;
          const ipam = new HostLocalIpam(cidr);
          const model = new Map<string, string>();
          for (const o of ops) {
            const uid = `pod-${o.pod}`;
            if (o.kind === 'alloc') {
              try {
                model.set(uid, ipam.allocate(uid));
              } catch (e) {
                assert.match((e as Error).message, /no IP addresses available in range set/);
                assert.equal(model.size, ipam.capacity());
                assert.ok(!model.has(uid));
              }
            } else if (o.kind === 'release') {
              ipam.release(uid);
              model.delete(uid);
            } else {
              const ip = `10.244.3.${o.host}`;
              if (ipam.reserve(uid, ip)) model.set(uid, ip);
            }
            const ips = [...model.values()];
            assert.equal(new Set(ips).size, ips.length, 'an address held by two pods');
            assert.equal(ipam.allocated(), model.size);
            for (const [u, ip] of model) {
              assert.equal(ipam.ipOf(u), ip);
              const n = parseIPv4(ip);
              assert.ok(cidrContains(subnet, n), `${ip} outside ${cidr}`);
              assert.ok(n !== subnet.base && n !== subnet.base + 1 && n !== broadcast, `${ip} is not assignable`);
            }
          }
        }),
      ));

    it('a released address is handed out again once everything else is taken', () =>
      fc.assert(
        fc.property(fc.integer({ min: 26, max: 30 }), fc.nat(), (prefix, pick) => {
          const ipam = new HostLocalIpam(`10.244.3.0/${prefix}`);
          const ips = fill(ipam, ipam.capacity());
          const victim = pick % ips.length;
          ipam.release(`p${victim}`);
          assert.equal(ipam.allocate('newcomer'), ips[victim]);
          assert.throws(() => ipam.allocate('another'));
        }),
      ));
  });
});
