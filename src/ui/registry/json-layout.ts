/**
 * layoutJson: pretty-prints JSON text with 2-space indentation WITHOUT parsing it into objects, so the stored key
 * order (including integer-like keys, which JavaScript objects would move first) and the number literals (no loss of
 * precision beyond 2^53, `1.0` stays `1.0`) are kept exactly.
 *
 * Contract: the input must be valid JSON (check with JSON.parse first). The output has JSON.stringify(v, null, 2)'s
 * layout — `{}`/`[]` for empty containers, `"k": v`, one member per line — and, for input whose keys are in
 * JavaScript's property order and whose numbers are canonical (any JSON.stringify output), equals
 * JSON.stringify(JSON.parse(input), null, 2). Strings are copied byte for byte (escapes are not normalized).
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const DELIMITERS = new Set([' ', '\t', '\n', '\r', ',', ':', ']', '}']);

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  return i;
}

export function layoutJson(text: string): string {
  const out: string[] = [];
  let depth = 0;
  const newline = (): void => {
    out.push('\n', '  '.repeat(depth));
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (WHITESPACE.has(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === '{' || c === '[') {
      const next = skipWhitespace(text, i + 1);
      if (text[next] === (c === '{' ? '}' : ']')) {
        out.push(c === '{' ? '{}' : '[]');
        i = next + 1;
      } else {
        out.push(c);
        depth++;
        newline();
        i++;
      }
    } else if (c === '}' || c === ']') {
      depth--;
      newline();
      out.push(c);
      i++;
    } else if (c === ',') {
      out.push(',');
      newline();
      i++;
    } else if (c === ':') {
      out.push(': ');
      i++;
    } else {
      let j = i + 1;
      while (j < text.length && !DELIMITERS.has(text[j]!)) j++;
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out.join('');
}
