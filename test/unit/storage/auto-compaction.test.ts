import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { openTestStore, removeDir, tempDir } from '../../helpers/sqljs';
import { pool, waitFor } from '../../helpers/wait';

const MIN = 60_000;

/** The automatic compactor keeps at least 5 minutes and at least 1,000 revisions of history, on the injected clock. */
describe('automatic compaction', () => {
  it('compacts to the newest revision older than 5 minutes, never closer than 1,000 revisions to the head', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await openTestStore(dir, { clock, compaction: { intervalMs: MIN } });
    try {
      await pool(1500, 32, (i) => store.put(`k/${i % 40}`, `v${i}`));
      assert.equal(await store.revision(), 1501);
      clock.advance(MIN); // sample: t=1min, rev 1501
      await pool(1000, 32, (i) => store.put(`k/${i % 40}`, `w${i}`));
      clock.advance(4 * MIN); // samples at 2..5 min (rev 2501): none is 5 minutes old yet
      await new Promise((r) => setImmediate(r));
      assert.equal(await store.compactRevision(), 0, 'nothing is 5 minutes old yet');

      clock.advance(MIN); // t=6min: the t=1min sample (rev 1501) is 5 minutes old; 2501-1000 = 1501 allows it
      await waitFor(async () => (await store.compactRevision()) === 1501, 'compaction to 1501', { timeoutMs: 5_000 });
      await assert.rejects(store.range({ key: 'k/', prefix: true }, { revision: 1500 }), /required revision has been compacted/);
      assert.equal((await store.range({ key: 'k/', prefix: true }, { revision: 1501 })).count, 40, 'the compaction point itself is readable');
      await waitFor(() => store.stats().historyRows <= 40 + 1000, 'physical removal of unreachable rows', { timeoutMs: 5_000, describe: () => store.stats() });

      clock.advance(20 * MIN); // no writes: every sample is rev 2501, and 2501-1000 = 1501 is already compacted
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(await store.compactRevision(), 1501, 'at least 1,000 revisions of history are kept');
    } finally {
      await store.close();
      removeDir(dir);
    }
  });
});
