/**
 * Crash test: a child process (test/helpers/crash-writer.ts) writes with 64 requests in flight and prints each
 * acknowledgement; it is killed with SIGKILL at a random moment, several rounds on the same directory. Then the store
 * is reopened here and checked: every acknowledged write is in history with its revision and value, revisions are
 * contiguous, history rebuilds the current state (and sampled past states), and nothing appears that was never sent.
 *
 * CRASH_SEED=<n> reproduces the kill timings of a run (printed as a diagnostic).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { memoryLogger } from '../../../src/base/logger';
import type { KeySelector, KeyValue, WatchEvent } from '../../../src/storage/store';
import { valueHash } from '../../helpers/crash-writer';
import { openTestStore, removeDir, tempDir } from '../../helpers/sqljs';
import { clean, WatchRecorder } from '../../helpers/store-assert';

const WRITER = path.join(__dirname, '..', '..', 'helpers', 'crash-writer.ts');
const ROUNDS = 5;
const ALL: KeySelector = { key: '\0', end: '\0' };

interface Ack {
  line: string;
  kind: string;
  key: string;
  revision: number;
  hash: string;
}

/** mulberry32: a tiny seeded PRNG so a run's kill timings can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runRound(dir: string, round: number, sentLog: string, delayMs: number): Promise<{ acks: Ack[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(round), sentLog], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killTimer: NodeJS.Timeout | undefined;
  const firstAckDeadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (!killTimer && stdout.includes('\n')) {
      clearTimeout(firstAckDeadline);
      killTimer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(firstAckDeadline);
  clearTimeout(killTimer);
  assert.ok(killTimer, `round ${round}: the writer acknowledged nothing within 30 s (exit ${code}/${signal}); stderr:\n${stderr}`);
  assert.equal(signal, 'SIGKILL', `round ${round}: the writer ended by itself (exit code ${code}); stderr:\n${stderr}`);
  // Only lines received in full count: the kill may cut the last one.
  const lines = stdout.split('\n');
  lines.pop();
  const acks = lines.map((line): Ack => {
    const m = /^ack (put|update|del|txn) (\S+) (\d+) (\S+)$/.exec(line);
    assert.ok(m, `round ${round}: malformed ack line ${JSON.stringify(line)}`);
    return { line, kind: m[1], key: m[2], revision: Number(m[3]), hash: m[4] };
  });
  return { acks, stderr };
}

describe('crash safety (SIGKILL during writes)', () => {
  it(`every acknowledged write survives ${ROUNDS} kills; history is contiguous and agrees with the state`, { timeout: 180_000 }, async (t) => {
    const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Date.now() % 1_000_000;
    const random = prng(seed);
    t.diagnostic(`CRASH_SEED=${seed}`);
    const root = tempDir('kubelab-crash-');
    const dir = path.join(root, 'data');
    const sentLog = path.join(root, 'sent.log');
    const log = memoryLogger('warn');
    let store: Awaited<ReturnType<typeof openTestStore>> | undefined;
    try {
      const acks: Ack[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const delay = 150 + Math.floor(random() * 750);
        const r = await runRound(dir, round, sentLog, delay);
        t.diagnostic(`round ${round}: killed ${delay} ms after the first ack; ${r.acks.length} acks; ${fs.readdirSync(dir).join(' ')}`);
        acks.push(...r.acks);
      }
      assert.ok(acks.length > ROUNDS * 50, `too few acknowledgements to mean anything (${acks.length})`);

      store = await openTestStore(dir, { logger: log.logger, watchBufferEvents: 100_000_000 });
      const current = await store.revision();
      assert.equal(await store.compactRevision(), 0, 'the writer never compacts');
      t.diagnostic(`reopened at revision ${current} with ${acks.length} acks; warnings: ${log.records.map((r) => r.message).join(' | ') || 'none'}`);

      // --- history: replay every event from revision 1 ---
      const rec = new WatchRecorder();
      const w = store.watch(ALL, { startRevision: 1 }, rec);
      await rec.waitRevision(current, 60_000);
      w.cancel();
      rec.assertHealthy();
      const events = rec.events;
      const revs = [...new Set(events.map((e) => e.kv.modRevision))];
      assert.equal(revs[0], 2, 'history starts at revision 2');
      assert.equal(revs[revs.length - 1], current, 'history ends at the current revision');
      for (let i = 1; i < revs.length; i++) assert.equal(revs[i], revs[i - 1] + 1, `revision ${revs[i - 1] + 1} is missing from history`);

      // --- rebuild the state from history, checking each event's metadata ---
      const state = new Map<string, KeyValue>();
      const snapshots = new Map<number, KeyValue[]>();
      const sampleAt = new Set(Array.from({ length: 6 }, () => 2 + Math.floor(random() * (current - 1))));
      const byRevKey = new Map<string, WatchEvent>();
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        const rev = e.kv.modRevision;
        const prev = state.get(e.kv.key);
        assert.ok(!byRevKey.has(`${rev} ${e.kv.key}`), `two events for ${e.kv.key} at revision ${rev}`);
        byRevKey.set(`${rev} ${e.kv.key}`, e);
        if (e.type === 'put') {
          assert.equal(e.kv.version, prev ? prev.version + 1 : 1, `version of ${e.kv.key} at ${rev}`);
          assert.equal(e.kv.createRevision, prev ? prev.createRevision : rev, `createRevision of ${e.kv.key} at ${rev}`);
          state.set(e.kv.key, e.kv);
        } else {
          assert.ok(prev, `delete event at ${rev} for ${e.kv.key}, which did not exist`);
          state.delete(e.kv.key);
        }
        const next = events[i + 1];
        if (sampleAt.has(rev) && (!next || next.kv.modRevision !== rev)) snapshots.set(rev, sorted([...state.values()]));
      }
      const latest = await store.range(ALL);
      assertSameKvs(latest.kvs, sorted([...state.values()]), 'the current state vs the state rebuilt from history');
      for (const [rev, kvs] of snapshots) assertSameKvs((await store.range(ALL, { revision: rev })).kvs, kvs, `the state at revision ${rev} vs history`);

      // --- every acknowledged write is in history, with its revision and value ---
      for (const a of acks) {
        assert.notEqual(a.hash, 'nothing-deleted', `the writer's delete of a live key deleted nothing: ${a.line}`);
        assert.ok(a.revision <= current, `acknowledged revision ${a.revision} is above the recovered revision ${current}: ${a.line}`);
        const e = byRevKey.get(`${a.revision} ${a.key}`);
        assert.ok(e, `acknowledged write lost: ${a.line}`);
        if (a.hash === 'deleted') assert.equal(e.type, 'delete', a.line);
        else {
          assert.equal(e.type, 'put', a.line);
          assert.equal(valueHash(e.kv.value), a.hash, `value of ${a.line}`);
        }
      }
      // ...and is still the key's state unless a later write to the key (acknowledged, or sent and made durable
      // before the kill cut its acknowledgement) superseded it
      const lastEvent = new Map<string, number>();
      for (const e of events) lastEvent.set(e.kv.key, e.kv.modRevision);
      const lastAck = new Map<string, Ack>();
      for (const a of acks) if ((lastAck.get(a.key)?.revision ?? 0) < a.revision) lastAck.set(a.key, a);
      let superseded = 0;
      for (const a of lastAck.values()) {
        if (lastEvent.get(a.key)! > a.revision) {
          superseded++;
          continue;
        }
        const kv = state.get(a.key);
        if (a.hash === 'deleted') assert.equal(kv, undefined, `${a.key} was deleted at ${a.revision} (acknowledged) and never written again, but exists`);
        else {
          assert.ok(kv, `${a.key}, written at ${a.revision} (acknowledged) and never written again, is gone`);
          assert.equal(kv.modRevision, a.revision, `${a.key}'s modRevision`);
          assert.equal(valueHash(kv.value), a.hash, `${a.key}'s value`);
        }
      }
      t.diagnostic(`${lastAck.size} keys acknowledged; ${superseded} superseded by a later unacknowledged write`);

      // --- nothing appears that was never sent ---
      const sent = new Set(fs.readFileSync(sentLog, 'utf8').split('\n').filter((l) => l.startsWith('sent ')).map((l) => l.slice(5)));
      for (const e of events) {
        const what = e.type === 'put' ? valueHash(e.kv.value) : 'deleted';
        assert.ok(sent.has(`${e.kv.key} ${what}`), `history holds a write that was never sent: ${e.type} ${e.kv.key} at ${e.kv.modRevision}`);
        if (e.type === 'put') assert.ok(e.kv.value.startsWith(`${e.kv.key}|`), `value of ${e.kv.key} belongs to another key`);
      }
      const unacked = events.length - acks.length;
      t.diagnostic(`${events.length} events in history, ${acks.length} acknowledged, ${unacked} durable but unacknowledged (cut by the kill)`);
      assert.ok(unacked >= 0, 'more acknowledgements than events');
    } finally {
      await store?.close().catch(() => undefined);
      removeDir(root);
    }
  });
});

function sorted(kvs: KeyValue[]): KeyValue[] {
  return [...kvs].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

function assertSameKvs(got: KeyValue[], want: KeyValue[], what: string): void {
  const g = clean(got);
  const w = clean(want);
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (!isDeepStrictEqual(g[i], w[i])) {
      assert.fail(`${what}: first difference at #${i}:\n  got      ${JSON.stringify(g[i])}\n  expected ${JSON.stringify(w[i])}`);
    }
  }
}
