/**
 * The JSONPath subset CRD additionalPrinterColumns use, evaluated as client-go's jsonpath package evaluates them
 * with AllowMissingKeys(true): `.a.b`, escaped dots (`.metadata.labels.app\.kubernetes\.io/name`), `['key']`,
 * `*` / `[*]`, indexes (negative counts from the end), slices `[a:b]`, recursive descent `..name` and filters
 * `[?(@.type=="Ready")]` (==, !=, <, <=, >, >= against a string, number or boolean literal, or bare existence).
 *
 * `compileJsonPath` parses once (the result is cached per path string); the returned function is what runs per row.
 * It returns the matched values in order, an empty list when a key is missing, and undefined on an evaluation error
 * (index out of bounds, comparing incompatible types), which the table turns into a null cell like upstream.
 */

type Literal = string | number | boolean;

type Step =
  | { k: 'field'; name: string }
  | { k: 'wildcard' }
  | { k: 'recursive'; name: string }
  | { k: 'slice'; start?: number; end?: number; step?: number; single: boolean }
  | { k: 'filter'; left: Step[]; op: string; right?: Literal | Step[] };

export type JsonPathFn = (root: unknown) => unknown[] | undefined;

class EvalError extends Error {}

const TERMINATORS = new Set([' ', '\t', '\n', '\r', '.', ',', '[', ']', '$', '@', '{', '}']);
const FILTER = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function readField(s: string, i: number): [string, number] {
  let name = '';
  while (i < s.length && !TERMINATORS.has(s[i]!)) {
    if (s[i] === '\\' && i + 1 < s.length) i++;
    name += s[i++];
  }
  return [name, i];
}

function closingBracket(s: string, i: number): number {
  let depth = 0;
  let quote = '';
  for (let j = i; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ']' && depth === 0) return j;
    else if (c === ']') depth--;
  }
  throw new Error(`unclosed array expect ]`);
}

function parseLiteral(s: string): Literal | Step[] {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (NUMBER.test(t)) return Number(t);
  return parseSteps(t);
}

function parseBracket(body: string): Step {
  const b = body.trim();
  if (b.startsWith('?(') && b.endsWith(')')) {
    const inner = b.slice(2, -1).trim();
    const m = FILTER.exec(inner);
    if (!m) return { k: 'filter', left: parseSteps(inner), op: 'exists' };
    return { k: 'filter', left: parseSteps(m[1]!), op: m[2]!, right: parseLiteral(m[3]!) };
  }
  if ((b.startsWith("'") && b.endsWith("'")) || (b.startsWith('"') && b.endsWith('"'))) return { k: 'field', name: b.slice(1, -1) };
  if (b === '*') return { k: 'wildcard' };
  const parts = b.split(':');
  if (parts.length > 3 || parts.some((p) => p.trim() !== '' && !/^-?\d+$/.test(p.trim()))) throw new Error(`invalid array index ${b}`);
  const num = (p: string | undefined): number | undefined => (p === undefined || p.trim() === '' ? undefined : Number(p));
  return { k: 'slice', start: num(parts[0]), end: num(parts[1]), step: num(parts[2]), single: parts.length === 1 };
}

function parseSteps(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  if (path[i] === '$' || path[i] === '@') i++;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.' && path[i + 1] === '.') {
      const [name, next] = readField(path, i + 2);
      steps.push({ k: 'recursive', name });
      i = next;
    } else if (c === '.') {
      const [name, next] = readField(path, i + 1);
      if (name === '*') steps.push({ k: 'wildcard' });
      else if (name !== '') steps.push({ k: 'field', name });
      i = next;
    } else if (c === '[') {
      const end = closingBracket(path, i + 1);
      steps.push(parseBracket(path.slice(i + 1, end)));
      i = end + 1;
    } else if (c === ' ') {
      i++;
    } else {
      const [name, next] = readField(path, i);
      if (name === '') throw new Error(`unrecognized character in action: ${c}`);
      steps.push(name === '*' ? { k: 'wildcard' } : { k: 'field', name });
      i = next;
    }
  }
  return steps;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === '==' || op === '!=') {
    if (typeof a !== typeof b || (typeof a !== 'string' && typeof a !== 'number' && typeof a !== 'boolean')) {
      throw new EvalError('incompatible types for comparison');
    }
    return op === '==' ? a === b : a !== b;
  }
  if (typeof a !== typeof b || (typeof a !== 'string' && typeof a !== 'number')) throw new EvalError('invalid type for comparison');
  const x = a as string | number;
  const y = b as string | number;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function recurse(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) for (const e of v) recurse(e, name, out);
  else if (isObject(v)) {
    if (Object.prototype.hasOwnProperty.call(v, name)) out.push(v[name]);
    for (const e of Object.values(v)) recurse(e, name, out);
  }
}

function applyStep(step: Step, input: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of input) {
    switch (step.k) {
      case 'field':
        if (isObject(v) && Object.prototype.hasOwnProperty.call(v, step.name)) out.push(v[step.name]);
        break;
      case 'wildcard':
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) out.push(...Object.values(v));
        break;
      case 'recursive':
        recurse(v, step.name, out);
        break;
      case 'slice': {
        if (!Array.isArray(v)) throw new EvalError('not an array');
        const len = v.length;
        let start = step.start ?? 0;
        if (start < 0) start += len;
        let end = step.single ? start + 1 : (step.end ?? len);
        if (end < 0) end += len;
        if (end > len) end = len;
        if (end !== start && (start >= len || start < 0)) throw new EvalError(`array index out of bounds: index ${start}, length ${len}`);
        const inc = step.step && step.step > 0 ? step.step : 1;
        for (let i = start; i < end; i += inc) out.push(v[i]);
        break;
      }
      case 'filter': {
        if (!Array.isArray(v)) throw new EvalError('not an array');
        for (const e of v) {
          const lefts = evaluate(step.left, e);
          if (step.op === 'exists') {
            if (lefts.length > 0) out.push(e);
            continue;
          }
          if (lefts.length === 0) continue;
          if (lefts.length > 1) throw new EvalError('can only compare one element at a time');
          const rights = Array.isArray(step.right) ? evaluate(step.right, e) : [step.right];
          if (rights.length === 0) continue;
          if (compare(step.op, lefts[0], rights[0])) out.push(e);
        }
        break;
      }
    }
  }
  return out;
}

function evaluate(steps: Step[], root: unknown): unknown[] {
  let values: unknown[] = [root];
  for (const step of steps) values = applyStep(step, values);
  return values;
}

const cache = new Map<string, JsonPathFn>();

/**
 * Compiles a column's jsonPath (`.status.replicas`, with or without surrounding `{}`). Throws on a syntax error,
 * as upstream's tableconvertor.New refuses such a column.
 */
export function compileJsonPath(path: string): JsonPathFn {
  const hit = cache.get(path);
  if (hit) return hit;
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  const steps = parseSteps(p);
  const fn: JsonPathFn = (root) => {
    try {
      return evaluate(steps, root);
    } catch (e) {
      if (e instanceof EvalError) return undefined;
      throw e;
    }
  };
  if (cache.size >= 1000) cache.clear();
  cache.set(path, fn);
  return fn;
}
