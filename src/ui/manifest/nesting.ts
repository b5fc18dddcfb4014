/**
 * How deep a manifest nests, measured on the text before any YAML/JSON parser sees it.
 *
 * Why: the `yaml` package composes nodes recursively; a document nested ~900 levels deep overflows the stack, and
 * a stack overflow inside V8's regular-expression tier-up kills the whole process ("RegExpCompiler Allocation
 * failed - process out of memory") instead of throwing — in the extension host that takes every extension down. So
 * documents deeper than MAX_MANIFEST_DEPTH are refused before they are parsed. kubectl's decoders allow 10,000
 * levels (go-yaml's and encoding/json's limit); no real Kubernetes object comes near 200.
 *
 * Contract: depthExceededAt(text, limit) returns the offset of the first place where the nesting of block
 * collections (indentation levels, `- ` entries on one line) plus flow collections (`[`, `{`) exceeds `limit`, or
 * undefined. Quoted scalars, comments, block scalars (`|`, `>`) and brackets inside plain scalars do not count. It
 * may count a little more than the parser would (continuation lines of plain scalars) and at worst half as much
 * (a block sequence at its parent key's indentation), which the limit's distance from ~900 covers. Linear time.
 */

/** The deepest nesting of maps and lists a manifest document may have. */
export const MAX_MANIFEST_DEPTH = 200;

/** `yaml: exceeded max depth of 200` — go-yaml's words, with KubeLab's limit. */
export function depthMessage(json: boolean, limit = MAX_MANIFEST_DEPTH): string {
  return `${json ? 'json' : 'yaml'}: exceeded max depth of ${limit}`;
}

const isBlank = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n';

export function depthExceededAt(text: string, limit = MAX_MANIFEST_DEPTH): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote = '';
  /** Indentation of the line that opened a block scalar, while in it; -1 otherwise. */
  let blockScalarOf = -1;
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    let i = pos;
    while (i < eol && text[i] === ' ') i++;
    const indent = i - pos;
    const empty = i >= eol || text[i] === '\r' || text[i] === '\t';
    if (blockScalarOf >= 0) {
      if (empty || indent > blockScalarOf) {
        pos = eol + 1;
        continue;
      }
      blockScalarOf = -1;
    }
    if (!quote && flow === 0 && !empty && text[i] !== '#') {
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlank(text[i + 3])) {
        indents.length = 0;
        i += 3;
      } else {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
    }
    /** Block collections this line's node sits in (its own indentation level is the node itself). */
    const outer = Math.max(0, indents.length - 1);
    let dashes = 0;
    let key = 0;
    let valueStart = true;
    for (; i < eol; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (c === '#' && (i === pos || isBlank(text[i - 1]))) break;
      if (valueStart && (c === '"' || c === "'")) {
        quote = c;
        valueStart = false;
      } else if (c === '[' || c === '{') {
        if (valueStart || flow > 0) {
          flow++;
          valueStart = true;
          if (outer + dashes + key + flow > limit) return i;
        } else valueStart = false;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        valueStart = false;
      } else if (c === ',' && flow > 0) {
        valueStart = true;
      } else if ((c === '-' || c === '?') && flow === 0 && valueStart && isBlank(text[i + 1])) {
        dashes++;
        if (outer + dashes > limit) return i;
      } else if (c === ':' && (isBlank(text[i + 1]) || flow > 0)) {
        if (flow === 0) key = 1;
        valueStart = true;
      } else if ((c === '|' || c === '>') && valueStart && flow === 0) {
        blockScalarOf = indent;
        break;
      } else if ((c === '&' || c === '!') && valueStart) {
        while (i + 1 < eol && !isBlank(text[i + 1]) && !(flow > 0 && ',[]{}'.includes(text[i + 1]))) i++;
      } else valueStart = false;
    }
    if (outer + dashes + key + flow > limit) return pos + indent;
    pos = eol + 1;
  }
  return undefined;
}
