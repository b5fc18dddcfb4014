import { crc32 } from 'node:zlib';

/**
 * One record per line: 8 hex digits of the CRC-32 of the UTF-8 JSON text, a space, the JSON text, '\n'.
 * Shared by WAL segments and snapshots.
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

/** Parse a record whose checksum held. */
export function parseRecord(buf: Buffer, rec: ScannedRecord): unknown {
  return JSON.parse(buf.toString('utf8', rec.offset + 9, rec.end - 1));
}
