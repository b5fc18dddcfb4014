/** Which writes touch /registry/: table cases and a brute-force property over the Store's own interval logic. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { status } from '@grpc/grpc-js';
import { inInterval, toInterval } from '../../../../src/storage/keys';
import type { KeySelector } from '../../../../src/storage/store';
import { GrpcError } from '../../../../src/storage/grpc/grpc-error';
import { guardRegistry, opWritesRegistry, REGISTRY_READ_ONLY_MESSAGE, touchesRegistry } from '../../../../src/storage/grpc/registry-guard';

describe('touchesRegistry', () => {
  const cases: [KeySelector, boolean][] = [
    [{ key: '/registry/pods/default/a' }, true],
    [{ key: '/registry' }, false],
    [{ key: '/registryx' }, false],
    [{ key: '/registry/', prefix: true }, true],
    [{ key: '/reg', prefix: true }, true],
    [{ key: '/', prefix: true }, true],
    [{ key: '', prefix: true }, true],
    [{ key: '/registry/pods/', prefix: true }, true],
    [{ key: '/registrz', prefix: true }, false],
    [{ key: 'a', end: 'b' }, false],
    [{ key: '/', end: '/registry/' }, false],
    [{ key: '/', end: '/registry/\0' }, true],
    [{ key: '/registry0', end: '\0' }, false],
    [{ key: '/registry/zz', end: '\0' }, true],
    [{ key: '\0', end: '\0' }, true],
  ];
  for (const [sel, want] of cases) it(`${JSON.stringify(sel)} → ${want}`, () => assert.equal(touchesRegistry(sel), want));

  it('property: true exactly when some /registry/ key lies in the selection (checked against sample keys)', () => {
    const seg = fc.string({ unit: 'grapheme', maxLength: 4 });
    const sel = fc.oneof(
      seg.map((k) => ({ key: k }) as KeySelector),
      seg.map((k) => ({ key: k, prefix: true }) as KeySelector),
      fc.tuple(seg, seg).map(([a, e]) => ({ key: a, end: e === '' ? '\0' : e }) as KeySelector),
    );
    fc.assert(
      fc.property(fc.oneof(sel, sel.map((s) => ({ ...s, key: `/registry/${s.key}` }))), fc.array(seg, { maxLength: 8 }), (s, tails) => {
        if (touchesRegistry(s)) return; // over-approximation is allowed (refusing is safe); only check the "no" side
        const iv = toInterval(s);
        for (const t of [...tails, '', s.key.slice('/registry/'.length)]) {
          assert.ok(!inInterval(`/registry/${t}`, iv), `${JSON.stringify(s)} holds /registry/${t}`);
        }
      }),
    );
  });
});

describe('guards', () => {
  it('txn ops: puts and deletes that write /registry/, never ranges', () => {
    assert.equal(opWritesRegistry({ type: 'put', key: '/registry/x', value: '' }), true);
    assert.equal(opWritesRegistry({ type: 'put', key: 'x', value: '' }), false);
    assert.equal(opWritesRegistry({ type: 'delete', sel: { key: '/registry/', prefix: true } }), true);
    assert.equal(opWritesRegistry({ type: 'range', sel: { key: '/registry/', prefix: true } }), false);
  });

  it('refuses with FAILED_PRECONDITION and the message unless allowed', () => {
    assert.throws(
      () => guardRegistry(false, true),
      (e: unknown) => e instanceof GrpcError && e.code === status.FAILED_PRECONDITION && e.message === REGISTRY_READ_ONLY_MESSAGE,
    );
    guardRegistry(true, true);
    guardRegistry(false, false);
  });
});
