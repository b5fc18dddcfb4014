/**
 * range-codec.ts against etcd3's own decoding: any RangeResponse encoded with etcd's protos decodes to exactly the
 * KeyValues that etcd3's decoder followed by convert.ts's toKeyValue gives (numbers exact, lease ids above 2^53 as
 * exact strings, unicode keys and values, keys-only), and refuses what they refuse.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSync } from '@grpc/proto-loader';
import fc from 'fast-check';
import type { IRangeResponse } from 'etcd3';
import { toKeyValue } from '../../../../src/storage/etcd/convert';
import { decodeRangeResponse } from '../../../../src/storage/etcd/range-codec';
import { StoreError } from '../../../../src/storage/store';

const RANGE = (
  loadSync(path.join(__dirname, '../../../../node_modules/etcd3/proto/rpc.proto'), { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })[
    'etcdserverpb.KV'
  ] as unknown as Record<'Range', { responseSerialize(o: unknown): Buffer; responseDeserialize(b: Buffer): IRangeResponse }>
).Range;

const int64 = fc.oneof(fc.nat(1000), fc.bigInt(0n, 2n ** 53n - 1n).map(String), fc.constant('9007199254740991'));
const kvArb = fc.record({
  key: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  value: fc.string({ unit: 'grapheme', maxLength: 40 }),
  create_revision: int64,
  mod_revision: int64,
  version: int64,
  lease: fc.oneof(fc.constant('0'), fc.bigInt(1n, 2n ** 63n - 1n).map(String)),
});

describe('etcd RangeResponse decoding', () => {
  it('decodes as etcd3 + toKeyValue do, for any response', () => {
    fc.assert(
      fc.property(fc.array(kvArb, { maxLength: 8 }), fc.boolean(), int64, fc.boolean(), fc.boolean(), (kvs, more, revision, keysOnly, withHeaderExtras) => {
        const msg = {
          header: { revision: String(revision), ...(withHeaderExtras ? { cluster_id: '18446744073709551615', member_id: '12345', raft_term: '7' } : {}) },
          kvs: kvs.map((k) => ({ ...k, key: Buffer.from(k.key), value: Buffer.from(k.value) })),
          more,
          count: String(kvs.length + 3),
        };
        const buf = RANGE.responseSerialize(msg);
        const want = RANGE.responseDeserialize(buf);
        const got = decodeRangeResponse(buf, keysOnly);
        assert.deepEqual(got.kvs, (want.kvs ?? []).map((k) => toKeyValue(k, keysOnly)));
        assert.deepEqual([got.revision, got.more, got.count], [Number(want.header.revision), !!want.more, Number(want.count)]);
        assert.equal(got.bytes, kvs.reduce((n, k) => n + Buffer.byteLength(k.key) + Buffer.byteLength(k.value), 0));
        assert.deepEqual(got.lastKey, kvs.length ? Buffer.from(kvs[kvs.length - 1].key) : undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('an empty message is an empty answer; unknown fields are skipped', () => {
    assert.deepEqual(decodeRangeResponse(Buffer.alloc(0)), { revision: 0, kvs: [], more: false, count: 0, bytes: 0 });
    // field 15 as varint, 64-bit, length-delimited and 32-bit, then count = 5
    const unknown = Buffer.from([0x78, 0x96, 0x01, 0x79, 1, 2, 3, 4, 5, 6, 7, 8, 0x7a, 0x02, 0xaa, 0xbb, 0x7d, 1, 2, 3, 4, 0x20, 0x05]);
    assert.equal(decodeRangeResponse(unknown).count, 5);
  });

  it('refuses revisions that are not exact numbers, and truncated messages, as corrupt', () => {
    const cases: [string, Buffer, RegExp][] = [
      ['revision 2^53 + 1', RANGE.responseSerialize({ header: { revision: '9007199254740993' } }), /etcd returned 9007199254740993, which is not an exact integer here/],
      ['a negative count', RANGE.responseSerialize({ count: '-1' }), /etcd returned -1/],
      ['a truncated kv', RANGE.responseSerialize({ kvs: [{ key: Buffer.from('abc') }] }).subarray(0, 4), /runs past the message/],
      ['a dangling varint', Buffer.from([0x20, 0x80]), /runs past the message/],
    ];
    for (const [name, buf, message] of cases) {
      assert.throws(() => decodeRangeResponse(buf), (e) => e instanceof StoreError && e.code === 'corrupt' && message.test(e.message), name);
    }
  });
});
