import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import type { KeyInterval } from '../keys';
import type { KeyValue } from '../store';
import { FileRoom } from './file-room';
import { DEFAULT_AHEAD_BYTES, PageToucher } from './page-toucher';
import { claimFile, databaseFile, fileCapacity, fileReservation, releaseFile } from './sqljs-loader';
import { INDEXES, LOG_COLUMNS, PRAGMAS, SCHEMA, type LogRow } from './schema';

/** What the store keeps in memory for every live key (values stay in SQLite). */
export interface KeyMeta {
  id: number;
  createRev: number;
  modRev: number;
  version: number;
  lease: string;
}

/** A change as it goes to the WAL: put [p, key, value, lease] or delete [d, key]. */
export type WalOp = ['p', string, string, string] | ['d', string];

/** One WAL record: a write at revision r, a lease grant/revoke, and/or a compaction point. */
export interface WalBody {
  r?: number;
  o?: WalOp[];
  lg?: [string, number];
  lr?: string;
  c?: number;
}

/** An applied change; prevKv is looked up only when a watcher asks for it. */
export interface AppliedEvent {
  type: 'put' | 'delete';
  kv: KeyValue;
  prevId: number;
}

const NO_LEASE = '0';

/** When a store's file gets a PageToucher (page-toucher.ts), and how far ahead of SQLite's writes it faults pages in. */
export interface PageTouchOptions {
  /** The file's used size from which a thread is worth it (small stores, e.g. most tests', never start one). */
  fromBytes: number;
  aheadBytes: number;
}

export const DEFAULT_PAGE_TOUCH: PageTouchOptions = { fromBytes: 4 * 1024 * 1024, aheadBytes: DEFAULT_AHEAD_BYTES };

/**
 * The durable state of the store in SQLite plus its in-memory indexes. It only ever holds acknowledged (fsynced)
 * writes: the commit pipeline applies a record here after the WAL holds it.
 */
export class MvccDb {
  rev = 1;
  compactRev = 0;
  readonly keys = new Map<string, KeyMeta>();
  readonly leases = new Map<string, number>();
  readonly leaseKeys = new Map<string, Set<string>>();
  private nextId = 1;
  private readonly stmts = new Map<string, Statement>();

  /** Growing the in-memory file ahead of need (see file-room.ts). */
  readonly room: FileRoom;

  private readonly file: string;
  private readonly pageSize: number;
  /** Faults in the file's pages ahead of SQLite's writes (page-toucher.ts), once the file has `touch.fromBytes`. */
  private toucher: PageToucher | undefined;

  private constructor(
    readonly db: Database,
    private readonly touch: PageTouchOptions | false,
  ) {
    db.exec(PRAGMAS);
    this.file = databaseFile(db);
    this.room = new FileRoom(db, () => fileCapacity(this.file) ?? 0);
    this.pageSize = this.first<[number]>('PRAGMA page_size', [])?.[0] ?? 4096;
  }

  /**
   * A new, empty database whose in-memory file gets a buffer of `reserve` bytes when it first grows (see
   * sqljs-loader.ts): room to grow into without copies, resident only as pages are written (or as a PageToucher
   * faults them in ahead of need; `touch: false` for none).
   */
  static create(SQL: SqlJsStatic, reserve: number, touch: PageTouchOptions | false = DEFAULT_PAGE_TOUCH): MvccDb {
    const empty = new SQL.Database();
    empty.exec(SCHEMA);
    const bytes = empty.export();
    empty.close();
    const db = new SQL.Database(bytes);
    claimFile(databaseFile(db), bytes.length, reserve);
    return new MvccDb(db, touch);
  }

  /** Pages the PageToucher has faulted in (0 while there is none). */
  touchedPages(): number {
    return this.toucher?.touchedPages() ?? 0;
  }

  /** Resolves once the PageToucher has faulted in the pages up to `bytes` past the file's used end (tests). */
  async waitTouchedAhead(bytes: number, timeoutMs?: number): Promise<boolean> {
    const used = this.usedBytes();
    return !!this.toucher && (await this.toucher.waitTouched(Math.ceil((used + bytes) / this.pageSize), timeoutMs));
  }

