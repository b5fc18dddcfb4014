/** Conversions of the etcd backend: exact int64s, lease ids as strings, selectors as etcd byte ranges. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { int, leaseId, prefixEndBytes, toByteRange, toCompare } from '../../../../src/storage/etcd/convert';
import { StoreError } from '../../../../src/storage/store';

describe('etcd convert', () => {
  it('int64 strings become numbers only when exact', () => {
    assert.equal(int('9007199254740991'), 2 ** 53 - 1);
    assert.equal(int(undefined), 0);
    assert.throws(() => int('9007199254740993'), (e) => e instanceof StoreError && e.code === 'corrupt');
  });

  it('lease ids stay exact decimal strings', () => {
    const table: [string | number | undefined, string][] = [
      [undefined, '0'],
      ['0', '0'],
      ['0042', '42'],
      ['9223372036854775807', '9223372036854775807'],
      [7, '7'],
    ];
    for (const [input, want] of table) assert.equal(leaseId(input), want);
    for (const badId of ['-1', '1e3', 'abc', '9223372036854775808']) {
      assert.throws(() => leaseId(badId), (e) => e instanceof StoreError && e.code === 'invalid', badId);
    }
  });

  it('prefix end: last byte below 0xff incremented, trailing 0xff dropped, [0] when none', () => {
    assert.deepEqual(prefixEndBytes(Buffer.from('a/')), Buffer.from('a0'));
    assert.deepEqual(prefixEndBytes(Buffer.from([0x61, 0xff, 0xff])), Buffer.from([0x62]));
    assert.deepEqual(prefixEndBytes(Buffer.from([0xff])), Buffer.from([0]));
    assert.deepEqual(prefixEndBytes(Buffer.alloc(0)), Buffer.from([0]));
  });

  it('every key with the prefix sorts inside [prefix, end), others outside (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (prefix, other) => {
        const { key, range_end } = toByteRange({ key: prefix, prefix: true });
        const inside = (k: Buffer) => Buffer.compare(k, key) >= 0 && (range_end!.equals(Buffer.from([0])) || Buffer.compare(k, range_end!) < 0);
        const k = Buffer.from(prefix + other, 'utf8');
        assert.ok(inside(k) || (prefix === '' && k.length === 0));
        const o = Buffer.from(other, 'utf8');
        if (!o.subarray(0, Buffer.byteLength(prefix)).equals(Buffer.from(prefix)) && prefix !== '') assert.ok(!inside(o));
      }),
    );
  });

  it('selectors and compares as etcd messages', () => {
    assert.deepEqual(toByteRange({ key: 'k' }), { key: Buffer.from('k') });
    assert.deepEqual(toByteRange({ key: 'a', end: '\0' }), { key: Buffer.from('a'), range_end: Buffer.from([0]) });
    assert.deepEqual(toCompare({ key: 'k', target: 'modRevision', op: '<', value: 5 }), { key: Buffer.from('k'), result: 'Less', target: 'Mod', mod_revision: '5' });
    assert.deepEqual(toCompare({ key: 'k', end: 'l', target: 'lease', op: '!=', value: '9007199254740993' }), {
      key: Buffer.from('k'),
      range_end: Buffer.from('l'),
      result: 'NotEqual',
      target: 'Lease',
      lease: '9007199254740993',
    });
  });
});
