/**
 * Model-based property test: random sequences of put / delete / txn (with compares) / compact / range at past
 * revisions / watch / leases / concurrent bursts / close+reopen run against the sql.js store and against the tiny
 * etcd model in test/helpers/model.ts (itself checked by the conformance suite). Every result — revisions, kvs,
 * prevKvs, counts, succeeded flags, error codes — and every watch event must be the same.
 *
 * Reproduce a failure with FC_SEED=<seed> (and FC_PATH=<path>) from the failure report.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../../src/base/clock';
import type { SqlJsStore } from '../../../src/storage/sqljs';
import {
  MAX_REQUEST_BYTES,
  MAX_TXN_OPS,
  StoreError,
  type Compare,
  type KeySelector,
  type TxnOp,
  type TxnRequest,
  type Watcher,
} from '../../../src/storage/store';
import { MvccModel, selMatches, type ModelEvent } from '../../helpers/model';
import { openTestStore, removeDir, tempDir } from '../../helpers/sqljs';
import { clean, WatchRecorder } from '../../helpers/store-assert';
import { waitFor } from '../../helpers/wait';

const KEYS = ['a', 'a/x', 'a/y', 'a/z', 'b', 'b/x', 'c/x', 'c/y'];
/** Compares also look at keys that are never written. */
const COMPARE_KEYS = [...KEYS, 'a/q', 'zz'];
const SELS: KeySelector[] = [
  { key: 'a' },
  { key: 'a/x' },
  { key: 'b' },
  { key: 'zz' },
  { key: 'a/', prefix: true },
  { key: 'a', prefix: true },
  { key: 'b', prefix: true },
  { key: 'c/', prefix: true },
  { key: 'a/y', end: 'b/x' },
  { key: 'a/z', end: '\0' },
  { key: '\0', end: '\0' },
];
const VALUES = ['', 'v', 'w', 'é✓ ünï', 'x'.repeat(300), '0', 'zz'];
const TARGETS: Compare['target'][] = ['value', 'version', 'createRevision', 'modRevision', 'lease'];
const OPS: Compare['op'][] = ['=', '!=', '<', '>'];

// ---- abstract operations (resolved against the model when they run) ---------------------------------------------

type AOp =
  | { t: 'put'; k: number; v: number; prevKv: boolean; lease: number | null }
  | { t: 'del'; s: number; prevKv: boolean }
  | { t: 'txn'; cmps: ACmp[]; succ: ATxnOp[]; fail: ATxnOp[] }
  | { t: 'bad'; kind: 'dup' | 'dupDelete' | 'tooMany' | 'empty' | 'tooLarge' | 'lease' }
  | { t: 'compact'; back: number }
  | { t: 'range'; s: number; back: number; limit: number; keysOnly: boolean; countOnly: boolean }
  | { t: 'watch'; s: number; start: number; prevKv: boolean }
  | { t: 'cancel'; i: number }
  | { t: 'grant'; ttl: number; explicit: boolean }
  | { t: 'revoke'; i: number }
  | { t: 'keepAlive'; i: number }
  | { t: 'ttl'; i: number; withKeys: boolean }
  | { t: 'burst'; puts: { k: number; v: number }[] }
  | { t: 'reopen' };
type ACmp = { k: number; range: boolean; target: number; op: number; n: number };
type ATxnOp =
  | { t: 'put'; k: number; v: number; prevKv: boolean; lease: boolean }
  | { t: 'del'; s: number; prevKv: boolean }
  | { t: 'range'; s: number; limit: number; keysOnly: boolean; countOnly: boolean };

