/**
 * The label selector string parser, step for step as apimachinery's labels.Parse (Kubernetes 1.32): the same
 * lexer (whitespace is ' ', '\t', '\r', '\n'; a NUL ends the token it is in, and the input where a token would
 * start; longest-match operators), the same recursive descent, and the same error texts, e.g. `unable to parse
 * requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt`. `parseLabelSelector` throws a 400 BadRequest
 * StatusError carrying that text.
 */
import { StatusError } from '../status';
import { goQuote, goSorted } from './go-format';
import { newRequirement, SelectorError, type LabelOperator, type LabelRequirement } from './label-requirement';
import { everything, selectorOf, type LabelSelector } from './label-selector';
import { isQualifiedName } from './label-validation';

const enum Tok {
  Error,
  End,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const KEYWORDS: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

function keyword(s: string): Tok | undefined {
  return Object.prototype.hasOwnProperty.call(KEYWORDS, s) ? KEYWORDS[s] : undefined;
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isSpecial(c: string): boolean {
  return c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
}

interface Item {
  tok: Tok;
  lit: string;
}

/** Lexes the whole input; the last item is End. */
function scan(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const read = (): string => (pos < s.length ? s[pos++] : '\0');
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === '\0') {
      items.push({ tok: Tok.End, lit: '' });
      return items;
    }
    pos--;
    if (isSpecial(ch)) {
      let buf = '';
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === '\0') break;
        if (!isSpecial(c)) {
          pos--;
          break;
        }
        buf += c;
        const t = keyword(buf);
        if (t !== undefined) last = { tok: t, lit: buf };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` });
    } else {
      const start = pos;
      for (;;) {
        const c = read();
        if (c === '\0') break;
        if (isSpecial(c) || isWhitespace(c)) {
          pos--;
          break;
        }
      }
      const lit = s.slice(start, pos).split('\0')[0];
      const t = keyword(lit);
      items.push({ tok: t ?? Tok.Identifier, lit });
    }
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In the Values context `in` and `notin` are plain identifiers. */
  private lookahead(values: boolean): Item {
    const it = this.items[this.pos];
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }

  private consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === Tok.End) return reqs;
      if (tok !== Tok.Identifier && tok !== Tok.DoesNotExist) {
        throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const next = this.consume(true);
      if (next.tok === Tok.End) return reqs;
      if (next.tok !== Tok.Comma) throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead(true);
      if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) {
        throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    const [key, inferred] = this.keyAndInferredOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    return newRequirement(key, op, values);
  }

  private keyAndInferredOperator(): [string, LabelOperator | undefined] {
    let op: LabelOperator | undefined;
    let { tok, lit } = this.consume(true);
    if (tok === Tok.DoesNotExist) {
      op = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== Tok.Identifier) throw new SelectorError(`found '${lit}', expected: identifier`);
    const errs = isQualifiedName(lit);
    // Upstream validates with the parser's nil field path, which prints as "<nil>".
    if (errs.length) throw new SelectorError(`<nil>: Invalid value: ${goQuote(lit)}: ${errs.join('; ')}`);
    const next = this.lookahead(true).tok;
    if ((next === Tok.End || next === Tok.Comma) && op !== '!') op = 'exists';
    return [lit, op];
  }

  private operator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new SelectorError(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  /** `(a,b,…)` as a sorted set; empty entries are the empty value. */
  private valueSet(): string[] {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new SelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === Tok.ClosedPar) {
      this.consume(true);
      return [''];
    }
    if (tok !== Tok.Identifier && tok !== Tok.Comma) throw new SelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    const set = this.identifiers();
    this.consume(true); // the ')' identifiers() stopped at
    return goSorted([...set]);
  }

  private identifiers(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === Tok.Identifier) {
        set.add(lit);
        const next = this.lookahead(true);
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return set;
        throw new SelectorError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== Tok.Comma) throw new SelectorError(`found '${lit}', expected: ',', or identifier`);
      if (set.size === 0) set.add(''); // "(,"
      const next = this.lookahead(true).tok;
      if (next === Tok.ClosedPar) {
        set.add(''); // ",)"
        return set;
      }
      if (next === Tok.Comma) {
        this.consume(true);
        set.add(''); // ",,"
      }
    }
  }

  private exactValue(): string[] {
    const next = this.lookahead(true).tok;
    if (next === Tok.End || next === Tok.Comma) return [''];
    const { tok, lit } = this.consume(true);
    if (tok === Tok.Identifier) return [lit];
    throw new SelectorError(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse; throws SelectorError with upstream's text. */
export function parseLabelSelectorOrThrow(s: string): LabelSelector {
  const reqs = new Parser(scan(s)).parse();
  return reqs.length ? selectorOf(reqs) : everything();
}

/** labels.Parse as the API server applies it to `?labelSelector=`: failures are 400 BadRequest with upstream's text. */
export function parseLabelSelector(s: string): LabelSelector {
  try {
    return parseLabelSelectorOrThrow(s);
  } catch (e) {
    if (e instanceof SelectorError) throw StatusError.badRequest(e.message);
    throw e;
  }
}
