/**
 * Go's time.Parse for the two layouts metav1 decodes (Time: RFC3339, MicroTime: RFC3339Micro), element by element, so
 * a bad timestamp fails with Go's own words:
 *   `parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"`
 *   `parsing time "2024-13-01T00:00:00Z": month out of range`
 * RFC3339 accepts fractional seconds although its layout has none (as Go does); RFC3339Micro needs exactly six.
 * Returns undefined when the value parses.
 */

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Elem = { lit: string } | { std: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'frac6' | 'zone'; text: string };

const ELEMS: Record<string, Elem[]> = {
  [RFC3339]: layoutElems(false),
  [RFC3339_MICRO]: layoutElems(true),
};

function layoutElems(micro: boolean): Elem[] {
  const e: Elem[] = [
    { std: 'year', text: '2006' },
    { lit: '-' },
    { std: 'month', text: '01' },
    { lit: '-' },
    { std: 'day', text: '02' },
    { lit: 'T' },
    { std: 'hour', text: '15' },
    { lit: ':' },
    { std: 'minute', text: '04' },
    { lit: ':' },
    { std: 'second', text: '05' },
  ];
  if (micro) e.push({ std: 'frac6', text: '.000000' });
  e.push({ std: 'zone', text: 'Z07:00' });
  return e;
}

const quote = (s: string): string => JSON.stringify(s);
const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const FAST: Record<string, RegExp> = {
  [RFC3339]: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2})$/,
  [RFC3339_MICRO]: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})[.,]\d{6}(?:Z|[+-]\d{2}:\d{2})$/,
};

/** The common case, without allocating: a well-formed timestamp with in-range fields. */
function fastValid(layout: string, value: string): boolean {
  const m = FAST[layout]?.exec(value);
  if (!m) return false;
  const month = +m[2];
  return month >= 1 && month <= 12 && +m[3] >= 1 && +m[3] <= daysIn(month, +m[1]) && +m[4] < 24 && +m[5] < 60 && +m[6] < 60 && !/[+-](2[5-9]|[3-9]\d):|:(6[1-9]|[7-9]\d)$/.test(value.slice(19));
}

export function goTimeParseError(layout: string, value: string): string | undefined {
  if (fastValid(layout, value)) return undefined;
  const elems = ELEMS[layout];
  const cannot = (valueElem: string, layoutElem: string): string => `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`;
  const outOfRange = (what: string): string => `parsing time ${quote(value)}: ${what} out of range`;
  let rest = value;
  let year = 0;
  let month = 1;
  let day = 1;
  for (const el of elems) {
    if ('lit' in el) {
      if (!rest.startsWith(el.lit)) return cannot(rest, el.lit);
      rest = rest.slice(el.lit.length);
      continue;
    }
    const hold = rest;
    let n: [number, string] | undefined;
    let range = '';
    switch (el.std) {
      case 'year':
        if (rest.length < 4 || !/^[0-9]{4}/.test(rest)) return cannot(hold, el.text);
        year = Number(rest.slice(0, 4));
        rest = rest.slice(4);
        continue;
      case 'month':
        n = getnum(rest, true);
        if (n && (n[0] < 1 || n[0] > 12)) range = 'month';
        if (n) month = n[0];
        break;
      case 'day':
        n = getnum(rest, true);
        if (n) day = n[0];
        break;
      case 'hour':
        n = getnum(rest, false);
        if (n && n[0] >= 24) range = 'hour';
        break;
      case 'minute':
        n = getnum(rest, true);
        if (n && n[0] >= 60) range = 'minute';
        break;
      case 'second':
        n = getnum(rest, true);
        if (n && n[0] >= 60) range = 'second';
        // A fraction the layout does not mention is still accepted.
        if (n && layout === RFC3339 && /^[.,][0-9]/.test(n[1])) n = [n[0], n[1].replace(/^[.,][0-9]+/, '')];
        break;
      case 'frac6':
        n = /^[.,][0-9]{6}/.test(rest) ? [0, rest.slice(7)] : undefined;
        break;
      case 'zone':
        if (rest.startsWith('Z')) n = [0, rest.slice(1)];
        else if (/^[+-][0-9]{2}:[0-9]{2}/.test(rest)) {
          if (Number(rest.slice(4, 6)) > 60) range = 'time zone offset minute';
          if (Number(rest.slice(1, 3)) > 24) range = 'time zone offset hour';
          n = [0, rest.slice(6)];
        }
        break;
    }
    if (range) return outOfRange(range);
    if (!n) return cannot(hold, el.text);
    rest = n[1];
  }
  if (rest) return `parsing time ${quote(value)}: extra text: ${quote(rest)}`;
  if (day < 1 || day > daysIn(month, year)) return outOfRange('day');
  return undefined;
}
