/**
 * The child process of the crash test: opens the store in <dataDir> and writes forever with 64 requests in flight —
 * puts of new keys, updates, deletes and small txns — until it is killed.
 *
 *   node --import tsx crash-writer.ts <dataDir> [round] [sentLog]
 *
 * Before sending a write it appends `sent <key> <valueHash|deleted>` to <sentLog> with a synchronous write(2) (so
 * the line survives SIGKILL); after the write resolves it prints one line per key to stdout:
 *   ack <kind> <key> <revision> <valueHash|deleted>
 * A key has at most one write in flight at a time, so each key's acks are in order. Every value embeds its key.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createLogger, stderrSink } from '../../src/base/logger';
import { openSqlJsStore } from '../../src/storage/sqljs';
import type { TxnOp } from '../../src/storage/store';

export const IN_FLIGHT = 64;
export const valueHash = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 16);

async function main(): Promise<void> {
  const [dataDir, roundArg = '0', sentPath] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: crash-writer.ts <dataDir> [round] [sentLog]');
  const round = Number(roundArg);
  const sentFd = sentPath ? fs.openSync(sentPath, 'a') : -1;
  const store = await openSqlJsStore({
    dataDir,
    logger: createLogger(stderrSink, 'warn'),
    compaction: { intervalMs: 0 },
    snapshotWalBytes: 256 * 1024,
  });

  const live = new RandomSet((await store.range({ key: 'k/', prefix: true }, { keysOnly: true })).kvs.map((kv) => kv.key));
  const busy = new Set<string>();
  let seq = 0;
  let out = '';
  let flushScheduled = false;
  const emit = (line: string) => {
    out += line + '\n';
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        const chunk = out;
        out = '';
        process.stdout.write(chunk);
      });
    }
  };
  const sent = (key: string, what: string) => {
    if (sentFd >= 0) fs.writeSync(sentFd, `sent ${key} ${what}\n`);
  };
  const makeValue = (key: string) => `${key}|r${round}|s${seq++}|${'p'.repeat(Math.floor(Math.random() * 600))}`;
  const pickLive = (): string | undefined => {
    // a few random probes, then give up (the caller writes a new key instead)
    for (let i = 0; i < 8; i++) {
      const k = live.random();
      if (k !== undefined && !busy.has(k)) return k;
    }
    return undefined;
  };
  const newKey = () => `k/${round}/${seq++}`;

  const one = async (): Promise<void> => {
    const r = Math.random();
    if (r < 0.2) {
      // a small txn: two or three puts (new or existing keys), maybe a delete
      const keys: string[] = [];
      for (let i = 0; i < 2 + Math.floor(Math.random() * 2); i++) {
        const k = Math.random() < 0.5 ? pickLive() : undefined;
        keys.push(k && !keys.includes(k) ? k : newKey());
      }
      const del = Math.random() < 0.4 ? pickLive() : undefined;
      const ops: TxnOp[] = keys.map((key) => ({ type: 'put', key, value: makeValue(key) }));
      if (del && !keys.includes(del)) ops.push({ type: 'delete', sel: { key: del } });
      const touched = ops.map((o) => (o.type === 'put' ? o.key : o.type === 'delete' ? o.sel.key : ''));
      for (const k of touched) busy.add(k);
      for (const o of ops) sent(o.type === 'put' ? o.key : o.type === 'delete' ? o.sel.key : '', o.type === 'put' ? valueHash(o.value) : 'deleted');
      try {
        const res = await store.txn({ compare: [], success: ops, failure: [] });
        const lines: string[] = [];
        ops.forEach((o, i) => {
          if (o.type === 'put') {
            live.add(o.key);
            lines.push(`ack txn ${o.key} ${res.revision} ${valueHash(o.value)}`);
          } else if (o.type === 'delete') {
            const d = res.results[i];
            live.delete(o.sel.key);
            lines.push(`ack txn ${o.sel.key} ${res.revision} ${d.type === 'delete' && d.deleted === 1 ? 'deleted' : 'nothing-deleted'}`);
          }
        });
        emit(lines.join('\n'));
      } finally {
        for (const k of touched) busy.delete(k);
      }
      return;
    }
    const existing = r < 0.75 ? pickLive() : undefined;
    if (existing && r >= 0.6) {
      busy.add(existing);
      sent(existing, 'deleted');
      try {
        const d = await store.delete({ key: existing });
        live.delete(existing);
        emit(`ack del ${existing} ${d.revision} ${d.deleted === 1 ? 'deleted' : 'nothing-deleted'}`);
      } finally {
        busy.delete(existing);
      }
      return;
    }
    const key = existing ?? newKey();
    const value = makeValue(key);
    busy.add(key);
    sent(key, valueHash(value));
    try {
      const p = await store.put(key, value);
      live.add(key);
      emit(`ack ${existing ? 'update' : 'put'} ${key} ${p.revision} ${valueHash(value)}`);
    } finally {
      busy.delete(key);
    }
  };

  const worker = async () => {
    for (;;) await one();
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** A set with O(1) add, delete and uniform random pick. */
class RandomSet {
  private readonly items: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(initial: string[]) {
    for (const x of initial) this.add(x);
  }

  add(x: string): void {
    if (this.index.has(x)) return;
    this.index.set(x, this.items.length);
    this.items.push(x);
  }

  delete(x: string): void {
    const i = this.index.get(x);
    if (i === undefined) return;
    const last = this.items.pop()!;
    this.index.delete(x);
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last, i);
    }
  }

  random(): string | undefined {
    return this.items.length ? this.items[Math.floor(Math.random() * this.items.length)] : undefined;
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`crash-writer: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  });
}