  private usedBytes(): number {
    return (this.first<[number]>('PRAGMA page_count', [])?.[0] ?? 0) * this.pageSize;
  }

  /** After a commit: tells the PageToucher the file's new size (starting it once the file is large enough). */
  private touchAhead(): void {
    if (!this.touch) return;
    const shared = fileReservation(this.file);
    if (!shared || shared !== this.toucher?.buffer) {
      // Not started yet, or the file outgrew its reservation (its new buffer is not shared).
      if (this.toucher) void this.toucher.stop();
      this.toucher = undefined;
      if (!shared) return;
    }
    const used = this.usedBytes();
    if (!this.toucher) {
      if (used < this.touch.fromBytes) return;
      this.toucher = new PageToucher(shared, this.touch.aheadBytes);
    }
    this.toucher.advance(used);
  }

  /** Create the log indexes (deferred during recovery's bulk load). */
  buildIndexes(): void {
    this.db.exec(INDEXES);
  }

  /** Apply one record. Throws if its revision does not follow the current one. */
  apply(body: WalBody, out?: AppliedEvent[]): void {
    if (body.lg) this.grantLease(body.lg[0], body.lg[1]);
    if (body.o && body.o.length) {
      if (body.r !== this.rev + 1) throw new Error(`record revision ${body.r} does not follow ${this.rev}`);
      const r = body.r;
      for (const op of body.o) {
        const ev = op[0] === 'p' ? this.applyPut(r, op[1], op[2], op[3]) : this.applyDelete(r, op[1]);
        if (ev && out) out.push(ev);
      }
      this.rev = r;
    }
    if (body.lr !== undefined) {
      this.leases.delete(body.lr);
      this.leaseKeys.delete(body.lr);
    }
    if (body.c !== undefined && body.c > this.compactRev) this.compactRev = body.c;
  }

  private grantLease(id: string, ttl: number): void {
    this.leases.set(id, ttl);
    if (!this.leaseKeys.has(id)) this.leaseKeys.set(id, new Set());
  }

  private applyPut(r: number, key: string, value: string, lease: string): AppliedEvent {
    const prev = this.keys.get(key);
    const id = this.nextId++;
    const meta: KeyMeta = {
      id,
      createRev: prev ? prev.createRev : r,
      modRev: r,
      version: prev ? prev.version + 1 : 1,
      lease,
    };
    this.run('INSERT INTO log VALUES (?,?,?,?,?,?,?,?,?)', [id, r, key, 0, meta.createRev, meta.version, lease, prev ? prev.modRev : 0, utf8(value)]);
    this.run('INSERT OR REPLACE INTO cur VALUES (?,?)', [key, id]);
    if (prev && prev.lease !== NO_LEASE) this.leaseKeys.get(prev.lease)?.delete(key);
    if (lease !== NO_LEASE) this.leaseKeys.get(lease)?.add(key);
    this.keys.set(key, meta);
    return { type: 'put', kv: { key, value, createRevision: meta.createRev, modRevision: r, version: meta.version, lease }, prevId: prev ? prev.id : 0 };
  }

  private applyDelete(r: number, key: string): AppliedEvent | undefined {
    const prev = this.keys.get(key);
    if (!prev) return undefined;
    const id = this.nextId++;
    this.run('INSERT INTO log VALUES (?,?,?,?,?,?,?,?,?)', [id, r, key, 1, 0, 0, NO_LEASE, prev.modRev, EMPTY]);
    this.run('DELETE FROM cur WHERE key = ?', [key]);
    if (prev.lease !== NO_LEASE) this.leaseKeys.get(prev.lease)?.delete(key);
    this.keys.delete(key);
    return { type: 'delete', kv: { key, value: '', createRevision: 0, modRevision: r, version: 0, lease: NO_LEASE }, prevId: prev.id };
  }

  /** Run fn inside one SQLite transaction. */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      this.touchAhead();
      return result;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  rowById(id: number): KeyValue | undefined {
    const row = this.logRow(`SELECT ${LOG_COLUMNS} FROM log WHERE id = ?`, [id]);
    return row && row[3] === 0 ? toKv(row, false) : undefined;
  }

  valueOf(id: number): string {
    const row = this.first<[Uint8Array | string]>('SELECT CAST(value AS TEXT) FROM log WHERE id = ?', [id]);
    return row ? text(row[0]) : '';
  }

