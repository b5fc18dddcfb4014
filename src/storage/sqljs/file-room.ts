/**
 * Room in the in-memory database file. sql.js keeps the SQLite file in one buffer; writing past its end copies the
 * whole file into a bigger one (doubled, see sqljs-loader.ts), which blocks the event loop for tens to hundreds of
 * ms once the file holds 100 MB. FileRoom grows the file ahead of need while the store is idle: when live pages
 * fill more than three quarters of the buffer, it writes a throwaway blob just past the end (one doubling, paid now) and
 * deletes it, leaving free pages that later writes reuse without any copy. Nothing here is persisted: the file is
 * rebuilt from the snapshot and WAL on every open.
 */
import type { Database } from 'sql.js';

const CHUNK = 1024 * 1024;

export class FileRoom {
  constructor(
    private readonly db: Database,
    /** Bytes the buffer can hold before the next copy. */
    private capacity: number,
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
    while (fileBytes > this.capacity) this.capacity *= 2; // writes past the end doubled it meanwhile
    return { fileBytes, liveBytes: (pages - free) * page, capacity: this.capacity };
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