const key = fc.nat(KEYS.length - 1);
const sel = fc.nat(SELS.length - 1);
const val = fc.nat(VALUES.length + 5);
const txnOp: fc.Arbitrary<ATxnOp> = fc.oneof(
  fc.record({ t: fc.constant('put' as const), k: key, v: val, prevKv: fc.boolean(), lease: fc.boolean() }),
  fc.record({ t: fc.constant('del' as const), s: sel, prevKv: fc.boolean() }),
  fc.record({ t: fc.constant('range' as const), s: sel, limit: fc.nat(3), keysOnly: fc.boolean(), countOnly: fc.boolean() }),
);
const aop: fc.Arbitrary<AOp> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('put' as const), k: key, v: val, prevKv: fc.boolean(), lease: fc.option(fc.nat(4), { freq: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), s: sel, prevKv: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('txn' as const),
      cmps: fc.array(fc.record({ k: fc.nat(COMPARE_KEYS.length - 1), range: fc.boolean(), target: fc.nat(TARGETS.length - 1), op: fc.nat(OPS.length - 1), n: fc.nat(7) }), { maxLength: 3 }),
      succ: fc.array(txnOp, { maxLength: 4 }),
      fail: fc.array(txnOp, { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('bad' as const), kind: fc.constantFrom('dup' as const, 'dupDelete' as const, 'tooMany' as const, 'empty' as const, 'tooLarge' as const, 'lease' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('compact' as const), back: fc.integer({ min: -1, max: 8 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('range' as const), s: sel, back: fc.integer({ min: -1, max: 10 }), limit: fc.nat(3), keysOnly: fc.boolean(), countOnly: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('watch' as const), s: sel, start: fc.integer({ min: -1, max: 12 }), prevKv: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), i: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('grant' as const), ttl: fc.integer({ min: 10, max: 1000 }), explicit: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('revoke' as const), i: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('keepAlive' as const), i: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('ttl' as const), i: fc.nat(5), withKeys: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('burst' as const), puts: fc.array(fc.record({ k: key, v: val }), { minLength: 2, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reopen' as const) }) },
);

// ---- running a sequence -----------------------------------------------------------------------------------------

type Outcome<T> = { ok: T } | { err: { code: string; compactRevision?: number } };

async function outcome<T>(fn: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    return { err: e.compactRevision !== undefined ? { code: e.code, compactRevision: e.compactRevision } : { code: e.code } };
  }
}

/** Strip the `revision` of range results inside a txn (the contract does not pin it down). */
function stripTxnRangeRevisions<T>(o: Outcome<T>): Outcome<T> {
  if (!('ok' in o) || !o.ok || typeof o.ok !== 'object' || !('results' in o.ok)) return o;
  const r = o.ok as { results: { type: string; result?: { revision?: number } }[] };
  return { ok: { ...r, results: r.results.map((x) => (x.type === 'range' && x.result ? { ...x, result: { ...x.result, revision: 0 } } : x)) } as T };
}

interface LiveWatch {
  rec: WatchRecorder;
  watcher: Watcher;
  sel: KeySelector;
  start: number;
  prevKv: boolean;
  /** The cancel this watch must end with (when known). */
  expectCancel?: { reason: string; compactRevision?: number };
  ended: boolean;
}

class Runner {
  readonly model = new MvccModel();
  readonly clock = new FakeClock();
  store!: SqlJsStore;
  readonly watches: LiveWatch[] = [];
  readonly leaseIds: string[] = [];
  private nextExplicit = 1000;
  readonly log: string[] = [];

  constructor(readonly dir: string) {}

  /** Open the store and start a watch of every key from the oldest revision still in history. */
  async open(): Promise<void> {
    this.store = await openTestStore(this.dir, { clock: this.clock, watchBufferEvents: 100_000 });
    const start = this.model.compactRevision + 1;
    const rec = new WatchRecorder();
    const sel: KeySelector = { key: '\0', end: '\0' };
    this.watches.push({ rec, watcher: this.store.watch(sel, { startRevision: start, prevKv: true }, rec), sel, start, prevKv: true, ended: false });
  }

  private same<T>(what: string, got: Outcome<T>, want: Outcome<T>): void {
    assert.deepEqual(clean(got), clean(want), `${what}\nsteps so far:\n  ${this.log.slice(-15).join('\n  ')}`);
  }

  private valueOf(v: number): string {
    return v < VALUES.length ? VALUES[v] : `v${v}`;
  }

  private lease(i: number | null, allowUnknown: boolean): string | undefined {
    if (i === null) return undefined;
    const live = [...this.model.leases.keys()].sort();
    const choices = allowUnknown ? [...live, '999999999'] : live;
    return choices.length ? choices[i % choices.length] : undefined;
  }

  private compare(c: ACmp): Compare {
    const k = COMPARE_KEYS[c.k];
    const target = TARGETS[c.target];
    const cur = this.model.get(k);
    let value: string | number;
    switch (target) {
      case 'value':
        value = c.n < 3 && cur ? cur.value : this.valueOf(c.n);
        break;
      case 'version':
        value = c.n % 4;
        break;
      case 'lease':
        value = c.n % 2 && cur ? cur.lease : c.n % 3 ? '0' : (this.lease(c.n, false) ?? '0');
        break;
      default: {
        const base = cur ? cur[target] : this.model.revision;
        value = Math.max(0, base + (c.n % 3) - 1);
      }
    }
    return c.range ? { key: k, end: k + '\uffff', target, op: OPS[c.op], value } : { key: k, target, op: OPS[c.op], value };
  }

  /** Branch ops without duplicate writes (puts of one key, or a put inside a delete of the same branch). */
  private branch(ops: ATxnOp[]): TxnOp[] {
    const out: TxnOp[] = [];
    const puts = new Set<string>();
    const dels: KeySelector[] = [];
    for (const o of ops) {
      if (o.t === 'put') {
        const k = KEYS[o.k];
        if (puts.has(k) || dels.some((s) => selMatches(s, k))) continue;
        puts.add(k);
        const lease = o.lease ? this.lease(o.v, false) : undefined;
        out.push({ type: 'put', key: k, value: this.valueOf(o.v), ...(lease ? { lease } : {}), ...(o.prevKv ? { prevKv: true } : {}) });
      } else if (o.t === 'del') {
        const s = SELS[o.s];
        if ([...puts].some((k) => selMatches(s, k))) continue;
        dels.push(s);
        out.push({ type: 'delete', sel: s, ...(o.prevKv ? { prevKv: true } : {}) });
      } else {
        out.push({ type: 'range', sel: SELS[o.s], options: { limit: o.limit, keysOnly: o.keysOnly, countOnly: o.countOnly } });
      }
    }
    return out;
  }

  private async txn(req: TxnRequest, what: string): Promise<void> {
    const got = await outcome(() => this.store.txn(req));
    const want = await outcome(() => this.model.txn(req));
    this.same(what, stripTxnRangeRevisions(got), stripTxnRangeRevisions(want));
  }

  async step(op: AOp): Promise<void> {
    const m = this.model;
    const s = this.store;
    switch (op.t) {
      case 'put': {
        const k = KEYS[op.k];
        const v = this.valueOf(op.v);
        const lease = this.lease(op.lease, true);
        const o = { prevKv: op.prevKv, ...(lease ? { lease } : {}) };
        this.log.push(`put ${k}=${JSON.stringify(v.slice(0, 20))} ${JSON.stringify(o)}`);
        this.same('put', await outcome(() => s.put(k, v, o)), await outcome(() => m.put(k, v, o)));
        return;
      }
      case 'del': {
        this.log.push(`delete ${JSON.stringify(SELS[op.s])} prevKv=${op.prevKv}`);
        this.same('delete', await outcome(() => s.delete(SELS[op.s], { prevKv: op.prevKv })), await outcome(() => m.delete(SELS[op.s], { prevKv: op.prevKv })));
        return;
      }
      case 'txn': {
        const req: TxnRequest = { compare: op.cmps.map((c) => this.compare(c)), success: this.branch(op.succ), failure: this.branch(op.fail) };
        this.log.push(`txn ${JSON.stringify(req)}`);
        return this.txn(req, 'txn');
      }
      case 'bad': {
        const ok: TxnOp = { type: 'put', key: 'a', value: 'never' };
        const success: TxnOp[] = {
          dup: [ok, { type: 'put', key: 'b', value: '1' }, { type: 'put', key: 'b', value: '2' }] as TxnOp[],
          dupDelete: [ok, { type: 'delete', sel: { key: 'b', prefix: true } }, { type: 'put', key: 'b/x', value: '2' }] as TxnOp[],
          tooMany: Array.from({ length: MAX_TXN_OPS + 1 }, (_, i): TxnOp => ({ type: 'put', key: `m/${i}`, value: '' })),
          empty: [ok, { type: 'put', key: '', value: '1' }] as TxnOp[],
          tooLarge: [ok, { type: 'put', key: 'b', value: 'x'.repeat(MAX_REQUEST_BYTES + 1) }] as TxnOp[],
          lease: [ok, { type: 'put', key: 'b', value: '1', lease: '999999999' }] as TxnOp[],
        }[op.kind];
        this.log.push(`bad txn (${op.kind})`);
        return this.txn({ compare: [], success, failure: [] }, `invalid txn (${op.kind})`);
      }
      case 'compact': {
        await this.settle();
        const rev = Math.max(1, m.revision - op.back);
        this.log.push(`compact ${rev}`);
        this.same(`compact(${rev})`, await outcome(() => s.compact(rev)), await outcome(() => m.compact(rev)));
        this.same('compactRevision', { ok: await s.compactRevision() }, { ok: m.compactRevision });
        return;
      }
      case 'range': {
        const latest = op.back === 0;
        const revision = latest ? 0 : Math.max(1, m.revision - op.back);
        const o = { revision, limit: op.limit, keysOnly: op.keysOnly, countOnly: op.countOnly };
        this.log.push(`range ${JSON.stringify(SELS[op.s])} ${JSON.stringify(o)}`);
        const got = await outcome(() => s.range(SELS[op.s], o));
        const want = await outcome(() => m.range(SELS[op.s], o));
        if (!latest) {
          for (const x of [got, want]) if ('ok' in x) x.ok.revision = 0;
        }
        this.same(`range at ${latest ? 'latest' : revision}`, got, want);
        return;
      }
      case 'watch': {
        let start = op.start < 0 ? 0 : Math.max(1, m.revision + 1 - op.start);
        // etcd allows a watch at exactly the compaction revision but may not deliver what was compacted there.
        if (start > 0 && start === m.compactRevision) start += 1;
        const rec = new WatchRecorder();
        const watchSel = SELS[op.s];
        this.log.push(`watch ${JSON.stringify(watchSel)} start=${start} prevKv=${op.prevKv}`);
        const watcher = s.watch(watchSel, { startRevision: start, prevKv: op.prevKv }, rec);
        const compacted = start > 0 && start < m.compactRevision;
        this.watches.push({
          rec,
          watcher,
          sel: watchSel,
          start: start || m.revision + 1,
          prevKv: op.prevKv,
          ended: false,
          ...(compacted ? { expectCancel: { reason: 'compacted', compactRevision: m.compactRevision } } : {}),
        });
        return;
      }
      case 'cancel': {
        const live = this.watches.filter((w) => !w.ended && !w.expectCancel);
        if (!live.length) return;
        const w = live[op.i % live.length];
        await this.settleOne(w);
        w.watcher.cancel();
        w.ended = true;
        this.log.push(`cancel watch #${this.watches.indexOf(w)}`);
        return;
      }
      case 'grant': {
        const id = op.explicit ? String(this.nextExplicit++) : undefined;
        this.log.push(`leaseGrant ${op.ttl} ${id ?? ''}`);
        const g = await s.leaseGrant(op.ttl, id);
        if (id) assert.equal(g.id, id);
        assert.equal(g.ttl, op.ttl);
        m.leaseGrant(op.ttl, g.id, this.clock.now());
        this.leaseIds.push(g.id);
        return;
      }
      case 'revoke':
      case 'keepAlive':
      case 'ttl': {
        const id = [...this.leaseIds, '999999999'][op.i % (this.leaseIds.length + 1)];
        this.log.push(`${op.t} ${id}`);
        if (op.t === 'revoke') {
          this.same('leaseRevoke', await outcome(() => s.leaseRevoke(id)), await outcome(() => void m.leaseRevoke(id)));
          this.same('revision after revoke', { ok: await s.revision() }, { ok: m.revision });
        } else if (op.t === 'keepAlive') {
          this.same('leaseKeepAlive', await outcome(() => s.leaseKeepAlive(id)), await outcome(() => m.leaseKeepAlive(id, this.clock.now())));
        } else {
          this.same('leaseTimeToLive', await outcome(() => s.leaseTimeToLive(id, op.withKeys)), await outcome(() => m.leaseTimeToLive(id, op.withKeys, this.clock.now())));
        }
        return;
      }
      case 'burst': {
        const puts = op.puts.map((p) => ({ k: KEYS[p.k], v: this.valueOf(p.v) }));
        this.log.push(`burst ${JSON.stringify(puts.map((p) => p.k))}`);
        const results = await Promise.all(puts.map((p) => s.put(p.k, p.v, { prevKv: true })));
        const order = results.map((r, i) => ({ r, i })).sort((a, b) => a.r.revision - b.r.revision);
        for (const { r, i } of order) this.same(`put #${i} of a concurrent burst`, { ok: r }, { ok: m.put(puts[i].k, puts[i].v, { prevKv: true }) });
        return;
      }
      case 'reopen': {
        await this.settle();
        this.log.push('close + reopen');
        await this.store.close();
        for (const w of this.watches) {
          if (w.ended) continue;
          w.expectCancel ??= { reason: 'closed' };
          await this.settleOne(w);
        }
        await this.open();
        this.same('revision after reopen', { ok: await this.store.revision() }, { ok: m.revision });
        return;
      }
    }
  }

  /** Wait until every live watcher has all the model's events for it, and compare. */
  async settle(): Promise<void> {
    for (const w of this.watches) if (!w.ended) await this.settleOne(w);
  }

  private async settleOne(w: LiveWatch): Promise<void> {
    const idx = this.watches.indexOf(w);
    if (w.expectCancel) {
      const c = await w.rec.waitCancel(5000);
      assert.deepEqual(
        clean({ reason: c.reason, compactRevision: w.expectCancel.compactRevision === undefined ? undefined : c.compactRevision }),
        clean(w.expectCancel),
        `watch #${idx} ended with ${JSON.stringify(c)}`,
      );
      if (w.expectCancel.reason === 'compacted') assert.deepEqual(w.rec.events, [], `watch #${idx} got events before its compacted cancel`);
      w.ended = true;
    }
    const want: ModelEvent[] = this.model.eventsFrom(w.start, w.sel);
    if (!w.expectCancel) {
      await waitFor(() => w.rec.events.length >= want.length || w.rec.cancels.length > 0, `watch #${idx} to receive ${want.length} events`, {
        timeoutMs: 5000,
        describe: () => ({ got: w.rec.events.length, cancels: w.rec.cancels }),
      });
      assert.deepEqual(w.rec.cancels, [], `watch #${idx} was cancelled`);
    }
    if (w.expectCancel?.reason === 'compacted') return;
    const expected = want.map((e) => (w.prevKv && e.prevKv ? { type: e.type, kv: e.kv, prevKv: e.prevKv } : { type: e.type, kv: e.kv }));
    assert.deepEqual(clean(w.rec.events), clean(expected), `events of watch #${idx} on ${JSON.stringify(w.sel)} from ${w.start}\n  ${this.log.join('\n  ')}`);
    w.rec.assertHealthy();
  }

  async finish(): Promise<void> {
    await this.settle();
    // The whole state, at every revision still in history, agrees with the model.
    const ALL: KeySelector = { key: '\0', end: '\0' };
    for (let r = Math.max(1, this.model.compactRevision); r <= this.model.revision; r++) {
      this.same(`state at revision ${r}`, { ok: (await this.store.range(ALL, { revision: r })).kvs }, { ok: this.model.range(ALL, { revision: r }).kvs });
    }
  }
}

describe('sql.js store against the etcd model (fast-check)', () => {
  it('random operation sequences give the model\'s results and events', { timeout: 120_000 }, async () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(fc.array(aop, { minLength: 5, maxLength: 45 }), async (ops) => {
        const dir = tempDir('kubelab-model-');
        const runner = new Runner(dir);
        try {
          await runner.open();
          for (const op of ops) await runner.step(op);
          await runner.finish();
        } finally {
          for (const w of runner.watches) w.watcher.cancel();
          await runner.store?.close().catch(() => undefined);
          removeDir(dir);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 100), seed, path: process.env.FC_PATH, endOnFailure: !!process.env.FC_NO_SHRINK },
    );
  });
});
