/**
 * Random damage to a sql.js store's data directory (snapshot `snap-*.kls` and WAL `wal-*.log` files), as fast-check
 * values: byte flips, zeroed ranges, truncation, inserted bytes, swapped / duplicated / dropped records (whole
 * lines, checksums intact), garbage files and copies of real files under snapshot/WAL names, and removed files.
 *
 * Contract: `damageArb` generates plain data (positions as fractions of the file, files as indices), so one value
 * applies to any directory; `applyDamage(dir, d)` changes the files and returns a one-line description of what it
 * did, for violation messages. Deterministic for a given value and directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

const SNAP_RE = /^snap-(\d{16})\.kls$/;
const WAL_RE = /^wal-(\d{16})\.log$/;

export type Damage =
  | { kind: 'flip'; file: number; at: number[]; mask: number }
  | { kind: 'zero'; file: number; at: number; len: number }
  | { kind: 'truncate'; file: number; at: number }
  | { kind: 'insert'; file: number; at: number; bytes: number[] }
  | { kind: 'swap-records'; file: number; a: number; b: number }
  | { kind: 'duplicate-record'; file: number; a: number; to: number }
  | { kind: 'drop-record'; file: number; a: number }
  | { kind: 'garbage-file'; type: 'snap' | 'wal'; seqDelta: number; bytes: number[]; recordLike: boolean }
  | { kind: 'copy-file'; file: number; seqDelta: number }
  | { kind: 'remove-file'; file: number };

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const file = fc.nat(7);

export const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), file, at: fc.array(frac, { minLength: 1, maxLength: 4 }), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('zero' as const), file, at: frac, len: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('truncate' as const), file, at: frac }),
  fc.record({ kind: fc.constant('insert' as const), file, at: frac, bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant(0x0a)), { minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('swap-records' as const), file, a: frac, b: frac }),
  fc.record({ kind: fc.constant('duplicate-record' as const), file, a: frac, to: frac }),
  fc.record({ kind: fc.constant('drop-record' as const), file, a: frac }),
  fc.record({ kind: fc.constant('garbage-file' as const), type: fc.constantFrom('snap' as const, 'wal' as const), seqDelta: fc.integer({ min: -2, max: 3 }), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }), recordLike: fc.boolean() }),
  fc.record({ kind: fc.constant('copy-file' as const), file, seqDelta: fc.integer({ min: -2, max: 3 }) }),
  fc.record({ kind: fc.constant('remove-file' as const), file }),
);

/** The store's data files (snapshots, then WAL segments), sorted by name. */
export function dataFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => SNAP_RE.test(n) || WAL_RE.test(n)).sort();
}

/** Split a file into its lines, each with its '\n' (the last without one if the file does not end in '\n'). */
function lines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < buf.length; ) {
    const nl = buf.indexOf(0x0a, at);
    const end = nl < 0 ? buf.length : nl + 1;
    out.push(buf.subarray(at, end));
    at = end;
  }
  return out;
}

const pick = (f: number, n: number) => Math.min(n - 1, Math.floor(f * n));

function seqName(dir: string, type: 'snap' | 'wal', delta: number): string {
  const re = type === 'snap' ? SNAP_RE : WAL_RE;
  const seqs = fs.readdirSync(dir).flatMap((n) => (re.exec(n) ? [Number(re.exec(n)![1])] : []));
  const base = seqs.length ? Math.max(...seqs) : 1;
  const seq = Math.max(0, base + delta);
  return `${type}-${String(seq).padStart(16, '0')}.${type === 'snap' ? 'kls' : 'log'}`;
}

/** Apply `d` to the data directory; returns what was done, e.g. `flip 0x10 at 1234 of wal-…log`. */
export function applyDamage(dir: string, d: Damage): string {
  if (d.kind === 'garbage-file') {
    const name = seqName(dir, d.type, d.seqDelta);
    const body = Buffer.from(d.bytes);
    // record-like garbage: a well-formed header (8 hex digits and a space) in front of the bytes
    const bytes = d.recordLike ? Buffer.concat([Buffer.from('0badf00d '), body, Buffer.from('\n')]) : body;
    fs.writeFileSync(path.join(dir, name), bytes);
    return `garbage file ${name} (${bytes.length} bytes${d.recordLike ? ', record-like' : ''})`;
  }
  const files = dataFiles(dir);
  if (!files.length) return 'nothing (no data file)';
  const name = files[d.file % files.length];
  const p = path.join(dir, name);
  const buf = fs.readFileSync(p);
  const at = (f: number) => pick(f, Math.max(1, buf.length));
  switch (d.kind) {
    case 'flip': {
      const where = d.at.map(at).filter((i) => i < buf.length);
      for (const i of where) buf[i] ^= d.mask;
      fs.writeFileSync(p, buf);
      return `xor 0x${d.mask.toString(16)} at ${where.join(',')} of ${name}`;
    }
    case 'zero': {
      const from = at(d.at);
      buf.fill(0, from, Math.min(buf.length, from + d.len));
      fs.writeFileSync(p, buf);
      return `zero ${d.len} bytes at ${from} of ${name}`;
    }
    case 'truncate':
      fs.truncateSync(p, at(d.at));
      return `truncate ${name} to ${at(d.at)} of ${buf.length} bytes`;
    case 'insert': {
      const i = at(d.at);
      fs.writeFileSync(p, Buffer.concat([buf.subarray(0, i), Buffer.from(d.bytes), buf.subarray(i)]));
      return `insert ${d.bytes.length} bytes at ${i} of ${name}`;
    }
    case 'swap-records':
    case 'duplicate-record':
    case 'drop-record': {
      const ls = lines(buf);
      if (!ls.length) return `nothing (${name} is empty)`;
      const a = pick(d.a, ls.length);
      if (d.kind === 'swap-records') {
        const b = pick(d.b, ls.length);
        [ls[a], ls[b]] = [ls[b], ls[a]];
        fs.writeFileSync(p, Buffer.concat(ls));
        return `swap records ${a} and ${b} of ${name}`;
      }
      if (d.kind === 'duplicate-record') {
        const to = pick(d.to, ls.length + 1);
        ls.splice(to, 0, ls[a]);
        fs.writeFileSync(p, Buffer.concat(ls));
        return `copy record ${a} to position ${to} of ${name}`;
      }
      ls.splice(a, 1);
      fs.writeFileSync(p, Buffer.concat(ls));
      return `drop record ${a} of ${ls.length + 1} of ${name}`;
    }
    case 'copy-file': {
      const to = seqName(dir, SNAP_RE.test(name) ? 'snap' : 'wal', d.seqDelta);
      if (to === name) return `nothing (copy of ${name} onto itself)`;
      fs.copyFileSync(p, path.join(dir, to));
      return `copy ${name} to ${to}`;
    }
    case 'remove-file':
      fs.rmSync(p);
      return `remove ${name}`;
  }
}
