/**
 * Reading a client watch in tests: `openWatch` opens it through any Transport (asserting the server answered 200
 * with a stream), and `WatchReader` takes events one at a time with a real-time bound, or checks that the stream
 * ends. A read that times out keeps its pending iterator step, so no event is ever skipped. Stop every reader
 * (`stop`, idempotent) when the test is done.
 */
import * as assert from 'node:assert/strict';
import { isWatchStream, type RestRequest, type Transport, type WatchEvent, type WatchStream } from '../../src/client/transport';

const TIMEOUT = Symbol('timeout');

export class WatchReader {
  private readonly it: AsyncIterator<WatchEvent>;
  private pending?: Promise<IteratorResult<WatchEvent>>;
  /** Every event read so far, in order. */
  readonly seen: WatchEvent[] = [];

  constructor(private readonly stream: WatchStream) {
    this.it = stream.events[Symbol.asyncIterator]();
  }

  private async step(ms: number): Promise<IteratorResult<WatchEvent> | typeof TIMEOUT> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([this.pending, new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)))]);
    clearTimeout(timer);
    if (r !== TIMEOUT) this.pending = undefined;
    return r;
  }

  /** The next event; fails when none comes within `ms` or the stream ends. */
  async next(ms = 3000): Promise<WatchEvent> {
    const r = await this.step(ms);
    if (r === TIMEOUT) assert.fail(`no watch event within ${ms} ms (seen so far: ${JSON.stringify(this.seen.map((e) => e.type))})`);
    if (r.done) assert.fail(`the watch ended while an event was expected (seen: ${JSON.stringify(this.seen.map((e) => e.type))})`);
    this.seen.push(r.value);
    return r.value;
  }

  /** Asserts the stream ends within `ms` with no further event. */
  async ends(ms = 3000): Promise<void> {
    const r = await this.step(ms);
    if (r === TIMEOUT) assert.fail(`the watch did not end within ${ms} ms`);
    if (!r.done) assert.fail(`expected the watch to end, got ${JSON.stringify(r.value).slice(0, 500)}`);
  }

  /** Asserts no event arrives for `ms` (the stream stays open). */
  async quiet(ms: number): Promise<void> {
    const r = await this.step(ms);
    if (r === TIMEOUT) return;
    if (r.done) assert.fail('the watch ended unexpectedly');
    assert.fail(`unexpected watch event ${JSON.stringify(r.value).slice(0, 500)}`);
  }

  stop(): void {
    this.stream.stop();
  }
}

/** Opens a watch and asserts it is a 200 stream. */
export async function openWatch(t: Transport, path: string, query: RestRequest['query'] = {}, accept?: string): Promise<WatchReader> {
  const res = await t.watch({ method: 'GET', path, query, accept });
  if (!isWatchStream(res)) assert.fail(`expected a watch stream, got HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 800)}`);
  return new WatchReader(res);
}
