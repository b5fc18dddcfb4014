/**
 * Everything observable about a store, through the Store interface only: revisions, the latest state, the state at
 * every revision still in history, the replayed event history, and the given leases. Two dumps are equal when the
 * stores cannot be told apart.
 */
import * as assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { KeySelector, KeyValue, LeaseId, LeaseTimeToLive, Store, WatchEvent } from '../../src/storage/store';
import { clean, WatchRecorder } from './store-assert';

const ALL: KeySelector = { key: '\0', end: '\0' };

export interface StoreDump {
  revision: number;
  compactRevision: number;
  latest: KeyValue[];
  /** history[i] = every live kv at revision compactRevision + i (or 1 + i when nothing was compacted). */
  history: KeyValue[][];
  events: WatchEvent[];
  leases: Omit<LeaseTimeToLive, 'ttl'>[];
}

export async function dumpStore(store: Store, leaseIds: LeaseId[] = []): Promise<StoreDump> {
  const revision = await store.revision();
  const compactRevision = await store.compactRevision();
  const latest = (await store.range(ALL)).kvs;
  const history: KeyValue[][] = [];
  for (let r = Math.max(1, compactRevision); r <= revision; r++) history.push((await store.range(ALL, { revision: r })).kvs);
  const rec = new WatchRecorder();
  let events: WatchEvent[] = [];
  if (compactRevision + 1 <= revision) {
    const w = store.watch(ALL, { startRevision: compactRevision + 1, prevKv: true }, rec);
    await rec.waitRevision(revision, 10_000);
    w.cancel();
    rec.assertHealthy();
    events = rec.events;
  }
  const leases: Omit<LeaseTimeToLive, 'ttl'>[] = [];
  for (const id of leaseIds) {
    const { ttl, ...rest } = await store.leaseTimeToLive(id, true);
    leases.push({ ...rest, grantedTtl: ttl < 0 ? -1 : rest.grantedTtl });
  }
  return clean({ revision, compactRevision, latest, history, events, leases });
}

/** Compare two dumps part by part, reporting the first difference compactly. */
export function assertSameDump(actual: StoreDump, expected: StoreDump, what = 'store'): void {
  const fail = (part: string, a: unknown, e: unknown) => {
    throw new assert.AssertionError({ message: `${what}: ${part} differs:\n  got      ${JSON.stringify(a)}\n  expected ${JSON.stringify(e)}`, actual: a, expected: e, operator: 'deepStrictEqual' });
  };
  for (const k of ['revision', 'compactRevision'] as const) if (actual[k] !== expected[k]) fail(k, actual[k], expected[k]);
  const list = (part: string, a: unknown[], e: unknown[]) => {
    for (let i = 0; i < Math.max(a.length, e.length); i++) {
      if (!isDeepStrictEqual(a[i], e[i])) fail(`${part}[${i}]`, a[i], e[i]);
    }
  };
  list('latest', actual.latest, expected.latest);
  for (let i = 0; i < Math.max(actual.history.length, expected.history.length); i++) {
    list(`state at revision ${Math.max(1, expected.compactRevision) + i}`, actual.history[i] ?? [], expected.history[i] ?? []);
    if (!actual.history[i] !== !expected.history[i]) fail(`history length`, actual.history.length, expected.history.length);
  }
  list('events', actual.events, expected.events);
  list('leases', actual.leases, expected.leases);
}
