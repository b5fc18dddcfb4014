import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError } from '../store';

export const SEGMENT_RE = /^wal-(\d{16})\.log$/;
export const SNAPSHOT_RE = /^snap-(\d{16})\.kls$/;
export const segmentName = (seq: number) => `wal-${String(seq).padStart(16, '0')}.log`;
export const snapshotName = (seq: number) => `snap-${String(seq).padStart(16, '0')}.kls`;

const writeSome = (fd: number, buf: Buffer, offset: number, position: number) =>
  new Promise<number>((resolve, reject) => fs.write(fd, buf, offset, buf.length - offset, position, (err, n) => (err ? reject(err) : resolve(n))));

/**
 * Write all of `buf` at `position`. A short write is continued: the next write(2) then fails with the real cause
 * (ENOSPC when the disk filled up, EFBIG past a file-size limit), which is what the error must name.
 */
async function write(fd: number, buf: Buffer, position: number, progress: { written: number }): Promise<void> {
  while (progress.written < buf.length) {
    const n = await writeSome(fd, buf, progress.written, position + progress.written);
    if (n === 0) throw new Error(`short write (${progress.written} of ${buf.length} bytes)`);
    progress.written += n;
  }
}
/** Added to a refused write's error when its record could not be removed from the log. */
export const OUTCOME_UNKNOWN = 'the record could not be removed from the log, so this write may still take effect at the next start';

const datasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/** fsync a directory so a created, renamed or removed entry in it is durable. */
export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The append side of the write-ahead log: positional writes to the current segment followed by fdatasync. The
 * caller keeps at most one append in flight (group commit). A failed append is cut off again, so the segment never
 * holds a half-written batch followed by later records.
 */
export class WalWriter {
  private fd: number;
  private broken: Error | undefined;
  /** Bytes written to all segments since the last snapshot. */
  bytesSinceSnapshot = 0;

  constructor(
    private readonly dir: string,
    public seq: number,
    private size: number,
  ) {
    const file = path.join(dir, segmentName(seq));
    const created = !fs.existsSync(file);
    this.fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o600);
    if (created) syncDir(dir);
    this.bytesSinceSnapshot = size;
  }

  get path(): string {
    return path.join(this.dir, segmentName(this.seq));
  }

  async append(buf: Buffer): Promise<void> {
    if (this.broken) this.repair();
    const at = this.size;
    const progress = { written: 0 };
    try {
      await write(this.fd, buf, at, progress);
      await datasync(this.fd);
    } catch (e) {
      // Nothing written (ENOSPC, EROFS on the first write): nothing to cut off. Otherwise cut back to `at`; if even
      // that fails the whole record may already be on disk (a failed fdatasync says nothing about the data), so the
      // refused write may come back at the next start: the client is told its outcome is unknown.
      const kept = progress.written > 0 && !this.cutBack(at, e as Error);
      throw new StoreError('io', `etcdserver: write-ahead log ${this.path}: ${(e as Error).message}${kept ? `; ${OUTCOME_UNKNOWN}` : ''}`);
    }
    this.size = at + buf.length;
    this.bytesSinceSnapshot += buf.length;
  }

  /**
   * Start a new segment (call only with no append in flight). Returns the new segment's seq. If the new segment
   * cannot be created (disk full, read-only), this throws and the writer keeps appending to the current one.
   */
  rotate(): number {
    if (this.broken) this.repair(); // never leave a half-written record behind in a segment that is not the last
    const next = path.join(this.dir, segmentName(this.seq + 1));
    const fd = fs.openSync(next, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o600);
    try {
      syncDir(this.dir);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(next, { force: true });
      throw e;
    }
    fs.closeSync(this.fd);
    this.fd = fd;
    this.seq += 1;
    this.size = 0;
    this.bytesSinceSnapshot = 0;
    return this.seq;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** Cut the segment back to `at`; false when that failed too (the segment is then repaired before the next write). */
  private cutBack(at: number, cause: Error): boolean {
    try {
      fs.ftruncateSync(this.fd, at);
      fs.fdatasyncSync(this.fd);
      this.broken = undefined;
      return true;
    } catch {
      this.broken = cause;
      return false;
    }
  }

  /** After a failed cut-back: try again before the next write; refuse writes while the segment may hold garbage. */
  private repair(): void {
    try {
      fs.ftruncateSync(this.fd, this.size);
      fs.fdatasyncSync(this.fd);
      this.broken = undefined;
    } catch (e) {
      throw new StoreError('io', `etcdserver: write-ahead log ${this.path} cannot be repaired: ${(e as Error).message}`);
    }
  }
}
