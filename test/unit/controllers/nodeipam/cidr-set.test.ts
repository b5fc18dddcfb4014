/**
 * NodeCidrSet (upstream cidrset): next-free allocation after the last one, wrapping; Occupy of blocks smaller and
 * larger than a node block; out-of-range and conflicting blocks refused; release by owner only.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cidrOverlaps, formatCidr, parseCidr } from '../../../../src/addons/cni/cidr';
import { NodeCidrSet } from '../../../../src/controllers/nodeipam/cidr-set';

const set = (cluster = '10.244.0.0/16', mask = 24) => new NodeCidrSet(parseCidr(cluster), mask);
const alloc = (s: NodeCidrSet, owner: string) => {
  const c = s.allocateNext(owner);
  return c && formatCidr(c);
};

describe('NodeCidrSet', () => {
  it('cuts 10.244.0.0/16 into 256 /24 blocks handed out in order', () => {
    const s = set();
    assert.equal(s.maxCidrs, 256);
    assert.deepEqual(['a', 'b', 'c'].map((n) => alloc(s, n)), ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    assert.equal(s.used(), 3);
  });

  it('upstream table: cluster CIDR and mask size → blocks', () => {
    const cases: [string, number, string[]][] = [
      ['127.123.234.0/30', 30, ['127.123.234.0/30']],
      ['127.123.234.0/28', 30, ['127.123.234.0/30', '127.123.234.4/30', '127.123.234.8/30', '127.123.234.12/30']],
      ['10.0.0.0/8', 16, ['10.0.0.0/16', '10.1.0.0/16']],
    ];
    for (const [cluster, mask, want] of cases) {
      const s = set(cluster, mask);
      assert.deepEqual(want.map((_, i) => alloc(s, `n${i}`)), want, `${cluster} /${mask}`);
    }
  });

  it('is exhausted when every block is used, and a release makes one available again', () => {
    const s = set('10.244.0.0/23');
    assert.equal(alloc(s, 'a'), '10.244.0.0/24');
    assert.equal(alloc(s, 'b'), '10.244.1.0/24');
    assert.equal(s.allocateNext('c'), undefined);
    assert.deepEqual(s.release('a').map(formatCidr), ['10.244.0.0/24']);
    assert.equal(alloc(s, 'c'), '10.244.0.0/24');
  });

  it('continues after the last allocation rather than reusing the lowest free block', () => {
    const s = set();
    alloc(s, 'a');
    alloc(s, 'b');
    s.release('a');
    assert.equal(alloc(s, 'c'), '10.244.2.0/24');
  });

  it('skips occupied blocks', () => {
    const s = set();
    assert.deepEqual(s.occupy(parseCidr('10.244.0.0/24'), 'x'), { ok: true });
    assert.deepEqual(s.occupy(parseCidr('10.244.1.0/24'), 'y'), { ok: true });
    assert.equal(alloc(s, 'z'), '10.244.2.0/24');
  });

  it('occupy of a larger block takes every node block it covers; a smaller one takes its whole block', () => {
    const s = set();
    s.occupy(parseCidr('10.244.4.0/22'), 'big');
    assert.deepEqual(s.blocksOf('big').map(formatCidr), ['10.244.4.0/24', '10.244.5.0/24', '10.244.6.0/24', '10.244.7.0/24']);
    s.occupy(parseCidr('10.244.9.128/25'), 'small');
    assert.deepEqual(s.blocksOf('small').map(formatCidr), ['10.244.9.0/24']);
    s.occupy(parseCidr('10.0.0.0/8'), 'all');
    assert.equal(s.used(), 5, 'refused: it covers blocks of others');
    const t = set('10.244.0.0/22');
    assert.deepEqual(t.occupy(parseCidr('10.0.0.0/8'), 'all'), { ok: true });
    assert.equal(t.used(), 4);
    assert.equal(t.allocateNext('late'), undefined);
  });

  it('refuses a block outside the cluster CIDR with upstream words', () => {
    const s = set();
    assert.deepEqual(s.occupy(parseCidr('192.168.1.0/24'), 'x'), { ok: false, reason: 'OutOfRange' });
    assert.equal(s.outOfRangeMessage(parseCidr('192.168.1.0/24')), 'cidr 192.168.1.0/24 is out the range of cluster cidr 10.244.0.0/16');
    assert.equal(s.used(), 0);
  });

  it("refuses a block another owner holds, and is idempotent for the owner's own", () => {
    const s = set();
    s.occupy(parseCidr('10.244.3.0/24'), 'a');
    assert.deepEqual(s.occupy(parseCidr('10.244.3.0/24'), 'a'), { ok: true });
    assert.deepEqual(s.occupy(parseCidr('10.244.3.0/24'), 'b'), { ok: false, reason: 'Conflict', owner: 'a' });
    assert.deepEqual(s.occupy(parseCidr('10.244.0.0/22'), 'c'), { ok: false, reason: 'Conflict', owner: 'a' });
    assert.deepEqual(s.release('b'), []);
    assert.equal(s.used(), 1);
    assert.equal(s.ownerOfAddress(0x0af40307), 'a');
  });

  it('refuses a node mask shorter than the cluster prefix (upstream message)', () => {
    assert.throws(() => set('10.244.0.0/16', 8), /mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size/);
    assert.throws(() => set('10.244.0.0/16', 33), /invalid node CIDR mask size 33/);
  });

  it('property: allocations never overlap, stay in the cluster CIDR, and release frees exactly the owner', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 24 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 150 }),
        (clusterPrefix, ops) => {
          const cluster = parseCidr(`10.244.0.0/${clusterPrefix}`);
          const s = new NodeCidrSet(cluster, 26);
          const model = new Map<string, string>();
          for (const [add, n] of ops) {
            const owner = `node-${n}`;
            if (add && !model.has(owner)) {
              const c = s.allocateNext(owner);
              if (c) model.set(owner, formatCidr(c));
              else assert.equal(model.size, s.maxCidrs);
            } else if (!add) {
              const freed = s.release(owner).map(formatCidr);
              assert.deepEqual(freed, model.has(owner) ? [model.get(owner)] : []);
              model.delete(owner);
            }
            const blocks = [...model.values()].map(parseCidr);
            for (const b of blocks) assert.ok(cidrOverlaps(cluster, b) && b.prefix === 26);
            assert.equal(new Set(model.values()).size, model.size);
            assert.equal(s.used(), model.size);
          }
        },
      ),
    ));
});
