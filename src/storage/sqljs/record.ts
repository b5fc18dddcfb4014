import { crc32 } from 'node:zlib';

/**
 * One record per line: 8 hex digits of the CRC-32 of the UTF-8 JSON text, a space, the JSON text, '\n'.
 * Shared by WAL segments and snapshots (see encodeRawRecord for records that carry strings outside their JSON).
 */
export function encodeRecord(body: unknown): Buffer {
  const text = JSON.stringify(body);
  const buf = Buffer.allocUnsafe(Buffer.byteLength(text) + 10);
  const n = buf.write(text, 9, 'utf8');
  buf.write(crc32(buf.subarray(9, 9 + n)).toString(16).padStart(8, '0'), 0, 'latin1');
  buf[8] = 0x20;
  buf[9 + n] = 0x0a;
  return buf;
}

/** Header of a raw record: CRC (8 hex digits), '!', body length in bytes (8 hex digits). */
const RAW_HEADER = 17;
const RAW_MARK = 0x21;

/** Whether `s` goes into a raw record unchanged (UTF-8 cannot carry a lone surrogate; JSON escapes it). */
export function rawable(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * A record whose `raw` strings follow its JSON unescaped: stored values are JSON text themselves, and escaping them
 * quote by quote inside the record's JSON cost more than the rest of the record. Layout: 8 hex digits of the CRC-32
 * of the body, '!', 8 hex digits of the body's length in bytes, the body, '\n'. The body is the JSON text of
 * `[byte length of each raw string, body]`, a NUL byte (JSON text has none), then the raw strings' UTF-8 one after
 * the other (they may hold any character, '\n' too: the length, not the end of line, ends the record). The caller
 * puts placeholders where the strings belong and puts them back after readRecord. Every raw string must be
 * `rawable`.
 */
export function encodeRawRecord(body: unknown, raw: readonly string[]): Buffer {
  const lens = raw.map((r) => Buffer.byteLength(r));
  const json = JSON.stringify([lens, body]);
  let total = Buffer.byteLength(json) + 1;
  for (const n of lens) total += n;
  const buf = Buffer.allocUnsafe(RAW_HEADER + total + 1);
  let p = RAW_HEADER + buf.write(json, RAW_HEADER, 'utf8');
  buf[p++] = 0;
  for (const r of raw) p += buf.write(r, p, 'utf8');
  buf.write(crc32(buf.subarray(RAW_HEADER, p)).toString(16).padStart(8, '0'), 0, 'latin1');
  buf[8] = RAW_MARK;
  buf.write(total.toString(16).padStart(8, '0'), 9, 'latin1');
  buf[p] = 0x0a;
  return buf;
}

/** Where a record sits in its file and whether its checksum holds (the JSON is parsed later, on demand). */
export interface ScannedRecord {
  offset: number;
  end: number;
  ok: boolean;
  why?: string;
}

/**
 * Check every line's checksum without parsing it. A last line without its newline is a bad (torn) record. Zero
 * bytes where a record would start are room the writer filled with zeros ahead of the log's end (wal.ts): zeros up to
 * the end of the file end the log; a zero run with more data after it is a bad record (the scan goes on after it).
 */
export function scanRecords(buf: Buffer): ScannedRecord[] {
  const out: ScannedRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf[offset] === 0) {
      const next = firstNonZero(buf, offset);
      if (next < 0) break;
      out.push({ offset, end: next, ok: false, why: 'zeroed bytes inside the log' });
      offset = next;
      continue;
    }
    if (buf[offset + 8] === RAW_MARK) {
      const r = checkRaw(buf, offset);
      out.push(r);
      if (r.ok) {
        offset = r.end;
        continue;
      }
      // Its length cannot be trusted: go on after the next end of line, so records after it are still seen (a bad
      // record followed by good ones is corruption, not a torn tail).
      const next = buf.indexOf(0x0a, offset);
      if (next < 0) break;
      offset = next + 1;
      continue;
    }
    const nl = buf.indexOf(0x0a, offset);
    if (nl < 0) {
      out.push({ offset, end: buf.length, ok: false, why: 'record without its end of line' });
      break;
    }
    out.push(checkLine(buf, offset, nl));
    offset = nl + 1;
  }
  return out;
}

function firstNonZero(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return i;
  return -1;
}

/** Where the log in `buf` ends: after its last good record before any bad one (0 when there is none). */
export function logEnd(records: ScannedRecord[]): number {
  let end = 0;
  for (const r of records) {
    if (!r.ok) break;
    end = r.end;
  }
  return end;
}

function checkLine(buf: Buffer, offset: number, nl: number): ScannedRecord {
  const end = nl + 1;
  if (nl - offset < 10 || buf[offset + 8] !== 0x20) return { offset, end, ok: false, why: 'malformed record header' };
  const want = parseInt(buf.toString('latin1', offset, offset + 8), 16);
  if (Number.isNaN(want) || crc32(buf.subarray(offset + 9, nl)) !== want) return { offset, end, ok: false, why: 'checksum mismatch' };
  return { offset, end, ok: true };
}

const HEX8 = /^[0-9a-f]{8}$/;

function checkRaw(buf: Buffer, offset: number): ScannedRecord {
  const torn = { offset, end: buf.length, ok: false, why: 'record without its end of line' };
  if (offset + RAW_HEADER > buf.length) return torn;
  const crcText = buf.toString('latin1', offset, offset + 8);
  const lenText = buf.toString('latin1', offset + 9, offset + RAW_HEADER);
  if (!HEX8.test(crcText) || !HEX8.test(lenText)) return { offset, end: offset + RAW_HEADER, ok: false, why: 'malformed record header' };
  const nl = offset + RAW_HEADER + parseInt(lenText, 16);
  if (nl >= buf.length) return torn;
  if (buf[nl] !== 0x0a) return { offset, end: nl, ok: false, why: 'record without its end of line where its length says' };
  if (crc32(buf.subarray(offset + RAW_HEADER, nl)) !== parseInt(crcText, 16)) return { offset, end: nl + 1, ok: false, why: 'checksum mismatch' };
  return { offset, end: nl + 1, ok: true };
}

/** Parse a record whose checksum held (a raw record's strings apart, in `raw`). */
export function readRecord(buf: Buffer, rec: ScannedRecord): { body: unknown; raw?: string[] } {
  if (buf[rec.offset + 8] !== RAW_MARK) return { body: JSON.parse(buf.toString('utf8', rec.offset + 9, rec.end - 1)) };
  const start = rec.offset + RAW_HEADER;
  const stop = rec.end - 1;
  const nul = buf.indexOf(0, start);
  if (nul < 0 || nul >= stop) throw new Error('raw record without the end of its JSON');
  const parsed = JSON.parse(buf.toString('utf8', start, nul)) as unknown;
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Array.isArray(parsed[0])) throw new Error('raw record without its string lengths');
  const lens = parsed[0] as unknown[];
  let p = nul + 1;
  const raw = lens.map((n) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || p + n > stop) throw new Error('raw record with a bad string length');
    const r = buf.toString('utf8', p, p + n);
    p += n;
    return r;
  });
  if (p !== stop) throw new Error('raw record with bytes after its strings');
  return { body: parsed[1], raw };
}

