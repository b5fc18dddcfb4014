/** Bytes ↔ Store strings for the etcd gRPC endpoint: UTF-8 only, etcd's prefix ends, selectors, int64 fields. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { status } from '@grpc/grpc-js';
import { inInterval, toInterval } from '../../../../src/storage/keys';
import { bytePrefixEnd, decodeUtf8, int64Number, intervalOf, kvToMessage, leaseIdOf, selectorFromBytes } from '../../../../src/storage/grpc/codec';
import { GrpcError } from '../../../../src/storage/grpc/grpc-error';

const b = (s: string) => Buffer.from(s, 'utf8');
const hex = (h: string) => Buffer.from(h, 'hex');

describe('bytePrefixEnd (etcd clientv3 GetPrefixRangeEnd)', () => {
  const cases: [Buffer, Buffer][] = [
    [b('a'), b('b')],
    [b('/registry/'), b('/registry0')],
    [hex('61ff'), b('b')],
    [hex('ff'), hex('00')],
    [hex('ffff'), hex('00')],
    [hex('c3bf'), hex('c3c0')],
    [Buffer.alloc(0), hex('00')],
  ];
  for (const [key, end] of cases) {
    it(`${key.toString('hex') || '(empty)'} → ${end.toString('hex')}`, () => assert.deepEqual(bytePrefixEnd(key), end));
  }
});

describe('decodeUtf8', () => {
  it('decodes text, refuses invalid UTF-8 with INVALID_ARGUMENT naming the field', () => {
    assert.equal(decodeUtf8(b('é✓/x'), 'key'), 'é✓/x');
    assert.equal(decodeUtf8(undefined, 'key'), '');
    for (const bad of ['ff', 'c3', 'c3c0', 'eda080']) {
      assert.throws(
        () => decodeUtf8(hex(bad), 'value'),
        (e: unknown) => e instanceof GrpcError && e.code === status.INVALID_ARGUMENT && /value is not valid UTF-8.*binary keys and values are not supported/.test(e.message),
      );
    }
  });
});

describe('selectorFromBytes', () => {
  const cases: [string, Buffer, Buffer | undefined, ReturnType<typeof selectorFromBytes>][] = [
    ['one key', b('a'), undefined, { key: 'a' }],
    ['from key ("\\0")', b('a'), hex('00'), { key: 'a', end: '\0' }],
    ['everything', hex('00'), hex('00'), { key: '\0', end: '\0' }],
    ['prefix', b('/registry'), b('/registrz'), { key: '/registry', prefix: true }],
    ['interval', b('a'), b('c'), { key: 'a', end: 'c' }],
    ['prefix whose end is not UTF-8', hex('61c3bf'), hex('61c3c0'), { key: 'aÿ', prefix: true }],
  ];
  for (const [name, key, end, want] of cases) it(name, () => assert.deepEqual(selectorFromBytes(key, end), want));

  it('an end that is neither a prefix end nor UTF-8 is refused', () => {
    assert.throws(() => selectorFromBytes(b('a'), hex('62ff')), (e: unknown) => e instanceof GrpcError && e.code === status.INVALID_ARGUMENT);
  });

  it('property: a prefix request selects exactly the keys whose bytes start with the prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 20 }), (p, others) => {
        const sel = selectorFromBytes(b(p), bytePrefixEnd(b(p)));
        const iv = toInterval(sel);
        const ivCompare = toInterval(intervalOf(sel));
        for (const k of [...others, p, p + others.join('')]) {
          const want = b(k).subarray(0, b(p).length).equals(b(p));
          assert.equal(inInterval(k, iv), want, `${JSON.stringify(k)} under ${JSON.stringify(p)}`);
          assert.equal(inInterval(k, ivCompare), want, `(as interval) ${JSON.stringify(k)} under ${JSON.stringify(p)}`);
        }
      }),
    );
  });
});

describe('int64 fields and key-values', () => {
  it('revisions become numbers, lease ids stay exact decimal strings', () => {
    assert.equal(int64Number('42'), 42);
    assert.equal(int64Number(undefined), 0);
    assert.equal(leaseIdOf('7587862312345678901'), '7587862312345678901');
    assert.equal(leaseIdOf(undefined), '0');
    assert.throws(() => leaseIdOf('x1'), GrpcError);
    assert.throws(() => int64Number('nope'), GrpcError);
  });

  it('kvToMessage encodes UTF-8 and drops the value for keys_only', () => {
    const kv = { key: 'k✓', value: 'v', createRevision: 2, modRevision: 3, version: 2, lease: '0' };
    assert.deepEqual(kvToMessage(kv), { key: b('k✓'), value: b('v'), create_revision: 2, mod_revision: 3, version: 2, lease: '0' });
    assert.equal(kvToMessage(kv, true).value.length, 0);
  });
});