  /** Latest state of the keys in the interval, sorted by key. */
  rangeLatest(iv: KeyInterval, limit: number, keysOnly: boolean, countOnly: boolean): { kvs: KeyValue[]; count: number; more: boolean } {
    if (iv.single) {
      const meta = this.keys.get(iv.from);
      if (!meta) return { kvs: [], count: 0, more: false };
      if (countOnly) return { kvs: [], count: 1, more: false };
      return { kvs: [metaToKv(iv.from, meta, keysOnly ? '' : this.valueOf(meta.id))], count: 1, more: false };
    }
    const where = iv.to === undefined ? 'c.key >= ?' : 'c.key >= ? AND c.key < ?';
    const params: SqlValue[] = iv.to === undefined ? [iv.from] : [iv.from, iv.to];
    const countRows = () => this.first<[number]>(`SELECT count(*) FROM cur c WHERE ${where}`, params)![0];
    if (countOnly) return { kvs: [], count: countRows(), more: false };
    const value = keysOnly ? "''" : 'CAST(l.value AS TEXT)';
    const sql = `SELECT l.id, l.rev, l.key, l.tomb, l.create_rev, l.version, l.lease, l.prev_rev, ${value} FROM cur c JOIN log l ON l.id = c.id WHERE ${where} ORDER BY c.key${limit > 0 ? ' LIMIT ?' : ''}`;
    const rows = this.logRows(sql, limit > 0 ? [...params, limit + 1] : params);
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { kvs: rows.map((r) => toKv(r, keysOnly)), count: more ? countRows() : rows.length, more };
  }

  /** State of the keys in the interval as of revision rev (rev >= compactRev), sorted by key. */
  rangeAt(rev: number, iv: KeyInterval, limit: number, keysOnly: boolean, countOnly: boolean): { kvs: KeyValue[]; count: number; more: boolean } {
    const where = iv.single ? 'l.key = ?' : iv.to === undefined ? 'l.key >= ?' : 'l.key >= ? AND l.key < ?';
    const params: SqlValue[] = iv.single || iv.to === undefined ? [iv.from] : [iv.from, iv.to];
    const sql = `SELECT ${LOG_COLUMNS} FROM log l WHERE ${where} AND l.rev <= ? AND l.rev = (SELECT max(m.rev) FROM log m WHERE m.key = l.key AND m.rev <= ?) AND l.tomb = 0 ORDER BY l.key`;
    const rows = this.logRows(sql, [...params, rev, rev]);
    const count = rows.length;
    if (countOnly) return { kvs: [], count, more: false };
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { kvs: rows.map((r) => toKv(r, keysOnly)), count, more };
  }

  /** The first log id whose revision is >= rev (for watch replay); 0 when none. */
  firstIdAtOrAfter(rev: number): number {
    const row = this.first<[number | null]>('SELECT min(id) FROM log WHERE rev >= ?', [rev]);
    return row && row[0] !== null ? row[0] : 0;
  }

  /** Log rows with id in [fromId, ...), at most limit, in apply order. */
  historyFrom(fromId: number, limit: number): LogRow[] {
    return this.logRows(`SELECT ${LOG_COLUMNS} FROM log WHERE id >= ? ORDER BY id LIMIT ?`, [fromId, limit]);
  }

  /** The row of key at exactly revision rev (for prevKv in replayed watch events). */
  rowAt(key: string, rev: number): KeyValue | undefined {
    const row = this.logRow(`SELECT ${LOG_COLUMNS} FROM log WHERE key = ? AND rev = ?`, [key, rev]);
    return row && row[3] === 0 ? toKv(row, false) : undefined;
  }

  lastId(): number {
    return this.nextId - 1;
  }

  historyRows(): number {
    return this.first<[number]>('SELECT count(*) FROM log', [])![0];
  }

