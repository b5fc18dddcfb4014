/**
 * The tokenizer of the simulated shell (`sh -c "…"`): POSIX-like quoting ('…', "…", backslash), comments, operators
 * (; && || & | ( ) and newline as ;), redirection operators ([n]> [n]>> [n]< [n]>& [n]<&, each followed by its
 * target as the next word token) and the expansions $NAME ${NAME} $? $$ $(…) $((…)) as word parts. Throws
 * ShellSyntaxError with sh-like wording.
 */

export type WordPart =
  | { t: 'lit'; v: string; quoted: boolean }
  | { t: 'var'; name: string }
  | { t: 'cmd'; src: string }
  | { t: 'arith'; expr: string };

export type RedirOp = '>' | '>>' | '<' | '>&' | '<&';

export type Token =
  | { kind: 'op'; op: string }
  | { kind: 'word'; parts: WordPart[]; raw: string }
  | { kind: 'redir'; op: RedirOp; fd?: number; raw: string };

export class ShellSyntaxError extends Error {
  override readonly name = 'ShellSyntaxError';
}

const OPS = ['&&', '||', ';;', ';', '&', '|', '(', ')'];

/** Find the index just after the `)` matching an opening at src[start] == '(' (skipping quotes). */
function matchParen(src: string, start: number): number {
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      if (j < 0) break;
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  throw new ShellSyntaxError("syntax error: unterminated quoted string");
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let parts: WordPart[] | undefined;
  let raw = '';
  const lit = (v: string, quoted: boolean) => {
    parts ??= [];
    const last = parts[parts.length - 1];
    if (last && last.t === 'lit' && last.quoted === quoted) last.v += v;
    else parts.push({ t: 'lit', v, quoted });
  };
  const end = () => {
    if (parts) out.push({ kind: 'word', parts, raw });
    parts = undefined;
    raw = '';
  };
  /** The word so far is a file descriptor number written right before a redirection ("2" of "2>&1"). */
  const fdPrefix = (): number | undefined => (parts?.length === 1 && /^\d+$/.test(raw) ? Number(raw) : undefined);
  /** Read a $-expansion at src[i] === '$'; returns the new index. */
  const dollar = (at: number): number => {
    const next = src[at + 1];
    if (src.startsWith('$((', at)) {
      const close = matchParen(src, at + 1);
      (parts ??= []).push({ t: 'arith', expr: src.slice(at + 3, close - 2) });
      return close;
    }
    if (next === '(') {
      const close = matchParen(src, at + 1);
      (parts ??= []).push({ t: 'cmd', src: src.slice(at + 2, close - 1) });
      return close;
    }
    if (next === '{') {
      const close = src.indexOf('}', at);
      if (close < 0) throw new ShellSyntaxError('syntax error: bad substitution');
      (parts ??= []).push({ t: 'var', name: src.slice(at + 2, close) });
      return close + 1;
    }
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?$#!@*-])/.exec(src.slice(at + 1));
    if (!m) {
      lit('$', false);
      return at + 1;
    }
    (parts ??= []).push({ t: 'var', name: m[0] });
    return at + 1 + m[0].length;
  };

  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      end();
      i++;
    } else if (c === '\n') {
      end();
      out.push({ kind: 'op', op: ';' });
      i++;
    } else if (c === '#' && !parts) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\\') {
      if (src[i + 1] !== '\n') lit(src[i + 1] ?? '', true);
      raw += src.slice(i, i + 2);
      i += 2;
    } else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      if (j < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
      lit(src.slice(i + 1, j), true);
      raw += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      lit('', true);
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && '$`"\\\n'.includes(src[j + 1] ?? '')) {
          if (src[j + 1] !== '\n') lit(src[j + 1], true);
          j += 2;
        } else if (src[j] === '$') {
          j = dollar(j);
        } else {
          lit(src[j], true);
          j++;
        }
      }
      if (j >= src.length) throw new ShellSyntaxError('syntax error: unterminated quoted string');
      raw += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '$') {
      const j = dollar(i);
      raw += src.slice(i, j);
      i = j;
    } else if (c === '>' || c === '<') {
      // a redirection operator; its target is the next word. A word other than a bare fd number ends here ("a>b").
      const fd = fdPrefix();
      const opRaw = fd === undefined ? '' : raw;
      if (fd !== undefined) {
        parts = undefined;
        raw = '';
      } else end();
      let j = i + 1;
      let op: RedirOp = c;
      if (c === '>' && src[j] === '>') op = '>>';
      else if (src[j] === '&') op = c === '>' ? '>&' : '<&';
      else if (c === '>' && src[j] === '|') j++; // >| (clobber) is >
      if (op.length === 2) j++;
      out.push({ kind: 'redir', op, ...(fd === undefined ? {} : { fd }), raw: opRaw + src.slice(i, j) });
      i = j;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (op) {
        end();
        out.push({ kind: 'op', op });
        i += op.length;
      } else {
        lit(c, false);
        raw += c;
        i++;
      }
    }
  }
  end();
  return out;
}
