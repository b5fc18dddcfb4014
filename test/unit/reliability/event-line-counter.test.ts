/** The load generator's cheap watcher counts events, bookmarks and errors right however the stream is chunked. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EventLineCounter } from '../../helpers/reliability/line-watcher';

const line = (type: string, name: string) => `${JSON.stringify({ type, object: { kind: 'ConfigMap', metadata: { name } } })}\n`;

describe('EventLineCounter', () => {
  it('counts ADDED/MODIFIED/DELETED as events, BOOKMARK and ERROR apart, in one chunk', () => {
    const c = new EventLineCounter();
    c.push(line('ADDED', 'a') + line('BOOKMARK', '') + line('MODIFIED', 'a') + line('ERROR', '') + line('DELETED', 'a'));
    assert.deepEqual([c.events, c.bookmarks, c.errors], [3, 1, 1]);
  });

  it('gives the same counts for any split of the stream into chunks', () => {
    const types = fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR');
    fc.assert(
      fc.property(fc.array(fc.tuple(types, fc.string({ maxLength: 30 })), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 12 }), (evs, cuts) => {
        const text = evs.map(([t, n]) => line(t, n)).join('');
        const c = new EventLineCounter();
        let at = 0;
        for (const cut of [...cuts.map((x) => x % (text.length + 1))].sort((a, b) => a - b)) {
          c.push(text.slice(at, Math.max(at, cut)));
          at = Math.max(at, cut);
        }
        c.push(text.slice(at));
        const want = (t: string) => evs.filter(([x]) => x === t).length;
        assert.deepEqual([c.events, c.bookmarks, c.errors], [evs.length - want('BOOKMARK') - want('ERROR'), want('BOOKMARK'), want('ERROR')]);
      }),
      { numRuns: 300 },
    );
  });
});
