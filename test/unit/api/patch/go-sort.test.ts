import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { goSliceStable } from '../../../../src/api/patch/go-sort';

describe("Go's sort.SliceStable", () => {
  it('sorts stably like Array.prototype.sort for a consistent order (short and block-merged lengths)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.integer({ min: 0, max: 9 }), id: fc.nat() }), { maxLength: 150 }), (items) => {
        const ours = [...items];
        goSliceStable(ours, (i, j) => ours[i]!.k < ours[j]!.k);
        assert.deepEqual(ours, [...items].sort((a, b) => a.k - b.k));
      }),
      { numRuns: 300 },
    );
  });

  it("reproduces Go's result for strategic patch's non-transitive comparator (unknown items bubble forward)", () => {
    // less(i, j) is true unless both are known and i comes later: Go's insertion sort moves unknowns to the front.
    const order = ['b', 'a'];
    const data = ['a', 'x', 'b'];
    goSliceStable(data, (i, j) => {
      const ii = order.indexOf(data[i]!);
      const ij = order.indexOf(data[j]!);
      return ii >= 0 && ij >= 0 ? ii < ij : true;
    });
    assert.deepEqual(data, ['b', 'x', 'a']);
  });
});
