import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { drainedOrClosed, writeJsonStreamed } from '../../../src/apiserver/https';

describe('drainedOrClosed (streamed lists waiting on backpressure)', () => {
  it('resolves on drain and leaves no listener behind, however many times it waits', async () => {
    const res = new EventEmitter();
    for (let i = 0; i < 50; i++) {
      const waited = drainedOrClosed(res as unknown as ServerResponse);
      assert.equal(res.listenerCount('close'), 1);
      res.emit('drain');
      await waited;
    }
    assert.equal(res.listenerCount('drain'), 0);
    assert.equal(res.listenerCount('close'), 0, 'a close listener per wait would pile up (MaxListenersExceededWarning after 10)');
  });

  it('resolves when the response closes before draining', async () => {
    const res = new EventEmitter();
    const waited = drainedOrClosed(res as unknown as ServerResponse);
    res.emit('close');
    await waited;
    assert.equal(res.listenerCount('drain') + res.listenerCount('close'), 0);
  });
});

/** Lists longer than the streaming threshold (256 items) are streamed. */
const STREAMED = 257;

/** A ServerResponse stand-in that records writes; `full` makes write() report backpressure until 'drain'. */
class FakeResponse extends EventEmitter {
  writes: string[] = [];
  ended = false;
  destroyed = false;
  full = false;
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return !this.full;
  }
  end(chunk?: string): void {
    if (chunk) this.writes.push(chunk);
    this.ended = true;
  }
}

describe('writeJsonStreamed (big lists and tables)', () => {
  const item = (i: number, pad = 900) => ({ kind: 'Pod', metadata: { name: `p${i}` }, data: 'x'.repeat(pad) });

  it('writes the exact JSON in chunks that stay below V8 large-object size (128 KiB), yielding as it goes', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => item(i));
    items[1500] = item(1500, 300_000); // one item bigger than a chunk goes out whole
    const body = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items };
    const res = new FakeResponse();
    await writeJsonStreamed(res as unknown as ServerResponse, 200, body, { field: 'items', list: items }, undefined);
    assert.ok(res.ended);
    assert.equal(res.writes.join(''), JSON.stringify(body));
    assert.ok(res.writes.length > 20, `${res.writes.length} writes`);
    const big = res.writes.filter((w) => w.length >= 128 * 1024);
    assert.equal(big.length, 1, 'only the chunk holding the oversized item is large');
    assert.ok(big[0].length < 300_000 + 64 * 1024);
  });

  it('waits for drain when the socket pushes back', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({ cells: [`p${i}`, 'x'.repeat(500)] }));
    const body = { kind: 'Table', rows };
    const res = new FakeResponse();
    res.full = true;
    const done = writeJsonStreamed(res as unknown as ServerResponse, 200, body, { field: 'rows', list: rows }, undefined);
    await new Promise((r) => setImmediate(r));
    const before = res.writes.length;
    assert.equal(before, 1, 'one chunk, then it waits');
    res.full = false;
    res.emit('drain');
    await done;
    assert.deepEqual(JSON.parse(res.writes.join('')), body);
  });

  it('writes exactly what JSON.stringify writes, whatever the items (frozen parts, undefined values, nesting)', async () => {
    const freezeSome = (v: unknown, seed: number): unknown => {
      if (v === null || typeof v !== 'object') return v;
      for (const x of Object.values(v)) freezeSome(x, seed + 1);
      return seed % 2 ? Object.freeze(v) : v;
    };
    const value = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.double(), fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined))));
    const row = fc.record({ cells: fc.array(value), object: fc.record({ kind: fc.string(), metadata: fc.dictionary(fc.string(), value) }) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(row, fc.dictionary(fc.string(), value)), { minLength: STREAMED, maxLength: STREAMED + 40 }), fc.nat(), async (items, seed) => {
        items.forEach((it, i) => freezeSome(it, seed + i));
        const body = { kind: 'Table', rows: items };
        const res = new FakeResponse();
        await writeJsonStreamed(res as unknown as ServerResponse, 200, body, { field: 'rows', list: items }, undefined);
        assert.equal(res.writes.join(''), JSON.stringify(body));
      }),
      { numRuns: 30 },
    );
  });
});
