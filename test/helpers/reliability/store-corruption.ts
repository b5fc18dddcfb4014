/**
 * The store's files under random corruption (issue 11, Bad input): a known history (puts, deletes, multi-key
 * transactions, leases granted and revoked, a compaction) is written into a sql.js store, once with the WAL alone
 * and once with snapshots taken along the way; then, case after case, a copy of that directory gets random damage
 * (store-damage.ts) and is reopened.
 *
 * What must hold (each breach is a violation string naming the case, its damage and what was wrong):
 * - the open fails with a StoreError naming a file of the directory and a byte offset, and changes no file; or
 * - it succeeds and the store's state is the state at some point of the known history: same revision, compaction
 *   revision and every key's value, create/mod revision, version and lease; reads at older revisions (down to the
 *   compaction point) return what was there then; a write after it gets the next revision and survives a reopen.
 * Never wrong data. Returns figures, no asserts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { SqlJsStore } from '../../../src/storage/sqljs';
import { StoreError, type KeyValue } from '../../../src/storage/store';
import { dirState, openTestStore, removeDir, tempDir } from '../sqljs';
import { applyDamage, damageArb, dataFiles, type Damage } from './store-damage';

export interface StoreCorruptionOptions {
  /** Corrupted directories to reopen. */
  corruptions: number;
  seed?: number;
  /** Revisions in the known history (default 60). */
  revisions?: number;
  onProgress?: (done: number, total: number) => void;
  /** Instead of random damage, this (a negative control plants a wrong record); returns what it did. */
  plant?: (dir: string) => string;
}

export interface StoreCorruptionResult {
  corruptions: number;
  /** Opens refused with a StoreError naming file and offset, no file changed. */
  cleanFailures: number;
  /** Opens that succeeded with the state of some point of the history. */
  recoveries: number;
  /** … of which the whole history (nothing lost). */
  fullRecoveries: number;
  /** Recoveries to an earlier point (acknowledged writes dropped with the damage), a few described. */
  partialExamples: string[];
  wrongDataOpens: number;
  unclearFailures: number;
  filesChangedOnFailure: number;
  byKind: Record<string, { tried: number; failed: number; recovered: number }>;
  violations: string[];
  ms: number;
}

interface Point {
  rev: number;
  compactRev: number;
  kvs: KeyValue[];
}

const ALL = { key: '\0', end: '\0' };

async function stateOf(store: SqlJsStore, revision?: number): Promise<KeyValue[]> {
  return (await store.range(ALL, revision ? { revision } : undefined)).kvs;
}

/** Write the known history; returns every point it passed through (one per acknowledged request). */
async function writeHistory(dir: string, revisions: number, snapshots: boolean, seed: number): Promise<Point[]> {
  const rnd = fc.sample(fc.array(fc.nat(1_000_000), { minLength: revisions * 4, maxLength: revisions * 4 }), { seed, numRuns: 1 })[0];
  let r = 0;
  const next = (n: number) => rnd[r++ % rnd.length] % n;
  const store = await openTestStore(dir);
  const points: Point[] = [];
  const record = async () => points.push({ rev: await store.revision(), compactRev: await store.compactRevision(), kvs: await stateOf(store) });
  try {
    await record();
    const leases: string[] = [];
    while ((await store.revision()) < revisions) {
      const key = `/registry/k/${next(12)}`;
      const op = next(10);
      if (op < 5) await store.put(key, `v${r}-${'x'.repeat(next(300))}`, leases.length && next(3) === 0 ? { lease: leases[next(leases.length)] } : undefined);
      else if (op < 7) await store.delete({ key });
      else if (op < 8) await store.txn({ compare: [], success: [0, 1, 2].map((i) => ({ type: 'put' as const, key: `${key}/${i}`, value: `t${r}` })), failure: [] });
      else if (op < 9) leases.push((await store.leaseGrant(3600)).id);
      else if (leases.length) await store.leaseRevoke(leases.splice(next(leases.length), 1)[0]);
      await record();
      const rev = await store.revision();
      if (rev === Math.floor(revisions / 2) && (await store.compactRevision()) === 0) {
        await store.compact(rev - Math.floor(revisions / 4));
        await record();
      }
      if (snapshots && points.length % Math.ceil(revisions / 3) === 0) await store.snapshot();
    }
  } finally {
    await store.close();
  }
  return points;
}

/** Check a successfully opened store against the history; returns what is wrong (empty when right). */
async function check(store: SqlJsStore, points: Point[], byRev: Map<number, KeyValue[]>): Promise<{ wrong: string[]; point?: Point }> {
  const rev = await store.revision();
  const compactRev = await store.compactRevision();
  const kvs = await stateOf(store);
  const point = points.find((p) => p.rev === rev && p.compactRev === compactRev && isDeepStrictEqual(p.kvs, kvs));
  if (!point) {
    const same = points.find((p) => p.rev === rev);
    const diff = same ? kvs.filter((kv) => !same.kvs.some((k) => isDeepStrictEqual(k, kv))).map((kv) => `${kv.key}@${kv.modRevision}`).slice(0, 4) : [];
    return { wrong: [`state at revision ${rev} (compacted at ${compactRev}, ${kvs.length} keys) is no point of the history${diff.length ? `; unknown: ${diff.join(', ')}` : ''}`] };
  }
  const wrong: string[] = [];
  for (let r = Math.max(compactRev, 2); r < rev; r++) {
    const want = byRev.get(r);
    if (want && !isDeepStrictEqual(await stateOf(store, r), want)) wrong.push(`a read at revision ${r} differs from what was written`);
  }
  return { wrong, point };
}

