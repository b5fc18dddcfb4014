/**
 * The etcd backend's paged range reads (range.ts) against a fake etcd KV that answers Range exactly as etcd does
 * (key order, count of the whole selection, `more`, reads at a past revision, limit 0 = all) and refuses any
 * response larger than the gRPC receive limit with grpc-js's RESOURCE_EXHAUSTED error: whatever the paging, the
 * result is the one a single Range would give, at one revision.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as path from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import type { IKeyValue, IRangeResponse } from 'etcd3';
import type { EtcdConnection } from '../../../../src/storage/etcd/connection';
import { rangeRead } from '../../../../src/storage/etcd/range';

const OVERHEAD = 32;

/** etcd's Range method as etcd3 loads it: the response goes over the wire as protobuf bytes. */
const RANGE = loadSync(path.join(__dirname, '../../../../node_modules/etcd3/proto/rpc.proto'), { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })[
  'etcdserverpb.KV'
] as unknown as Record<'Range', { path: string; requestSerialize(o: unknown): Buffer; requestDeserialize(b: Buffer): RangeReq; responseSerialize(o: unknown): Buffer }>;

interface Version {
  key: Buffer;
  value: Buffer;
  rev: number;
  deleted?: boolean;
}

interface RangeReq {
  key: Buffer;
  range_end?: Buffer;
  limit: string;
  revision: string;
  keys_only: boolean;
  count_only: boolean;
}

/** An etcd KV in memory: a history of versions; Range as etcd answers it. */
class FakeEtcd {
  history: Version[] = [];
  rev = 1;
  requests: { limit: number; revision: number; bytes?: number; tooLarge?: boolean }[] = [];
  /** Called after each answered page (to write between pages). */
  afterPage?: () => void;

  constructor(readonly maxBytes: number) {}

  put(key: string, value: string): void {
    this.history.push({ key: Buffer.from(key), value: Buffer.from(value), rev: ++this.rev });
  }

  del(key: string): void {
    this.history.push({ key: Buffer.from(key), value: Buffer.alloc(0), rev: ++this.rev, deleted: true });
  }

  /** The live keys at a revision, in byte order. */
  at(revision: number): Version[] {
    const latest = new Map<string, Version>();
    for (const v of this.history) if (v.rev <= revision) latest.set(v.key.toString('hex'), v);
    return [...latest.values()].filter((v) => !v.deleted).sort((a, b) => Buffer.compare(a.key, b.key));
  }

  range(req: RangeReq): IRangeResponse {
    const revision = Number(req.revision) || this.rev;
    const limit = Number(req.limit);
    const inRange = (k: Buffer) =>
      !req.range_end?.length ? k.equals(req.key) : Buffer.compare(k, req.key) >= 0 && (req.range_end.equals(Buffer.from([0])) || Buffer.compare(k, req.range_end) < 0);
    const all = this.at(revision).filter((v) => inRange(v.key));
    const page = req.count_only ? [] : limit > 0 ? all.slice(0, limit) : all;
    const bytes = page.reduce((n, v) => n + v.key.length + (req.keys_only ? 0 : v.value.length) + OVERHEAD, 0);
    const tooLarge = bytes > this.maxBytes;
    this.requests.push({ limit, revision: Number(req.revision), bytes, tooLarge });
    if (tooLarge) throw new Error(`8 RESOURCE_EXHAUSTED: Received message larger than max (${bytes} vs. ${this.maxBytes})`);
    const kvs: IKeyValue[] = page.map((v) => ({
      key: v.key,
      value: req.keys_only ? Buffer.alloc(0) : v.value,
      create_revision: String(v.rev),
      mod_revision: String(v.rev),
      version: '1',
      lease: '0',
    }));
    const res = { header: { revision: String(this.rev) }, kvs, count: String(all.length), more: limit > 0 && all.length > limit } as unknown as IRangeResponse;
    this.afterPage?.();
    return res;
  }

  connection(options: { rangePageKeys: number; rangePageBytes: number; maxReceiveBytes?: number }): EtcdConnection {
    type Callback = (err: Error | null, res?: unknown) => void;
    const client = {
      range: RANGE.Range,
      makeUnaryRequest: (p: string, serialize: (o: unknown) => Buffer, deserialize: (b: Buffer) => unknown, req: unknown, _md: unknown, _o: unknown, cb: Callback) => {
        assert.equal(p, '/etcdserverpb.KV/Range');
        setImmediate(() => {
          try {
            const answer = this.range(RANGE.Range.requestDeserialize(serialize(req)));
            cb(null, deserialize(RANGE.Range.responseSerialize(answer)));
          } catch (e) {
            cb(e as Error);
          }
        });
      },
    };
    const conn = {
      options: { maxReceiveBytes: 64 * 1024 * 1024, ...options },
      knownRevision: 0,
      pool: { withConnection: <T>(_s: string, fn: (a: { client: unknown; metadata: unknown }) => Promise<T>) => fn({ client, metadata: {} }) },
      call: async <T>(attempt: (o: object) => Promise<T>) => ({ res: await attempt({}), ambiguous: false }),
    };
    return conn as unknown as EtcdConnection;
  }
}

const value = (n: number, tag: string) => `${tag}:`.padEnd(n, 'x');

