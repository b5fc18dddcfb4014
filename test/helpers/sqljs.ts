/** Opening the sql.js store in a temporary directory, and looking at its files, for the storage tests. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { FakeClock } from '../../src/base/clock';
import { silentLogger } from '../../src/base/logger';
import { openSqlJsStore, type SqlJsStore, type SqlJsStoreOptions } from '../../src/storage/sqljs';
import { readRowsRecord, readWalRecord } from '../../src/storage/sqljs/raw-values';

export function tempDir(prefix = 'kubelab-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Open the store the way tests want it: fake clock, no automatic compaction, silent unless a logger is given. */
export function openTestStore(dataDir: string, options: Partial<SqlJsStoreOptions> = {}): Promise<SqlJsStore> {
  return openSqlJsStore({
    dataDir,
    clock: options.clock ?? new FakeClock(),
    logger: options.logger ?? silentLogger,
    ...options,
    compaction: { intervalMs: 0, ...options.compaction },
  });
}

/** Every entry of a directory: name -> sha256 of its bytes (or "dir"). */
export function dirState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.statSync(p);
    out[name] = st.isDirectory() ? 'dir' : `${st.size}:${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
  }
  return out;
}

export function assertDirUnchanged(dir: string, before: Record<string, string>, what: string): void {
  assert.deepEqual(dirState(dir), before, `${what} must change no file in the data directory`);
}

export const walFiles = (dir: string) => fs.readdirSync(dir).filter((n) => /^wal-\d{16}\.log$/.test(n)).sort();
export const snapFiles = (dir: string) => fs.readdirSync(dir).filter((n) => /^snap-\d{16}\.kls$/.test(n)).sort();

/** The lines (records) of a WAL or snapshot file with their byte offsets. */
export function recordLines(file: string): { offset: number; line: Buffer; body: unknown }[] {
  const buf = fs.readFileSync(file);
  const out: { offset: number; line: Buffer; body: unknown }[] = [];
  let offset = 0;
  while (offset < buf.length) {
    let nl = buf.indexOf(0x0a, offset);
    if (nl < 0) nl = buf.length;
    const line = buf.subarray(offset, nl);
    let body: unknown;
    try {
      // Decoded as the store reads it (raw records' values put back), without checking the checksum.
      const rec = { offset: 0, end: line.length + 1, ok: true };
      const whole = Buffer.concat([line, Buffer.from('\n')]);
      body = path.basename(file).startsWith('snap-') ? readRowsRecord(whole, rec) : readWalRecord(whole, rec);
    } catch {
      body = undefined;
    }
    out.push({ offset, line, body });
    offset = nl + 1;
  }
  return out;
}

/** Spawn a process that exits at once and return its (now dead) pid. */
export async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid!;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}
