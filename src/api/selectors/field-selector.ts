/**
 * Field selectors as apimachinery's fields package parses and matches them (Kubernetes 1.32): terms split on
 * unescaped ',' (AND), each `field=value`, `field==value` or `field!=value` split at the first operator, values
 * unescaped (`\,` `\=` `\\`), terms ordered by their raw text. A missing field reads as ''. Errors carry upstream's
 * text; `parseFieldSelector` throws them as 400 BadRequest.
 */
import { StatusError } from '../status';
import { compareGoStrings } from './go-format';
import { SelectorError } from './label-requirement';

export interface FieldRequirement {
  readonly field: string;
  /** selection.Equals ('=' and '==' both) or selection.NotEquals. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Maps a (field, value) pair to another, or throws (Scheme.ConvertFieldLabel). */
export type FieldTransform = (field: string, value: string) => readonly [string, string];

export interface FieldSelector {
  /** True when every term holds; `fields[f]` missing counts as ''. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** True when the selector has no terms. */
  empty(): boolean;
  /** Terms as `f=v` / `f!=v` with values escaped, joined by ','. */
  toString(): string;
  readonly requirements: readonly FieldRequirement[];
  /** The value an `f=v` term requires of `field` (first such term), for indexing; undefined if none. */
  requiresExactMatch(field: string): string | undefined;
  /** Selector.Transform: every term through `fn`; a term mapped to ('', '') is dropped. */
  transform(fn: FieldTransform): FieldSelector;
}

/** fields.EscapeValue */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue; throws SelectorError with upstream's text. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v: its code point in decimal.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

class Terms implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  private text: string | undefined;

  constructor(reqs: FieldRequirement[]) {
    this.requirements = Object.freeze(reqs);
  }

  matches(fields: Readonly<Record<string, string>>): boolean {
    const rs = this.requirements;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      const v = hasOwn(fields, r.field) ? fields[r.field] : '';
      if ((v === r.value) !== (r.operator === '=')) return false;
    }
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    if (this.text === undefined) {
      this.text = this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
    }
    return this.text;
  }

  requiresExactMatch(field: string): string | undefined {
    for (const r of this.requirements) if (r.operator === '=' && r.field === field) return r.value;
    return undefined;
  }

  transform(fn: FieldTransform): FieldSelector {
    const out: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field === '' && value === '') continue;
      out.push(Object.freeze({ field, operator: r.operator, value }));
    }
    return new Terms(out);
  }
}

const EVERYTHING: FieldSelector = new Terms([]);

/** fields.Everything() */
export function everythingFields(): FieldSelector {
  return EVERYTHING;
}

/** fields.SelectorFromSet / OneTermEqualSelector: `f=v` for each entry. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  return new Terms(Object.keys(set).map((field) => Object.freeze({ field, operator: '=' as const, value: set[field] })));
}

/** splitTerms: split on commas that are not escaped; the backslashes stay in the terms. */
function splitTerms(s: string): string[] {
  if (!s) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** fields.ParseSelector; throws SelectorError with upstream's text. */
export function parseFieldSelectorOrThrow(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(compareGoStrings);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    // The first operator occurrence splits the term; at one position '!=' beats '==' beats '='.
    let at = -1;
    let op = '';
    for (let i = 0; i < part.length && at < 0; i++) {
      if (part.startsWith('!=', i)) op = '!=';
      else if (part.startsWith('==', i)) op = '==';
      else if (part[i] === '=') op = '=';
      else continue;
      at = i;
    }
    if (at < 0) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(part.slice(at + op.length));
    reqs.push(Object.freeze({ field: part.slice(0, at), operator: op === '!=' ? '!=' : '=', value }));
  }
  return reqs.length ? new Terms(reqs) : EVERYTHING;
}

/** fields.ParseSelector as the API server applies it to `?fieldSelector=`: failures are 400 BadRequest. */
export function parseFieldSelector(selector: string): FieldSelector {
  try {
    return parseFieldSelectorOrThrow(selector);
  } catch (e) {
    if (e instanceof SelectorError) throw StatusError.badRequest(e.message);
    throw e;
  }
}