describe('etcd range paging', () => {
  it('pages follow the bytes per key: 128 keys first, then rangePageBytes worth, doubling', async () => {
    const fake = new FakeEtcd(64 * 1024 * 1024);
    for (let i = 0; i < 1000; i++) fake.put(`/r/${String(i).padStart(4, '0')}`, value(1000, String(i)));
    const r = await rangeRead(fake.connection({ rangePageKeys: 5000, rangePageBytes: 100_000 }), { key: '/r/', prefix: true });
    assert.equal(r.kvs.length, 1000);
    assert.deepEqual([r.count, r.more, r.revision], [1000, false, fake.rev]);
    const perKey = 7 + 1000 + 64; // key + value + the estimate's overhead
    assert.deepEqual(
      fake.requests.slice(0, 4).map((q) => q.limit),
      [128, Math.floor(100_000 / perKey), Math.floor(200_000 / perKey), Math.floor(400_000 / perKey)],
    );
    assert.ok(fake.requests.slice(1).every((q) => q.revision === fake.rev), 'every later page at the first page\'s revision');

    // the doubling stops at rangePageKeys keys and at half of maxReceiveBytes
    for (const [opts, most] of [
      [{ rangePageKeys: 200, rangePageBytes: 100_000 }, 200],
      [{ rangePageKeys: 5000, rangePageBytes: 100_000, maxReceiveBytes: 500_000 }, Math.floor(250_000 / perKey)],
    ] as const) {
      fake.requests = [];
      assert.equal((await rangeRead(fake.connection(opts), { key: '/r/', prefix: true })).kvs.length, 1000);
      assert.equal(Math.max(...fake.requests.map((q) => q.limit)), most, JSON.stringify(fake.requests.map((q) => q.limit)));
    }
  });

  it('a page too large for gRPC is read again in halves, and caps the pages after it', async () => {
    const fake = new FakeEtcd(10 * (8 + 1000 + OVERHEAD));
    for (let i = 0; i < 300; i++) fake.put(`/r/${String(i).padStart(5, '0')}`, value(1000, String(i)));
    const r = await rangeRead(fake.connection({ rangePageKeys: 5000, rangePageBytes: 16 * 1024 * 1024 }), { key: '/r/', prefix: true });
    assert.equal(r.kvs.length, 300);
    const refused = fake.requests.filter((q) => q.tooLarge).length;
    // 128 → 64 → 32 → 16 → 8 fit; later pages start from the halved size instead of failing again
    assert.equal(refused, 4);
    assert.ok(fake.requests.every((q) => (q.bytes ?? 0) <= fake.maxBytes || q.tooLarge));
  });

  it('a single key larger than the receive limit fails with the gRPC error', async () => {
    const fake = new FakeEtcd(100);
    fake.put('/r/a', 'x');
    fake.put('/r/b', value(500, 'b'));
    await assert.rejects(rangeRead(fake.connection({ rangePageKeys: 10, rangePageBytes: 1000 }), { key: '/r/', prefix: true }), /RESOURCE_EXHAUSTED/);
  });

  it('writes made between pages do not show up: the whole read is at the first page\'s revision', async () => {
    const fake = new FakeEtcd(1 << 20);
    for (let i = 0; i < 500; i++) fake.put(`/r/${String(i).padStart(3, '0')}`, value(100, String(i)));
    const rev = fake.rev;
    let n = 0;
    fake.afterPage = () => {
      fake.put(`/r/${String(n).padStart(3, '0')}a`, 'new');
      fake.del(`/r/${String(499 - n++).padStart(3, '0')}`);
    };
    const r = await rangeRead(fake.connection({ rangePageKeys: 50, rangePageBytes: 4000 }), { key: '/r/', prefix: true });
    fake.afterPage = undefined;
    assert.ok(fake.requests.length > 5, `${fake.requests.length} pages`);
    assert.equal(r.revision, rev);
    assert.deepEqual(r.kvs.map((k) => k.key), fake.at(rev).map((v) => v.key.toString()));
  });

  it('any selection, limit, page sizes and receive limit: the result of one Range', async () => {
    const keyArb = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '/', '\u{1F600}'), minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(keyArb, fc.nat(400)), { selector: ([k]) => k, maxLength: 120 }),
        fc.record({
          prefix: fc.constantFrom('', 'a', 'b/', 'é'),
          limit: fc.option(fc.integer({ min: 1, max: 150 }), { nil: undefined }),
          keysOnly: fc.boolean(),
          rangePageKeys: fc.integer({ min: 1, max: 60 }),
          rangePageBytes: fc.integer({ min: 1, max: 20_000 }),
          slack: fc.nat(5000),
        }),
        async (entries, o) => {
          const maxKv = Math.max(0, ...entries.map(([k, n]) => Buffer.byteLength(k) + Buffer.byteLength(value(n, k)) + OVERHEAD));
          const fake = new FakeEtcd(maxKv + o.slack);
          for (const [k, n] of entries) fake.put(k, value(n, k));
          const want = fake.at(fake.rev).filter((v) => v.key.toString().startsWith(o.prefix));
          const sel = o.prefix ? { key: o.prefix, prefix: true } : { key: '\0', end: '\0' };
          const r = await rangeRead(fake.connection(o), sel, { limit: o.limit, keysOnly: o.keysOnly });
          const wantKvs = o.limit ? want.slice(0, o.limit) : want;
          assert.deepEqual(
            r.kvs.map((k) => [k.key, k.value]),
            wantKvs.map((v) => [v.key.toString(), o.keysOnly ? '' : v.value.toString()]),
          );
          assert.equal(r.count, want.length);
          assert.equal(r.more, want.length > wantKvs.length);
          assert.equal(r.revision, fake.rev);
          const firstServed = fake.requests.findIndex((q) => !q.tooLarge);
          assert.ok(fake.requests.slice(firstServed + 1).every((q) => q.revision === fake.rev), 'later pages at the first page\'s revision');
        },
      ),
      { numRuns: 150 },
    );
  });
});
