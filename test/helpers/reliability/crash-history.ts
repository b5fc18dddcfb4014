/**
 * The crash scenario's bookkeeping and its checker (pure; no I/O). The test process is never killed, so it remembers
 * per object every write it sent — the `data` that write leads to (null for a delete) — and how it ended: `acked` (a
 * 2xx answer, with the returned resourceVersion), `rejected` (a 4xx answer: not applied) or `unknown` (no answer or a
 * 5xx: in flight when the cluster was killed, so it may or may not have been applied).
 *
 * `checkObjects` compares what the restarted cluster serves with those histories and returns readable violations:
 * - lost: an acknowledged write is not what the object shows (absent, rolled back, another resourceVersion, or an
 *   acked delete undone), and no later write (acked, or the unacknowledged one in flight) explains the state;
 * - halfDone: the object's data equals no write that was ever sent (nor the state the round started from);
 * - duplicates: a LIST names an object twice;
 * - inconsistent: LIST and GET disagree, an object's resourceVersion is above the LIST's, or the store revision went
 *   below the highest acknowledged resourceVersion (resourceVersions went backwards).
 */
import { isDeepStrictEqual } from 'node:util';

export type Data = Record<string, string>;

/** An object as served: its resourceVersion and data; null when it does not exist. */
export type Observed = { rv: string; data: Data } | null;

export type Outcome = 'acked' | 'rejected' | 'unknown';

export interface Write {
  /** The unique write id (also carried in the object's data as `wid`, except for deletes). */
  wid: string;
  verb: 'create' | 'update' | 'merge-patch' | 'strategic-patch' | 'delete';
  /** The data this write leads to; null for a delete. */
  intended: Data | null;
  outcome: Outcome;
  /** The resourceVersion of an acknowledged create/update/patch. */
  rv?: string;
  /** Why a write was rejected or is unknown (status and message, or the socket error). */
  detail?: string;
}

export interface ObjectHistory {
  /** `<resource>/<name>`, e.g. `configmaps/c03-1`. */
  key: string;
  /** The state verified when the round started. */
  base: Observed;
  writes: Write[];
}

export interface ObjectViolations {
  /** Not a violation: how many unacknowledged writes (in flight at the kill) turned out applied. */
  unackedApplied: number;
  lost: string[];
  halfDone: string[];
  duplicates: string[];
  inconsistent: string[];
}

/** A state the object may legally be in: exactly (data and rv), or data with any rv above `above` (a write in flight). */
interface Allowed {
  data: Data | null;
  rv?: string;
  above?: bigint;
  why: string;
}

const big = (rv: string | undefined): bigint => {
  try {
    return rv === undefined || rv === '' ? 0n : BigInt(rv);
  } catch {
    return -1n;
  }
};

const show = (o: Observed): string => (o === null ? 'absent' : `rv ${o.rv} wid ${o.data.wid ?? '(none)'}`);

/** The states that the history allows after the restart. */
export function allowedStates(h: ObjectHistory): Allowed[] {
  let allowed: Allowed[] = [{ data: h.base?.data ?? null, rv: h.base?.rv, why: 'the state the round started from' }];
  let lastRv = big(h.base?.rv);
  for (const w of h.writes) {
    if (w.outcome === 'acked') {
      allowed = [{ data: w.intended, rv: w.intended === null ? undefined : w.rv, why: `acked ${w.verb} ${w.wid}` }];
      if (w.rv) lastRv = big(w.rv);
    } else if (w.outcome === 'unknown') {
      allowed = [...allowed, { data: w.intended, above: lastRv, why: `unacked ${w.verb} ${w.wid}` }];
    }
  }
  return allowed;
}

function matches(a: Allowed, o: Observed): boolean {
  if (a.data === null || o === null) return a.data === null && o === null;
  if (!isDeepStrictEqual(a.data, o.data)) return false;
  if (a.rv !== undefined) return a.rv === o.rv;
  return a.above === undefined || big(o.rv) > a.above;
}

/** Why `o` is not allowed: a lost acknowledged write, or data no write ever sent (half-done). */
function classify(h: ObjectHistory, allowed: Allowed[], o: Observed, v: ObjectViolations): void {
  const expected = allowed.map((a) => (a.data === null ? `absent (${a.why})` : `${a.why}${a.rv ? ` at rv ${a.rv}` : ''}`)).join(' or ');
  const sent = [h.base?.data, ...h.writes.map((w) => w.intended)].filter((d): d is Data => !!d);
  if (o !== null && !sent.some((d) => isDeepStrictEqual(d, o.data))) {
    v.halfDone.push(`${h.key}: shows data no write sent (${show(o)}, keys ${Object.keys(o.data).sort().join(',')}); expected ${expected}`);
    return;
  }
  v.lost.push(`${h.key}: shows ${show(o)}; expected ${expected}`);
}

export interface Served {
  /** The names (as `<resource>/<name>`) a LIST returned, in order, duplicates included. */
  listed: string[];
  /** The state per key as the LIST showed it (the first occurrence). */
  fromList: Map<string, Observed>;
  /** The state per key as a GET showed it. */
  fromGet: Map<string, Observed>;
  /** The LIST's resourceVersion (the store revision it was served at). */
  listRv: string;
}

/** Checks every history against what the restarted cluster serves; see the file comment. */
export function checkObjects(histories: ObjectHistory[], served: Served): ObjectViolations {
  const v: ObjectViolations = { unackedApplied: 0, lost: [], halfDone: [], duplicates: [], inconsistent: [] };
  const counts = new Map<string, number>();
  for (const k of served.listed) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const [k, n] of counts) if (n > 1) v.duplicates.push(`${k}: listed ${n} times`);
  const listRv = big(served.listRv);
  let maxAcked = 0n;
  for (const h of histories) {
    for (const w of h.writes) if (w.outcome === 'acked' && big(w.rv) > maxAcked) maxAcked = big(w.rv);
    const got = served.fromGet.get(h.key) ?? null;
    const listed = served.fromList.get(h.key) ?? null;
    if (!isDeepStrictEqual(got, listed)) v.inconsistent.push(`${h.key}: LIST shows ${show(listed)} but GET shows ${show(got)}`);
    if (got && big(got.rv) > listRv) v.inconsistent.push(`${h.key}: rv ${got.rv} is above the LIST's resourceVersion ${served.listRv}`);
    const allowed = allowedStates(h);
    const match = allowed.find((a) => matches(a, got));
    if (!match) classify(h, allowed, got, v);
    else if (match.above !== undefined && !allowed.some((a) => a.above === undefined && matches(a, got))) v.unackedApplied++;
  }
  if (listRv < maxAcked) v.inconsistent.push(`the store revision ${served.listRv} after the restart is below the highest acknowledged resourceVersion ${maxAcked}`);
  return v;
}

/** How many writes ended acked, rejected and unknown. */
export function countOutcomes(histories: ObjectHistory[]): Record<Outcome, number> {
  const n: Record<Outcome, number> = { acked: 0, rejected: 0, unknown: 0 };
  for (const h of histories) for (const w of h.writes) n[w.outcome]++;
  return n;
}
