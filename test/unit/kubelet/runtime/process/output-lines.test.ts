/** Output streams cut into lines: chunk boundaries, UTF-8 split across chunks, first-byte times, long lines, end. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineSplitter } from '../../../../../src/kubelet/runtime/process/output-lines';

function collect(maxLineChars?: number) {
  let now = 0;
  const lines: [string, number][] = [];
  const s = new LineSplitter(() => now, (text, time) => lines.push([text, time]), maxLineChars);
  return { s, lines, at: (t: number) => (now = t) };
}

describe('LineSplitter', () => {
  it('hands on complete lines with the time of their first byte; end() flushes the rest', () => {
    const { s, lines, at } = collect();
    s.write(Buffer.from('he'));
    at(5);
    s.write(Buffer.from('llo\nwor'));
    at(9);
    s.write(Buffer.from('ld\n\nlast'));
    assert.deepEqual(lines, [['hello', 0], ['world', 5], ['', 9]]);
    s.end();
    s.write('ignored\n');
    assert.deepEqual(lines.at(-1), ['last', 9]);
    assert.equal(lines.length, 4);
  });

  it('multi-byte characters split between chunks are decoded whole', () => {
    const { s, lines } = collect();
    const bytes = Buffer.from('héllo → wörld ✓\n');
    for (const b of bytes) s.write(Buffer.from([b]));
    assert.deepEqual(lines, [['héllo → wörld ✓', 0]]);
  });

  it('a line longer than the maximum is handed on in pieces; a line of exactly the maximum is whole', () => {
    const { s, lines } = collect(4);
    s.write('abcd\nabcdefghij\nxy');
    s.end();
    assert.deepEqual(lines.map((l) => l[0]), ['abcd', 'abcd', 'efgh', 'ij', 'xy']);
  });

  it('property: however the bytes are chunked, the lines are the same', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('\n', 'é', '✓', 'ab'), fc.string({ maxLength: 5 })), { maxLength: 30 }), fc.array(fc.nat(20), { maxLength: 20 }), (parts, cuts) => {
        const text = parts.join('');
        const bytes = Buffer.from(text);
        const { s, lines } = collect(8);
        let from = 0;
        for (const c of cuts) {
          s.write(bytes.subarray(from, Math.min(bytes.length, from + c)));
          from = Math.min(bytes.length, from + c);
        }
        s.write(bytes.subarray(from));
        s.end();
        const expected = text.split('\n').flatMap((l, i, all) => (i === all.length - 1 && l === '' ? [] : chunk(l, 8)));
        assert.deepEqual(lines.map((l) => l[0]), expected);
      }),
      { numRuns: 500 },
    );
  });
});

const chunk = (l: string, n: number): string[] => {
  if (l.length <= n) return [l];
  const out: string[] = [];
  for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
  return out;
};
