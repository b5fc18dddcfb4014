/** WatchBudget: per-stream and total limits on queued watch bytes; the worst laggard is the one cut. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { WatchBudget } from '../../../src/apiserver/watch-budget';

const MiB = 1 << 20;
const stream = (mib: number) => ({ writableLength: mib * MiB });

test('a stream over its own limit is cut; streams that keep up never trigger a scan', () => {
  const b = new WatchBudget(16 * MiB, 64 * MiB, MiB, 10, () => 0);
  const big = stream(17);
  const ok = stream(0.5);
  b.add(big, () => assert.fail('not via cut'));
  b.add(ok, () => assert.fail('the fast one is never cut'));
  assert.equal(b.check(big), false);
  assert.equal(b.check(ok), true);
});

test('over the total, the stream with the most queued is cut, whichever stream wrote', () => {
  let clock = 0;
  const b = new WatchBudget(16 * MiB, 40 * MiB, MiB, 10, () => clock);
  const streams = [stream(15), stream(14), stream(13), stream(0.1)];
  const cut: number[] = [];
  streams.forEach((s, i) => b.add(s, () => cut.push(i)));
  // 42.1 MiB > 40: the 15 MiB one goes, although stream 1 wrote.
  assert.equal(b.check(streams[1]), true);
  assert.deepEqual(cut, [0]);
  assert.equal(b.size, 3);
  // Within scanMs no new scan; afterwards the sum (27.1 MiB) is under the total.
  streams[1].writableLength = 30 * MiB;
  assert.equal(b.check(streams[2]), true);
  clock = 11;
  streams[1].writableLength = 14 * MiB;
  streams[2].writableLength = 27 * MiB; // over its own limit: it is cut by its own check
  assert.equal(b.check(streams[2]), false);
  streams[2].writableLength = 15 * MiB;
  assert.equal(b.check(streams[2]), true);
  clock = 30;
  streams[1].writableLength = 16 * MiB;
  streams[2].writableLength = 16 * MiB;
  streams[3].writableLength = 9 * MiB;
  // 41 MiB > 40 and the writer ties for the worst: the first-registered of the worst is cut (stream 1, not the writer).
  assert.equal(b.check(streams[2]), true);
  assert.deepEqual(cut, [0, 1]);
});

test('removed streams no longer count', () => {
  const b = new WatchBudget(16 * MiB, 20 * MiB, MiB, 0, () => 0);
  const a = stream(15);
  const c = stream(10);
  const remove = b.add(a, () => assert.fail('removed'));
  b.add(c, () => undefined);
  remove();
  assert.equal(b.check(c), true);
});

test('property: after a scan that cuts, the remaining sum drops by the largest stream', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 16 * MiB }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 16 * MiB, max: 200 * MiB }), (lens, total) => {
      const b = new WatchBudget(16 * MiB, total, MiB, 0, () => 0);
      const streams = lens.map((l) => ({ writableLength: l }));
      const cut = new Set<number>();
      streams.forEach((s, i) => b.add(s, () => cut.add(i)));
      const writer = streams.findIndex((s) => s.writableLength >= MiB);
      if (writer < 0) return;
      const sum = lens.reduce((a, x) => a + x, 0);
      const max = Math.max(...lens);
      const ok = b.check(streams[writer]);
      if (sum <= total) {
        assert.equal(ok, true);
        assert.equal(cut.size, 0);
      } else {
        const worst = lens.indexOf(max);
        if (worst === writer) assert.equal(ok, false);
        else assert.deepEqual([...cut], [worst]);
      }
    }),
  );
});
