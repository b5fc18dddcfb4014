/** The --trace-gc reader keeps the main isolate's full collections and their sizes, whatever else is printed. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { mainHeapAfterMajorGcs, parseMajorGcs } from '../../helpers/reliability/gc-trace';

const SAMPLE = [
  '[29424:0x11e735c0]      551 ms: Mark-Compact 20.1 (33.9) -> 15.6 (51.6) MB, 4.17 / 0.02 ms  (+ 1.5 ms in 21 steps since start of marking) allocation failure',
  'API server: https://127.0.0.1:6443',
  '[29424:0x11e735c0]      600 ms: Scavenge 30.1 (40.0) -> 25.0 (41.0) MB, 1.1 / 0.0 ms  (average mu = 0.9) allocation failure;',
  '[29424:0x7f2bf0000f00]     8160 ms: Mark-Compact (reduce) 6.8 (11.0) -> 5.2 (8.0) MB, 3.41 / 0.01 ms  (+ 3.0 ms in 42 steps)',
  '[29424:0x11e735c0]    65189 ms: Mark-Compact 151.8 (185.1) -> 96.4 (184.9) MB, 8.79 / 0.02 ms  (+ 14.9 ms in 65 steps)',
].join('\n');

describe('gc-trace', () => {
  it('parses Mark-Compact lines (also "(reduce)") and skips scavenges and other output', () => {
    assert.deepEqual(parseMajorGcs(SAMPLE), [
      { isolate: '0x11e735c0', atMs: 551, beforeMb: 20.1, afterMb: 15.6 },
      { isolate: '0x7f2bf0000f00', atMs: 8160, beforeMb: 6.8, afterMb: 5.2 },
      { isolate: '0x11e735c0', atMs: 65189, beforeMb: 151.8, afterMb: 96.4 },
    ]);
  });

  it('keeps the isolate with the largest heap', () => {
    assert.deepEqual(mainHeapAfterMajorGcs(SAMPLE).map((g) => g.afterMb), [15.6, 96.4]);
  });

  it('reads what this Node prints', () => {
    const r = spawnSync(process.execPath, ['--trace-gc', '-e', 'globalThis.k = []; for (let i = 0; i < 40; i++) { k.push(new Array(1e5).fill(i)); } require("v8").setFlagsFromString("--expose-gc"); require("vm").runInNewContext("gc")();'], { encoding: 'utf8' });
    const gcs = parseMajorGcs(r.stdout);
    assert.ok(gcs.length >= 1, r.stdout.slice(0, 2000));
    assert.ok(gcs.at(-1)!.afterMb >= 25, `40 arrays of 100,000 small ints are ~30 MB live: ${JSON.stringify(gcs.at(-1))}`);
  });
});
