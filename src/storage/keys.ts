import type { KeySelector } from './store';

/** Compare keys by their UTF-8 bytes, as etcd (and SQLite's BINARY collation) order them. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** The exclusive end of the interval holding every key that starts with prefix; undefined means "no end". */
export function prefixEnd(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  while (cps.length) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      let next = last + 1;
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** A selector as a half-open interval [from, to); to undefined = unbounded; single = exactly one key. */
export interface KeyInterval {
  from: string;
  to?: string;
  single: boolean;
}

export function toInterval(sel: KeySelector): KeyInterval {
  if (sel.prefix) return { from: sel.key, to: prefixEnd(sel.key), single: false };
  if (sel.end === undefined || sel.end === '') return { from: sel.key, to: undefined, single: true };
  if (sel.end === '\0') return { from: sel.key, to: undefined, single: false };
  return { from: sel.key, to: sel.end, single: false };
}

export function inInterval(key: string, iv: KeyInterval): boolean {
  if (iv.single) return key === iv.from;
  if (compareKeys(key, iv.from) < 0) return false;
  return iv.to === undefined || compareKeys(key, iv.to) < 0;
}
