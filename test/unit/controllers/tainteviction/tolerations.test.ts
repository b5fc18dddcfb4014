/** Taint/toleration matching and the eviction delay, as upstream ToleratesTaint, GetMatchingTolerations and
 * getMinTolerationTime. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchingTolerations, minTolerationMs, noExecuteTaints, sameList, toleratesTaint, type Taint, type Toleration } from '../../../../src/controllers/tainteviction/tolerations';

const taint: Taint = { key: 'foo', value: 'bar', effect: 'NoExecute' };

describe('toleratesTaint', () => {
  const cases: [string, Toleration, boolean][] = [
    ['same key, value and effect (Equal)', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoExecute' }, true],
    ['empty operator means Equal', { key: 'foo', value: 'bar', effect: 'NoExecute' }, true],
    ['Equal with another value', { key: 'foo', operator: 'Equal', value: 'baz', effect: 'NoExecute' }, false],
    ['Exists ignores the value', { key: 'foo', operator: 'Exists', effect: 'NoExecute' }, true],
    ['another effect', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, false],
    ['empty effect matches every effect', { key: 'foo', operator: 'Exists' }, true],
    ['another key', { key: 'bar', operator: 'Exists' }, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, true],
    ['empty key with Equal compares the value only', { value: 'bar' }, true],
    ['unknown operator', { key: 'foo', operator: 'Lt', value: 'bar' }, false],
  ];
  for (const [name, t, want] of cases) it(name, () => assert.equal(toleratesTaint(t, taint), want));
});

describe('matchingTolerations and minTolerationMs', () => {
  it('needs every taint tolerated and returns the first toleration for each', () => {
    const t2: Taint = { key: 'other', effect: 'NoExecute' };
    const a: Toleration = { key: 'foo', operator: 'Exists', tolerationSeconds: 30 };
    const b: Toleration = { operator: 'Exists', tolerationSeconds: 10 };
    assert.deepEqual(matchingTolerations([taint, t2], [a, b]), { all: true, used: [a, b] });
    assert.deepEqual(matchingTolerations([taint, t2], [a]), { all: false, used: [] });
    assert.deepEqual(matchingTolerations([], []), { all: true, used: [] });
    assert.deepEqual(matchingTolerations([taint], []), { all: false, used: [] });
  });

  it('is the smallest tolerationSeconds, 0 for none or a non-positive one, -1 for forever', () => {
    assert.equal(minTolerationMs([]), 0);
    assert.equal(minTolerationMs([{ tolerationSeconds: 30 }, { tolerationSeconds: 10 }, {}]), 10_000);
    assert.equal(minTolerationMs([{}, {}]), -1);
    assert.equal(minTolerationMs([{ tolerationSeconds: 30 }, { tolerationSeconds: 0 }]), 0);
    assert.equal(minTolerationMs([{ tolerationSeconds: -5 }]), 0);
  });

  it('never exceeds any positive tolerationSeconds used (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -10, max: 10_000 }), { nil: undefined }), { minLength: 1 }), (secs) => {
        const used = secs.map((s) => (s === undefined ? {} : { tolerationSeconds: s }));
        const m = minTolerationMs(used);
        const set = secs.filter((s): s is number => s !== undefined);
        if (set.length === 0) return m === -1;
        return m === Math.max(0, Math.min(...set)) * 1000;
      }),
    );
  });
});

describe('helpers', () => {
  it('keeps NoExecute taints only', () => {
    assert.deepEqual(noExecuteTaints([taint, { key: 'x', effect: 'NoSchedule' }, { key: 'y', effect: 'PreferNoSchedule' }]), [taint]);
  });
  it('compares lists semantically (empty and missing fields alike, order matters)', () => {
    assert.equal(sameList([{ key: 'a', value: '' }], [{ key: 'a' }]), true);
    assert.equal(sameList([{ key: 'a', effect: 'NoExecute' }], [{ effect: 'NoExecute', key: 'a' }]), true);
    assert.equal(sameList([{ key: 'a' }, { key: 'b' }], [{ key: 'b' }, { key: 'a' }]), false);
    assert.equal(sameList([{ key: 'a', timeAdded: 'x' }], [{ key: 'a', timeAdded: 'y' }]), false);
  });
});
