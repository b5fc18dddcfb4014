import { crc32 } from 'node:zlib';

/**
 * One record per line: 8 hex digits of the CRC-32 of the UTF-8 JSON text, a space, the JSON text, '\n'.
 * Shared by WAL segments and snapshots.
 */
export function encodeRecord(body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const head = Buffer.from(crc32(json).toString(16).padStart(8, '0') + ' ', 'latin1');
  return Buffer.concat([head, json, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');

export type DecodedLine =
  | { ok: true; body: unknown; offset: number; end: number }
  | { ok: false; offset: number; end: number; why: string; complete: boolean };

/**
 * Split a buffer into records. Each line is checked; a bad line reports its byte offset. `complete` is false for
 * a last line without its newline (a torn write).
 */
export function* decodeRecords(buf: Buffer): Generator<DecodedLine> {
  let offset = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl < 0) {
      yield { ok: false, offset, end: buf.length, why: 'record without its end of line', complete: false };
      return;
    }
    yield decodeLine(buf, offset, nl);
    offset = nl + 1;
  }
}

function decodeLine(buf: Buffer, offset: number, nl: number): DecodedLine {
  const end = nl + 1;
  if (nl - offset < 10 || buf[offset + 8] !== 0x20) return { ok: false, offset, end, why: 'malformed record header', complete: true };
  const want = parseInt(buf.toString('latin1', offset, offset + 8), 16);
  const json = buf.subarray(offset + 9, nl);
  if (Number.isNaN(want) || crc32(json) !== want) return { ok: false, offset, end, why: 'checksum mismatch', complete: true };
  try {
    return { ok: true, body: JSON.parse(json.toString('utf8')), offset, end };
  } catch (e) {
    return { ok: false, offset, end, why: `unparsable record: ${(e as Error).message}`, complete: true };
  }
}
