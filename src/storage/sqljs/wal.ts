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

/** Zero-filled room the writer keeps ahead of the log's end; it adds this much when less than half is left. */
export const WAL_ROOM_BYTES = 256 * 1024;
const ZEROS = Buffer.alloc(WAL_ROOM_BYTES + 4096);

/**
 * The append side of the write-ahead log: positional writes to the current segment followed by fdatasync. The
 * caller keeps at most one append in flight (group commit). A failed append is cut off again, so the segment never
 * holds a half-written batch followed by later records.
 *
 * Records go into room filled with zeros by an earlier append (as etcd preallocates its segments), so their
 * fdatasync writes data blocks only: no file-size or block-allocation change has to reach the file system's journal.
 * That matters when the file system fails under us: an ext4 error that aborts its journal can discard the last
 * journal transaction even though fdatasync already reported it written, and with it an append that grew the file
 * (seen with ext4's errors=remount-ro: the last acknowledged record gone after the restart). Recovery reads the
 * zeros after the last record as the log's end (record.ts).
 */
export class WalWriter {
  private fd: number;
  private broken: Error | undefined;
  /** The file's size: the log (`size` bytes) followed by zero-filled room. */
  private allocated: number;
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
    this.allocated = Math.max(size, fs.fstatSync(this.fd).size);
    if (this.allocated - size < WAL_ROOM_BYTES / 2) this.allocated = makeRoom(this.fd, this.allocated, size);
    if (created) syncDir(dir);
    this.bytesSinceSnapshot = size;
  }

  get path(): string {
    return path.join(this.dir, segmentName(this.seq));
  }

  async append(buf: Buffer): Promise<void> {
    if (this.broken) this.repair();
    const at = this.size;
    const end = at + buf.length;
    const progress = { written: 0 };
    try {
      await write(this.fd, buf, at, progress);
      this.allocated = Math.max(this.allocated, end);
      if (this.allocated - end < WAL_ROOM_BYTES / 2) await this.addRoom(end);
      await datasync(this.fd);
    } catch (e) {
      // Nothing written (ENOSPC, EROFS on the first write): nothing to cut off. Otherwise cut back to `at`; if even
      // that fails the whole record may already be on disk (a failed fdatasync says nothing about the data), so the
      // refused write may come back at the next start: the client is told its outcome is unknown.
      const kept = progress.written > 0 && !this.cutBack(at, e as Error);
      throw new StoreError('io', `etcdserver: write-ahead log ${this.path}: ${(e as Error).message}${kept ? `; ${OUTCOME_UNKNOWN}` : ''}`);
    }
    this.size = end;
    this.bytesSinceSnapshot += buf.length;
  }

  /**
   * Fill room after `end` with zeros (made durable by the append's fdatasync). Where there is no room to take (disk
   * full, file-size limit), records are written into what is left, then appended as plain writes, as before.
   */
  private async addRoom(end: number): Promise<void> {
    const from = this.allocated;
    const to = roomEnd(end);
    const progress = { written: 0 };
    try {
      await write(this.fd, ZEROS.subarray(0, to - from), from, progress);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOSPC' && code !== 'EFBIG' && code !== 'EDQUOT') throw e;
    }
    this.allocated = from + progress.written;
  }

  /**
   * Start a new segment (call only with no append in flight). Returns the new segment's seq. If the new segment
   * cannot be created (disk full, read-only), this throws and the writer keeps appending to the current one.
   */
  rotate(): number {
    if (this.broken) this.repair(); // never leave a half-written record behind in a segment that is not the last
    const next = path.join(this.dir, segmentName(this.seq + 1));
    const fd = fs.openSync(next, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o600);
    let allocated: number;
    try {
      allocated = makeRoom(fd, 0, 0);
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
    this.allocated = allocated;
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
      this.allocated = at;
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
      this.allocated = this.size;
    } catch (e) {
      throw new StoreError('io', `etcdserver: write-ahead log ${this.path} cannot be repaired: ${(e as Error).message}`);
    }
  }
}

/** Where room made after `end` ends: WAL_ROOM_BYTES further, rounded up to a 4 KiB page. */
const roomEnd = (end: number) => Math.ceil((end + WAL_ROOM_BYTES) / 4096) * 4096;

/**
 * Room for a segment about to be used, made durable before the first record goes in (synchronous: at open and
 * rotation only). Returns the file's new size; without room to take (disk nearly full) the file stays as it was.
 */
function makeRoom(fd: number, from: number, end: number): number {
  const to = roomEnd(end);
  try {
    for (let at = from; at < to; ) {
      const n = fs.writeSync(fd, ZEROS, 0, to - at, at);
      if (n === 0) throw new Error('short write');
      at += n;
    }
    fs.fdatasyncSync(fd);
    return to;
  } catch {
    try {
      fs.ftruncateSync(fd, from);
    } catch {
      // zeros past `from` read as the end of the log: harmless where they stay
    }
    return from;
  }
}
