/**
 * Issue 11, Load: the cluster started as the README does, 100 concurrent clients doing mixed CRUD (paced as
 * client-go's default rate limiter, QPS 5 / burst 10) plus 200 watchers: 30 s of warm-up, then 15 s measured (the
 * bench measures 60 s). Asserted: no error other than the expected 409s of stale read-modify-writes, every watcher
 * alive and fed, the fds back to their count before the clients once they close, and no leak: the live heap (JS
 * heap after a forced full GC, read through the cluster's inspector) at the end of the window is at most 1.1 × that
 * at its start. The warm-up lets what legitimately grows fill first: storage.compactionInterval 10s bounds the
 * store's history and apiServer.watchCacheSize 1000 each watch cache's (at the default 10,000 events the ConfigMaps'
 * cache was still filling through the window). RSS is reported, not judged here: over 15 s it depends on whether one
 * of V8's own full GCs falls in the window (0–30 MB of uncollected garbage), and failed a slow CI run on that; the
 * bench judges it over 60 s. The
 * mutating p99 ≤ 100 ms target is left to the bench on an idle machine: on a shared 2-core CI box the 500
 * requests/s alone keep the p99 in the hundreds of ms, so a bound here would either be loose enough to mean nothing
 * or fail on noise.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runLoad } from '../helpers/reliability/load';
import { memoryRule, TokenBucket } from '../helpers/reliability/load-kit';

test('100 clients and 200 watchers: no errors but 409s, watchers fed, no fd leak', { timeout: 150_000 }, async (t) => {
  const r = await runLoad({ clients: 100, watchers: 200, warmupMs: 30_000, durationMs: 15_000, compactionInterval: '10s', watchCacheSize: 1000, liveHeap: true });
  const live = r.live && [r.live.start.heapUsed, r.live.end.heapUsed].map((b) => Math.round(b / 1048576));
  const figures = { requests: r.requests, conflicts: r.conflicts, mutatingP99: r.mutatingP99, fds: [r.fdsBefore, r.fdsPeak, r.fdsAfter], liveHeapMiB: live, rss: r.memory };
  t.diagnostic(JSON.stringify(figures));
  assert.deepEqual(r.violations, [], JSON.stringify(figures));
  assert.ok(r.live, 'the live heap was read at both ends of the window');
  assert.equal(r.errors, 0);
  assert.ok(r.conflicts > 0, 'concurrent read-modify-writes of the shared ConfigMaps met 409s');
  // 100 clients at 5 requests/s for 45 s: at least half of the 22,500 the rate limiter allows were served.
  assert.ok(r.requests >= 11_250, `only ${r.requests} requests`);
  assert.equal(r.watchersWithEvents, 200);
  assert.ok(r.fdsPeak >= r.fdsBefore + 300, `the 300 connections were open at once (peak ${r.fdsPeak})`);
});

test('negative controls: the memory rule catches steady growth; the rate limiter paces at QPS after the burst', async () => {
  const flat = Array.from({ length: 60 }, (_, i) => 300e6 + (i % 5) * 4e6 + (i < 10 ? -50e6 : 0));
  assert.equal(memoryRule(flat).ok, true);
  const leak = Array.from({ length: 60 }, (_, i) => 300e6 + i * 2e6);
  assert.equal(memoryRule(leak).ok, false);
  const b = new TokenBucket(50, 5);
  const t0 = Date.now();
  for (let i = 0; i < 15; i++) await b.take();
  const ms = Date.now() - t0;
  // 5 immediately, 10 more at 50/s: about 200 ms.
  assert.ok(ms >= 180 && ms < 1000, `${ms} ms`);
});