  /**
   * Physically drop history made unreachable by compaction at `compactRev`, for log ids in [fromId, toId).
   * A row goes when a newer row of the same key exists at or below compactRev, or when it is a tombstone below it.
   */
  compactRange(compactRev: number, fromId: number, toId: number): number {
    this.run(
      `DELETE FROM log WHERE id >= ? AND id < ? AND rev < ? AND (tomb = 1 OR EXISTS (SELECT 1 FROM log n WHERE n.key = log.key AND n.rev > log.rev AND n.rev <= ?))`,
      [fromId, toId, compactRev, compactRev],
    );
    return this.db.getRowsModified();
  }

  /** The smallest log id (0 when empty). */
  firstId(): number {
    const row = this.first<[number | null]>('SELECT min(id) FROM log', []);
    return row && row[0] !== null ? row[0] : 0;
  }

  // ---- snapshot support ------------------------------------------------------------------------------------------

  /** Rows with id in (afterId, maxId], at most limit, for writing a snapshot in slices. */
  snapshotRows(afterId: number, maxId: number, limit: number): LogRow[] {
    return this.logRows(`SELECT ${LOG_COLUMNS} FROM log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, [afterId, maxId, limit]);
  }

  /** Load rows (in id order) from a snapshot; call finishLoad() after the last. */
  loadRows(rows: LogRow[]): void {
    for (const row of rows) {
      this.run('INSERT INTO log VALUES (?,?,?,?,?,?,?,?,?)', [row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], utf8(row[8])]);
      const [id, rev, key, tomb, createRev, version, lease] = row;
      if (tomb) this.keys.delete(key);
      else this.keys.set(key, { id, createRev, modRev: rev, version, lease });
      if (id >= this.nextId) this.nextId = id + 1;
    }
  }

  finishLoad(): void {
    for (const [key, meta] of this.keys) {
      this.run('INSERT INTO cur VALUES (?,?)', [key, meta.id]);
      if (meta.lease !== NO_LEASE) this.leaseKeys.get(meta.lease)?.add(key);
    }
  }

  setLeases(leases: [string, number][]): void {
    for (const [id, ttl] of leases) this.grantLease(id, ttl);
  }

  close(): void {
    for (const s of this.stmts.values()) s.free();
    this.stmts.clear();
    this.db.close();
    releaseFile(this.file);
    if (this.toucher) void this.toucher.stop();
    this.toucher = undefined;
  }

  // ---- statement cache -----------------------------------------------------------------------------------------

  private stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private run(sql: string, params: SqlValue[]): void {
    const s = this.stmt(sql);
    s.bind(params);
    s.step();
    s.reset();
  }

  private first<T>(sql: string, params: SqlValue[]): T | undefined {
    const s = this.stmt(sql);
    s.bind(params);
    const row = s.step() ? (s.get() as unknown as T) : undefined;
    s.reset();
    return row;
  }

  private all<T>(sql: string, params: SqlValue[]): T[] {
    const s = this.stmt(sql);
    s.bind(params);
    const rows: T[] = [];
    while (s.step()) rows.push(s.get() as unknown as T);
    s.reset();
    return rows;
  }

  /** Log rows with their value decoded from its UTF-8 BLOB. */
  private logRows(sql: string, params: SqlValue[]): LogRow[] {
    const rows = this.all<LogRow>(sql, params);
    for (const r of rows) r[8] = text(r[8] as unknown as Uint8Array | string);
    return rows;
  }

  private logRow(sql: string, params: SqlValue[]): LogRow | undefined {
    const r = this.first<LogRow>(sql, params);
    if (r) r[8] = text(r[8] as unknown as Uint8Array | string);
    return r;
  }
}

export function toKv(row: LogRow, keysOnly: boolean): KeyValue {
  return { key: row[2], value: keysOnly ? '' : row[8], createRevision: row[4], modRevision: row[1], version: row[5], lease: row[6] };
}

export function metaToKv(key: string, meta: KeyMeta, value: string): KeyValue {
  return { key, value, createRevision: meta.createRev, modRevision: meta.modRev, version: meta.version, lease: meta.lease };
}

const EMPTY = new Uint8Array(0);

function utf8(value: string): Uint8Array {
  return value.length ? Buffer.from(value, 'utf8') : EMPTY;
}

function text(v: Uint8Array | string | null): string {
  if (typeof v === 'string') return v;
  if (!v || !v.length) return '';
  return Buffer.from(v.buffer, v.byteOffset, v.length).toString('utf8');
}
