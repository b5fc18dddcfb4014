/**
 * Stored values written raw (encodeRawRecord) in WAL records and snapshot slices: a put's value, a row's value, is
 * replaced in the record's JSON by its index among the record's raw strings and put back when read. A value that
 * cannot go raw (a lone surrogate) stays in the JSON as before, and records of either kind read alike.
 */
import type { WalBody, WalOp } from './mvcc-db';
import { encodeRawRecord, encodeRecord, rawable, readRecord, type ScannedRecord } from './record';
import type { LogRow } from './schema';

/** A put with its value replaced by the index of its raw string. */
type RawPut = ['p', string, number, string];

export function encodeWalRecord(body: WalBody): Buffer {
  if (!body.o?.length) return encodeRecord(body);
  const raw: string[] = [];
  const o = body.o.map((op): WalOp | RawPut => (op[0] === 'p' && rawable(op[2]) ? ['p', op[1], raw.push(op[2]) - 1, op[3]] : op));
  return raw.length ? encodeRawRecord({ ...body, o }, raw) : encodeRecord(body);
}

/** The WAL record's body with its values back in place (not yet checked further: see recovery's checkBody). */
export function readWalRecord(buf: Buffer, rec: ScannedRecord): unknown {
  return readRestored(buf, rec, 'o', 2);
}

/** A snapshot slice of rows (the rows are the caller's: their values are replaced while encoding, then restored). */
export function encodeRowsRecord(rows: LogRow[]): Buffer {
  const raw: string[] = [];
  const moved: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown[];
    if (!rawable(row[8] as string)) continue;
    row[8] = raw.push(row[8] as string) - 1;
    moved.push(i);
  }
  try {
    return raw.length ? encodeRawRecord({ rows }, raw) : encodeRecord({ rows });
  } finally {
    for (const i of moved) (rows[i] as unknown[])[8] = raw[(rows[i] as unknown[])[8] as number];
  }
}

/** A snapshot record's body with row values back in place. */
export function readRowsRecord(buf: Buffer, rec: ScannedRecord): unknown {
  return readRestored(buf, rec, 'rows', 8);
}

/** The record's body; if raw, with the raw strings put back at element `at` of the entries of its list `field`. */
function readRestored(buf: Buffer, rec: ScannedRecord, field: 'o' | 'rows', at: number): unknown {
  const { body, raw } = readRecord(buf, rec);
  if (!raw) return body;
  const entries = (body as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(entries)) throw new Error(`raw record without its list "${field}"`);
  return { ...(body as object), [field]: restore(entries, at, raw) };
}

/**
 * Entries whose element `at` is a number take the raw string of that index; the indexes must be 0, 1, 2, … in
 * order and use every raw string, so a damaged record cannot move values between keys unnoticed.
 */
function restore(entries: unknown[], at: number, raw: string[]): unknown[] {
  let next = 0;
  const out = entries.map((e) => {
    if (!Array.isArray(e) || typeof e[at] !== 'number') return e;
    if (e[at] !== next || next >= raw.length) throw new Error('raw record refers to a value it does not hold');
    const copy = e.slice();
    copy[at] = raw[next++];
    return copy;
  });
  if (next !== raw.length) throw new Error('raw record holds values nothing refers to');
  return out;
}
