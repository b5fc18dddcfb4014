/** The keyed heap (upstream backend/heap): order, update in place, delete; checked against a sorted model. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Heap } from '../../../../src/scheduler/queue';

interface Item {
  key: string;
  v: number;
}

describe('Heap', () => {
  it('keeps one item per key and pops in order; ties FIFO (property)', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('add' as const), key: fc.integer({ min: 0, max: 15 }), v: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ t: fc.constant('del' as const), key: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ t: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), (ops) => {
        const h = new Heap<Item>((i) => i.key, (a, b) => a.v < b.v);
        let model: (Item & { seq: number })[] = [];
        let seq = 0;
        const head = () => [...model].sort((a, b) => a.v - b.v || a.seq - b.seq)[0];
        for (const o of ops) {
          if (o.t === 'add') {
            const key = String(o.key);
            const existing = model.find((m) => m.key === key);
            if (existing) existing.v = o.v;
            else model.push({ key, v: o.v, seq: ++seq });
            h.addOrUpdate({ key, v: o.v });
          } else if (o.t === 'del') {
            const key = String(o.key);
            const had = model.some((m) => m.key === key);
            model = model.filter((m) => m.key !== key);
            assert.equal(h.delete(key) !== undefined, had);
          } else {
            const want = head();
            const got = h.pop();
            assert.equal(got?.key, want?.key);
            if (want) model = model.filter((m) => m.key !== want.key);
          }
          assert.equal(h.size, model.length);
          assert.equal(h.peek()?.key, head()?.key);
        }
      }),
    );
  });

  it('get/has by key', () => {
    const h = new Heap<Item>((i) => i.key, (a, b) => a.v < b.v);
    h.addOrUpdate({ key: 'a', v: 2 });
    assert.equal(h.has('a'), true);
    assert.equal(h.get('a')?.v, 2);
    assert.equal(h.get('b'), undefined);
  });
});
