/**
 * The parser of the simulated shell: tokens (./shell-lex) → an AST of lists (a; b & c), and-or chains (a && b || c),
 * pipelines (a | b), simple commands with assignments and redirections (in order, each with its fd and target word;
 * also after compound commands), `! cmd`, ( … ) / { …; } groups, while/until loops, for loops and if/elif/else.
 * Throws ShellSyntaxError with sh-like wording.
 */
import { ShellSyntaxError, tokenize, type RedirOp, type Token, type WordPart } from './shell-lex';

export type Word = WordPart[];

/** One redirection: `fd` (default 1 for output operators, 0 for input) `op` `target`. */
export interface Redir {
  fd: number;
  op: RedirOp;
  target: Word;
}

/** redirs: applied left to right around the command. */
export type Command = { redirs?: Redir[] } & (
  | { kind: 'simple'; assigns: { name: string; value: Word }[]; words: Word[] }
  | { kind: 'group'; body: List; subshell: boolean }
  | { kind: 'loop'; until: boolean; cond: List; body: List }
  | { kind: 'for'; name: string; items: Word[]; body: List }
  | { kind: 'if'; branches: { cond: List; body: List }[]; otherwise?: List }
);

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}
export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}
export type List = AndOr[];

const KEYWORDS = new Set(['while', 'until', 'do', 'done', 'for', 'in', 'if', 'then', 'elif', 'else', 'fi', '{', '}', '!']);

export function parseScript(src: string): List {
  const p = new Parser(tokenize(src));
  const list = p.list(new Set());
  if (p.peek()) throw p.unexpected();
  return list;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  /** The keyword at the current position, if the token is an unquoted literal keyword. */
  private keyword(): string | undefined {
    const t = this.peek();
    if (t?.kind !== 'word' || t.parts.length !== 1) return undefined;
    const [p] = t.parts;
    return p.t === 'lit' && !p.quoted && KEYWORDS.has(p.v) ? p.v : undefined;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.op === op;
  }

  unexpected(): ShellSyntaxError {
    const t = this.peek();
    const what = !t ? 'end of file' : t.kind === 'op' ? `"${t.op}"` : `"${t.raw}"`;
    return new ShellSyntaxError(`syntax error: unexpected ${what}`);
  }

  private expectKeyword(k: string): void {
    if (this.keyword() !== k) throw this.unexpected();
    this.pos++;
  }

  private skipSeparators(): void {
    while (this.isOp(';') || this.isOp('&')) this.pos++;
  }

  /** A list ends at end of input, ")" or one of the given keywords. */
  list(stop: Set<string>): List {
    const out: List = [];
    this.skipSeparators();
    for (;;) {
      const t = this.peek();
      if (!t || this.isOp(')') || (this.keyword() && stop.has(this.keyword()!))) break;
      out.push(this.andOr(stop));
      if (!this.isOp(';') && !this.isOp('&')) break;
      this.skipSeparators();
    }
    return out;
  }

  private andOr(stop: Set<string>): AndOr {
    const first = this.pipeline(stop);
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { op: '&&' | '||' }).op;
      this.pos++;
      while (this.isOp(';')) this.pos++; // newlines may follow && and ||
      rest.push({ op, pipeline: this.pipeline(stop) });
    }
    return { first, rest };
  }

  private pipeline(stop: Set<string>): Pipeline {
    let negate = false;
    if (this.keyword() === '!') {
      negate = true;
      this.pos++;
    }
    const commands = [this.command(stop)];
    while (this.isOp('|')) {
      this.pos++;
      commands.push(this.command(stop));
    }
    return { negate, commands };
  }

  private command(stop: Set<string>): Command {
    const cmd = this.bareCommand(stop);
    if (cmd.kind === 'simple') return cmd;
    // redirections after a compound command: `{ …; } >/dev/null`, `done 2>&1`
    const redirs: Redir[] = [];
    for (let t = this.peek(); t?.kind === 'redir'; t = this.peek()) redirs.push(this.redirection());
    if (redirs.length) cmd.redirs = redirs;
    return cmd;
  }

  /** A redirection token and its target word. */
  private redirection(): Redir {
    const t = this.peek() as Extract<Token, { kind: 'redir' }>;
    this.pos++;
    const target = this.peek();
    if (target?.kind !== 'word') throw this.unexpected();
    this.pos++;
    return { fd: t.fd ?? (t.op.startsWith('<') ? 0 : 1), op: t.op, target: target.parts };
  }

  private bareCommand(stop: Set<string>): Command {
    const kw = this.keyword();
    if (this.isOp('(')) {
      this.pos++;
      const body = this.list(new Set());
      if (!this.isOp(')')) throw this.unexpected();
      this.pos++;
      return { kind: 'group', body, subshell: true };
    }
    if (kw === '{') {
      this.pos++;
      const body = this.list(new Set(['}']));
      this.expectKeyword('}');
      return { kind: 'group', body, subshell: false };
    }
    if (kw === 'while' || kw === 'until') {
      this.pos++;
      const cond = this.list(new Set(['do']));
      this.expectKeyword('do');
      const body = this.list(new Set(['done']));
      this.expectKeyword('done');
      return { kind: 'loop', until: kw === 'until', cond, body };
    }
    if (kw === 'for') {
      this.pos++;
      const nameTok = this.peek();
      if (nameTok?.kind !== 'word') throw this.unexpected();
      this.pos++;
      const items: Word[] = [];
      if (this.keyword() === 'in') {
        this.pos++;
        for (let t = this.peek(); t?.kind === 'word' && this.keyword() !== 'do'; t = this.peek()) {
          items.push(t.parts);
          this.pos++;
        }
      }
      this.skipSeparators();
      this.expectKeyword('do');
      const body = this.list(new Set(['done']));
      this.expectKeyword('done');
      return { kind: 'for', name: nameTok.raw, items, body };
    }
    if (kw === 'if') {
      this.pos++;
      const branches: { cond: List; body: List }[] = [];
      let otherwise: List | undefined;
      for (;;) {
        const cond = this.list(new Set(['then']));
        this.expectKeyword('then');
        branches.push({ cond, body: this.list(new Set(['elif', 'else', 'fi'])) });
        const next = this.keyword();
        this.pos++;
        if (next === 'elif') continue;
        if (next === 'else') {
          otherwise = this.list(new Set(['fi']));
          this.expectKeyword('fi');
        } else if (next !== 'fi') {
          this.pos--;
          throw this.unexpected();
        }
        return { kind: 'if', branches, otherwise };
      }
    }
    if (kw && (stop.has(kw) || ['do', 'done', 'then', 'elif', 'else', 'fi', '}', 'in'].includes(kw))) throw this.unexpected();
    return this.simple();
  }

  private simple(): Command {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (let t = this.peek(); t && t.kind !== 'op'; t = this.peek()) {
      if (t.kind === 'redir') {
        redirs.push(this.redirection());
        continue;
      }
      this.pos++;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw);
      const first = t.parts[0];
      if (!words.length && m && first?.t === 'lit' && !first.quoted && first.v.startsWith(m[0])) {
        const value: Word = [{ ...first, v: first.v.slice(m[0].length) }, ...t.parts.slice(1)];
        assigns.push({ name: m[1], value });
      } else {
        words.push(t.parts);
      }
    }
    if (!words.length && !assigns.length && !redirs.length) throw this.unexpected();
    return { kind: 'simple', assigns, words, ...(redirs.length ? { redirs } : {}) };
  }
}
