import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError } from '../store';

export const SEGMENT_RE = /^wal-(\d{16})\.log$/;
export const SNAPSHOT_RE = /^snap-(\d{16})\.kls$/;
export const segmentName = (seq: number) => `wal-${String(seq).padStart(16, '0')}.log`;
export const snapshotName = (seq: number) => `snap-${String(seq).padStart(16, '0')}.kls`;

const write = (fd: number, buf: Buffer, position: number) =>
  new Promise<void>((resolve, reject) =>
    fs.write(fd, buf, 0, buf.length, position, (err, n) =>
      err ? reject(err) : n !== buf.length ? reject(new Error(`short write (${n} of ${buf.length} bytes)`)) : resolve(),
    ),
  );
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
    try {
      await write(this.fd, buf, at);
      await datasync(this.fd);
    } catch (e) {
      this.cutBack(at, e as Error);
      throw new StoreError('io', `etcdserver: write-ahead log ${this.path}: ${(e as Error).message}`);
    }
    this.size = at + buf.length;
    this.bytesSinceSnapshot += buf.length;
  }

  /** Start a new segment (call only with no append in flight). Returns the new segment's seq. */
  rotate(): number {
    fs.closeSync(this.fd);
    this.seq += 1;
    this.size = 0;
    this.fd = fs.openSync(this.path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o600);
    syncDir(this.dir);
    this.bytesSinceSnapshot = 0;
    return this.seq;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private cutBack(at: number, cause: Error): void {
    try {
      fs.ftruncateSync(this.fd, at);
      fs.fdatasyncSync(this.fd);
      this.broken = undefined;
    } catch {
      this.broken = cause;
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
