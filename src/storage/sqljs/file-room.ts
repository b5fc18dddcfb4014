/**
 * Room in the in-memory database file. sql.js keeps the SQLite file in one buffer; the store's gets a large
 * reservation at its first growth (see sqljs-loader.ts), but a file that outgrows it is copied into a bigger one
 * (doubled), which blocks the event loop for hundreds of ms at that size. FileRoom grows the file ahead of need
 * while the store is idle: when live pages fill more than three quarters of the buffer, it writes a throwaway blob
 * just past the end (one doubling, paid now) and deletes it, leaving free pages that later writes reuse without any
 * copy. Nothing here is persisted: the file is rebuilt from the snapshot and WAL on every open.
 */
import type { Database } from 'sql.js';

const CHUNK = 1024 * 1024;

export class FileRoom {
  constructor(
    private readonly db: Database,
    /** Bytes the buffer can hold before the next copy (sqljs-loader's fileCapacity). */
    private readonly capacity: () => number,
  ) {}

  private pragma(name: string): number {
    const r = this.db.exec(`PRAGMA ${name}`);
    return Number(r[0]?.values[0]?.[0] ?? 0);
  }

  /** Bytes of the file and of its live (non-free) pages. */
  usage(): { fileBytes: number; liveBytes: number; capacity: number } {
    const page = this.pragma('page_size');
    const pages = this.pragma('page_count');
    const free = this.pragma('freelist_count');
    const fileBytes = pages * page;
    return { fileBytes, liveBytes: (pages - free) * page, capacity: Math.max(this.capacity(), fileBytes) };
  }

  /** Grows the buffer to twice its capacity when live pages fill more than 3/4 of it. Returns whether it did. */
  growIfLow(): boolean {
    const u = this.usage();
    if (u.liveBytes * 4 <= u.capacity * 3) return false;
    const target = u.capacity + 2 * CHUNK;
    this.db.exec('CREATE TABLE IF NOT EXISTS room (b BLOB)');
    const ins = this.db.prepare('INSERT INTO room VALUES (zeroblob(?))');
    try {
      // One statement per chunk, each committed, so the pages really reach the file before they are freed.
      while (this.pragma('page_count') * this.pragma('page_size') < target) ins.run([CHUNK]);
    } finally {
      ins.free();
      this.db.exec('DELETE FROM room');
    }
    this.usage();
    return true;
  }
}
