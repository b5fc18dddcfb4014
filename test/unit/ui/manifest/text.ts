/** Test helpers: what a Range covers in a text, so tests assert on the underlined text and its line. */
import type { Range } from '../../../../src/ui/manifest';

/** Offsets of line starts, as VS Code counts lines (after each `\n`). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

export function offsetAt(text: string, p: { line: number; character: number }): number {
  return lineStarts(text)[p.line] + p.character;
}

/** `{ line, text }`: the 0-based line a range starts on and the text it covers. */
export function covered(text: string, r: Range): { line: number; text: string } {
  return { line: r.start.line, text: text.slice(offsetAt(text, r.start), offsetAt(text, r.end)) };
}

/** The 0-based line holding the first occurrence of `needle` (after `from`, itself a needle, when given). */
export function lineOf(text: string, needle: string, from?: string): number {
  const start = from === undefined ? 0 : text.indexOf(from);
  const at = text.indexOf(needle, start);
  if (at < 0 || start < 0) throw new Error(`${JSON.stringify(needle)} not in text`);
  return text.slice(0, at).split('\n').length - 1;
}