export async function runStoreCorruption(o: StoreCorruptionOptions): Promise<StoreCorruptionResult> {
  const started = Date.now();
  const seed = o.seed ?? 11;
  const revisions = o.revisions ?? 60;
  const result: StoreCorruptionResult = { corruptions: 0, cleanFailures: 0, recoveries: 0, fullRecoveries: 0, partialExamples: [], wrongDataOpens: 0, unclearFailures: 0, filesChangedOnFailure: 0, byKind: {}, violations: [], ms: 0 };
  const goldens: { dir: string; points: Point[]; byRev: Map<number, KeyValue[]>; name: string }[] = [];
  try {
    for (const snapshots of [false, true]) {
      const dir = tempDir('kubelab-corrupt-golden-');
      const points = await writeHistory(dir, revisions, snapshots, seed);
      const byRev = new Map(points.map((p) => [p.rev, p.kvs]));
      goldens.push({ dir, points, byRev, name: snapshots ? 'snapshots+WAL' : 'WAL only' });
    }
    const cases = fc.sample(fc.record({ golden: fc.nat(1), damage: fc.array(damageArb, { minLength: 1, maxLength: 2 }) }), { seed, numRuns: o.corruptions });
    for (const [n, c] of cases.entries()) {
      const g = goldens[c.golden];
      const dir = tempDir('kubelab-corrupt-');
      try {
        fs.cpSync(g.dir, dir, { recursive: true });
        const did = o.plant ? o.plant(dir) : c.damage.map((d: Damage) => applyDamage(dir, d)).join(' + ');
        const kinds = (o.plant ? ['planted'] : [...new Set(c.damage.map((d) => d.kind))]).map((kind) => (result.byKind[kind] ??= { tried: 0, failed: 0, recovered: 0 }));
        for (const k of kinds) k.tried++;
        result.corruptions++;
        const outcome = await oneCase(dir, g, `case ${n} (${g.name}; ${did})`, result);
        for (const k of kinds) if (outcome !== 'bad') k[outcome]++;
      } finally {
        removeDir(dir);
      }
      o.onProgress?.(n + 1, cases.length);
    }
  } finally {
    for (const g of goldens) removeDir(g.dir);
  }
  result.ms = Date.now() - started;
  return result;
}

async function oneCase(dir: string, g: { points: Point[]; byRev: Map<number, KeyValue[]> }, label: string, result: StoreCorruptionResult): Promise<'failed' | 'recovered' | 'bad'> {
  const before = dirState(dir);
  let store: SqlJsStore | undefined;
  try {
    store = await openTestStore(dir);
  } catch (e) {
    const files = dataFiles(dir).map((f) => path.join(dir, f));
    const msg = e instanceof Error ? e.message : String(e);
    const clear = e instanceof StoreError && files.some((f) => msg.includes(f)) && /offset \d+/.test(msg);
    if (!clear) {
      result.unclearFailures++;
      result.violations.push(`${label}: unclear open failure: ${e instanceof StoreError ? `StoreError(${e.code})` : String((e as Error)?.name)}: ${msg}`);
    }
    if (!isDeepStrictEqual(dirState(dir), before)) {
      result.filesChangedOnFailure++;
      result.violations.push(`${label}: the failed open changed files`);
    }
    if (clear && isDeepStrictEqual(dirState(dir), before)) {
      result.cleanFailures++;
      return 'failed';
    }
    return 'bad';
  }
  try {
    const { wrong, point } = await check(store, g.points, g.byRev);
    if (wrong.length || !point) {
      result.wrongDataOpens++;
      result.violations.push(`${label}: WRONG DATA: ${wrong.join('; ')}`);
      return 'bad';
    }
    // The store carries on: the next write gets the next revision and survives a reopen.
    const put = await store.put('/registry/after', 'x');
    await store.close();
    store = await openTestStore(dir);
    const again = await stateOf(store);
    const want = [...point.kvs, { key: '/registry/after', value: 'x', createRevision: point.rev + 1, modRevision: point.rev + 1, version: 1, lease: '0' }].sort((a, b) => (a.key < b.key ? -1 : 1));
    if (put.revision !== point.rev + 1 || (await store.revision()) !== point.rev + 1 || !isDeepStrictEqual(again, want)) {
      result.wrongDataOpens++;
      result.violations.push(`${label}: after recovering revision ${point.rev}, a write got revision ${put.revision} and the reopened store holds ${again.length} keys at revision ${await store.revision()}`);
      return 'bad';
    }
    result.recoveries++;
    const last = g.points[g.points.length - 1];
    if (point === last) result.fullRecoveries++;
    else if (result.partialExamples.length < 12) result.partialExamples.push(`${label}: revision ${point.rev} of ${last.rev}`);
    return 'recovered';
  } catch (e) {
    result.violations.push(`${label}: a read or write after a successful open failed: ${(e as Error).message}`);
    return 'bad';
  } finally {
    await store.close().catch(() => undefined);
  }
}
