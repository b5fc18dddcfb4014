/** IPv4 address and CIDR arithmetic: strict parsing with Go's wording, host bits cleared, containment and overlap. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  cidrContains,
  cidrOverlaps,
  cidrSize,
  formatCidr,
  formatIPv4,
  lastAddress,
  parseCidr,
  parseIPv4,
  prefixMask,
  tryParseCidr,
  tryParseIPv4,
} from '../../../../src/addons/cni/cidr';

describe('IPv4 addresses', () => {
  const good: [string, number][] = [
    ['0.0.0.0', 0],
    ['10.244.3.1', 0x0af40301],
    ['255.255.255.255', 0xffffffff],
    ['192.168.0.10', 0xc0a8000a],
  ];
  for (const [text, n] of good) {
    it(`parses ${text}`, () => {
      assert.equal(parseIPv4(text), n);
      assert.equal(formatIPv4(n), text);
    });
  }
  for (const bad of ['', '10.244.3', '10.244.3.1.5', '10.244.3.256', '10.244.03.1', '10.244.3.-1', ' 10.244.3.1', '10.244.3.1 ', 'a.b.c.d', '1e1.0.0.0']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.equal(tryParseIPv4(bad), undefined);
      assert.throws(() => parseIPv4(bad), { message: `invalid IP address: ${bad}` });
    });
  }
  it('says IPv4 only for an IPv6 address', () => assert.throws(() => parseIPv4('fd00::1'), /only IPv4 is supported/));
  it('round-trips every address', () => fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => parseIPv4(formatIPv4(n)) === n)));
});

describe('IPv4 CIDRs', () => {
  const cases: [string, string, number][] = [
    ['10.244.0.0/16', '10.244.0.0/16', 65536],
    ['10.244.3.0/24', '10.244.3.0/24', 256],
    ['10.244.3.7/24', '10.244.3.0/24', 256],
    ['0.0.0.0/0', '0.0.0.0/0', 2 ** 32],
    ['10.1.2.3/32', '10.1.2.3/32', 1],
    ['255.255.255.255/1', '128.0.0.0/1', 2 ** 31],
  ];
  for (const [text, canonical, size] of cases) {
    it(`${text} is ${canonical} (${size} addresses)`, () => {
      const c = parseCidr(text);
      assert.equal(formatCidr(c), canonical);
      assert.equal(cidrSize(c), size);
      assert.equal(lastAddress(c), c.base + size - 1);
    });
  }
  for (const bad of ['10.244.0.0', '10.244.0.0/33', '10.244.0.0/-1', '10.244.0.0/08', '10.244.0/16', '10.244.0.0/', '/16', '10.244.0.0/16/1']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.equal(tryParseCidr(bad), undefined);
      assert.throws(() => parseCidr(bad), { message: `invalid CIDR address: ${bad}` });
    });
  }
  it('says IPv4 only for an IPv6 CIDR', () => assert.throws(() => parseCidr('fd00::/64'), { message: 'only IPv4 is supported, not the IPv6 CIDR fd00::/64' }));

  it('masks', () => {
    assert.equal(prefixMask(0), 0);
    assert.equal(prefixMask(24), 0xffffff00);
    assert.equal(prefixMask(32), 0xffffffff);
  });

  it('contains exactly its addresses', () => {
    const c = parseCidr('10.244.3.0/24');
    assert.ok(cidrContains(c, parseIPv4('10.244.3.0')));
    assert.ok(cidrContains(c, parseIPv4('10.244.3.255')));
    assert.ok(!cidrContains(c, parseIPv4('10.244.4.0')));
    assert.ok(!cidrContains(c, parseIPv4('10.244.2.255')));
  });

  it('overlap: nested or equal blocks overlap, neighbours do not', () => {
    const p = (s: string) => parseCidr(s);
    assert.ok(cidrOverlaps(p('10.244.0.0/16'), p('10.244.7.0/24')));
    assert.ok(cidrOverlaps(p('10.244.7.0/24'), p('10.244.0.0/16')));
    assert.ok(cidrOverlaps(p('10.244.7.0/24'), p('10.244.7.0/24')));
    assert.ok(!cidrOverlaps(p('10.244.7.0/24'), p('10.244.8.0/24')));
    assert.ok(!cidrOverlaps(p('10.96.0.0/12'), p('10.244.0.0/16')));
  });

  it('property: the network address is the block start and every address of the block maps back to it', () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const c = parseCidr(`${formatIPv4(ip)}/${prefix}`);
        assert.ok(cidrContains(c, ip));
        assert.equal(c.base % cidrSize(c), 0);
        assert.equal((ip & prefixMask(prefix)) >>> 0, c.base);
      }),
    ));
});
