/**
 * Resource-list arithmetic as apimachinery's resource.Quantity and apiserver's quota helpers (quota/v1 resources.go)
 * do it: sums whose zero operand takes the other operand's format (so `0` + `512Mi` prints `512Mi`, as upstream's
 * Quantity.Add does), masks, LessThanOrEqual with the exceeded names, SubtractWithNonNegativeResult and the
 * `name=value,…` form quota errors print. A ResourceList is a Map (insertion order kept); quantities print as
 * upstream prints them (`Quantity.toString()`: `512Mi`, `1`, `500m`).
 */
import { Quantity, tryParseQuantity } from './quantity';

export type ResourceList = Map<string, Quantity>;

/** upstream Quantity.Add: the sum; a zero left operand takes the right operand's format. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return a.isZero() ? b.add(a) : a.add(b);
}

/** upstream Quantity.Sub: the difference; a zero left operand takes the right operand's format. */
export function subQuantities(a: Quantity, b: Quantity): Quantity {
  return a.isZero() ? b.neg().add(a) : a.sub(b);
}

/** A ResourceList from JSON (`{cpu: "500m", memory: "1Gi"}`); values that do not parse are left out. */
export function parseResourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    const q = tryParseQuantity(raw);
    if (q) out.set(k, q);
  }
  return out;
}

/** Parsed resource lists of frozen maps (watch-cache objects, never mutated). */
const parsedFrozen = new WeakMap<object, ResourceList>();

/**
 * parseResourceList, remembered for frozen maps (a LimitRange's or ResourceQuota's lists are parsed once, not per
 * request); other values are parsed every time. Callers must not modify the returned list.
 */
export function parseFrozenResourceList(v: unknown): ResourceList {
  if (!v || typeof v !== 'object' || !Object.isFrozen(v)) return parseResourceList(v);
  let list = parsedFrozen.get(v);
  if (!list) parsedFrozen.set(v, (list = parseResourceList(v)));
  return list;
}

/** Remembers `list` as the parsed form of the frozen map `frozen` (which must format it exactly). */
export function rememberParsed(frozen: Readonly<Record<string, string>>, list: ResourceList): void {
  parsedFrozen.set(frozen, list);
}

/** The JSON form of a ResourceList. */
export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, q] of list) out[k] = q.toString();
  return out;
}

/** quota.Add: every key of either list; keys in both are summed. */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, q] of a) {
    const other = b.get(k);
    out.set(k, other ? addQuantities(q, other) : q);
  }
  for (const [k, q] of b) if (!out.has(k)) out.set(k, q);
  return out;
}

/** quota.SubtractWithNonNegativeResult: a − b per key of a (keys only in b become 0); negative results become 0. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const zero = Quantity.parse('0');
  const out: ResourceList = new Map();
  for (const [k, q] of a) {
    const other = b.get(k);
    const diff = other ? subQuantities(q, other) : q;
    out.set(k, diff.sign() > 0 ? diff : zero);
  }
  for (const k of b.keys()) if (!out.has(k)) out.set(k, zero);
  return out;
}

/** quota.Mask: only the named keys. */
export function maskList(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const k of names) {
    const q = list.get(k);
    if (q) out.set(k, q);
  }
  return out;
}

/** quota.LessThanOrEqual: whether every key of `b` that `a` also has is ≥ a's value; the names where it is not. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [k, limit] of b) {
    const v = a.get(k);
    if (v && v.cmp(limit) > 0) exceeded.push(k);
  }
  return { ok: exceeded.length === 0, exceeded };
}

/** quota.IsZero: every value is zero (an empty list is zero). */
export function isZeroList(list: ResourceList): boolean {
  for (const q of list.values()) if (!q.isZero()) return false;
  return true;
}

/** quota.IsNegative: the names whose value is below zero. */
export function negativeNames(list: ResourceList): string[] {
  return [...list].filter(([, q]) => q.sign() < 0).map(([k]) => k);
}

/** quota.Equals: same keys, equal values. */
export function listsEqual(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [k, q] of a) {
    const other = b.get(k);
    if (!other || !other.equals(q)) return false;
  }
  return true;
}

/** The ResourceQuota plugin's prettyPrint: `key=value` sorted by key, joined by `,`. */
export function prettyPrintList(list: ResourceList): string {
  return [...list.keys()]
    .sort(compareBytes)
    .map((k) => `${k}=${list.get(k)!.toString()}`)
    .join(',');
}

/** Go's sort.Strings order (byte order; the same as UTF-16 order for the ASCII names used here). */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** addResourceList: adds `add` into `into` in place (a key new to `into` is copied). */
export function addInto(into: ResourceList, add: ResourceList): void {
  for (const [k, q] of add) {
    const have = into.get(k);
    into.set(k, have ? addQuantities(have, q) : q);
  }
}

/** maxResourceList: for every key of `other`, `into` keeps the greater value, in place. */
export function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [k, q] of other) {
    const have = into.get(k);
    if (!have || q.cmp(have) > 0) into.set(k, q);
  }
}
