/**
 * serveEtcdGrpc on the wire, with a plain grpc-js client built from the same .proto files, over the in-memory
 * reference Store: what etcdctl does not easily reach — UNIMPLEMENTED methods, binary refusals, txn compares and
 * nested ops, ignore_value, the watch protocol (ids, filters, prev_kv, cancel, progress, compaction), lease edges
 * and the /registry/ guard on txns and lease revocation.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { serveEtcdGrpc, REGISTRY_READ_ONLY_MESSAGE, type EtcdGrpcServer } from '../../../../src/storage/grpc';
import { loadEtcdServices } from '../../../../src/storage/grpc/proto';
import { DUPLICATE_WATCH_ID } from '../../../../src/storage/grpc/watch-stream';
import { MemoryStore } from '../../../helpers/memory-store';
import { waitFor } from '../../../helpers/wait';

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Client = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

const b = (s: string) => Buffer.from(s, 'utf8');
const str = (x: unknown) => Buffer.from(x as Buffer).toString('utf8');
const services = loadEtcdServices();

function clients(port: number): Record<'KV' | 'Watch' | 'Lease' | 'Maintenance' | 'Auth' | 'Cluster', Client> {
  const make = (name: keyof typeof services) => {
    const Ctor = grpc.makeClientConstructor(services[name], name);
    return new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Client;
  };
  return { KV: make('KV'), Watch: make('Watch'), Lease: make('Lease'), Maintenance: make('Maintenance'), Auth: make('Auth'), Cluster: make('Cluster') };
}

function unary(c: Client, method: string, req: Msg = {}): Promise<Msg> {
  return new Promise((resolve, reject) => c[method]!(req, (e: Error | null, r: Msg) => (e ? reject(e) : resolve(r))));
}

async function rejectsGrpc(p: Promise<unknown>, code: grpc.status, details: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: grpc.ServiceError) => {
    assert.equal(e.code, code, `code (details: ${e.details})`);
    if (typeof details === 'string') assert.equal(e.details, details);
    else assert.match(e.details, details);
    return true;
  });
}

/** A bidirectional stream and everything it has received. */
function stream(c: Client, method: string) {
  const call = c[method]!() as grpc.ClientDuplexStream<Msg, Msg>;
  const got: Msg[] = [];
  let error: grpc.ServiceError | undefined;
  call.on('data', (m: Msg) => got.push(m));
  call.on('error', (e: grpc.ServiceError) => (error = e));
  const until = (pred: (all: Msg[]) => unknown, what: string) => waitFor(() => pred(got), what, { timeoutMs: 5000, describe: () => got });
  return { call, got, until, error: () => error };
}

describe('etcd gRPC endpoint on the wire', () => {
  let store: MemoryStore;
  let server: EtcdGrpcServer;
  let open: EtcdGrpcServer;
  let c: ReturnType<typeof clients>;
  let co: ReturnType<typeof clients>;

  before(async () => {
    store = new MemoryStore();
    server = await serveEtcdGrpc(store, { port: 0, progressNotifyMs: 50 });
    open = await serveEtcdGrpc(store, { port: 0, allowRegistryWrites: true });
    c = clients(server.port);
    co = clients(open.port);
  });
  after(async () => {
    for (const x of [...Object.values(c), ...Object.values(co)]) x.close();
    await server.close();
    await open.close();
    await store.close();
  });

  it('methods not implemented answer UNIMPLEMENTED naming the method (unary and streaming)', async () => {
    await rejectsGrpc(unary(c.Auth, 'AuthEnable'), grpc.status.UNIMPLEMENTED, "kubelab: etcdserverpb.Auth/AuthEnable is not implemented by KubeLab's embedded etcd endpoint");
    await rejectsGrpc(unary(c.Maintenance, 'Defragment'), grpc.status.UNIMPLEMENTED, /Maintenance\/Defragment is not implemented/);
    await rejectsGrpc(unary(c.Cluster, 'MemberAdd', { peerURLs: ['http://x'] }), grpc.status.UNIMPLEMENTED, /Cluster\/MemberAdd/);
    const snap = c.Maintenance['Snapshot']!({}) as grpc.ClientReadableStream<Msg>;
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      snap.on('error', resolve);
      snap.on('data', () => undefined);
    });
    assert.equal(err.code, grpc.status.UNIMPLEMENTED);
    assert.match(err.details, /Maintenance\/Snapshot/);
  });

  it('binary keys and values are refused with INVALID_ARGUMENT; an empty key with etcd\'s message', async () => {
    await rejectsGrpc(unary(c.KV, 'Put', { key: b('bin'), value: Buffer.from([0xff, 0xfe]) }), grpc.status.INVALID_ARGUMENT, /value is not valid UTF-8/);
    await rejectsGrpc(unary(c.KV, 'Range', { key: Buffer.from([0xc3]) }), grpc.status.INVALID_ARGUMENT, /key is not valid UTF-8/);
    await rejectsGrpc(unary(c.KV, 'Range', { key: Buffer.alloc(0) }), grpc.status.INVALID_ARGUMENT, 'etcdserver: key is not provided');
    await rejectsGrpc(unary(c.KV, 'Put', { key: Buffer.alloc(0), value: b('v') }), grpc.status.INVALID_ARGUMENT, 'etcdserver: key is not provided');
  });

  it('Range headers carry the current revision, also for a read at a past revision', async () => {
    const p1 = await unary(c.KV, 'Put', { key: b('r/a'), value: b('1') });
    await unary(c.KV, 'Put', { key: b('r/a'), value: b('2') });
    const past = await unary(c.KV, 'Range', { key: b('r/a'), revision: p1.header.revision });
    assert.equal(str(past.kvs[0].value), '1');
    assert.equal(Number(past.header.revision), await store.revision());
    assert.equal(past.header.cluster_id, '14841639068965178418');
  });

  it('Txn: compares on version, value, mod and lease; ranges inside are shaped; prev_kv; unsupported ops', async () => {
    const put = await unary(c.KV, 'Put', { key: b('t/a'), value: b('x') });
    await unary(c.KV, 'Put', { key: b('t/b'), value: b('y') });
    const ok = await unary(c.KV, 'Txn', {
      compare: [
        { key: b('t/a'), target: 'Version', result: 'Equal', version: 1 },
        { key: b('t/a'), target: 'Value', result: 'Equal', value: b('x') },
        { key: b('t/a'), target: 'Mod', result: 'Equal', mod_revision: put.header.revision },
        { key: b('t/a'), target: 'Lease', result: 'Equal', lease: 0 },
        { key: b('t/'), range_end: b('t0'), target: 'Version', result: 'Greater', version: 0 },
      ],
      success: [
        { request_put: { key: b('t/a'), value: b('x2'), prev_kv: true } },
        { request_range: { key: b('t/'), range_end: b('t0'), sort_order: 'Descend', sort_target: 'Key', limit: 1 } },
        { request_delete_range: { key: b('t/b'), prev_kv: true } },
      ],
      failure: [],
    });
    assert.equal(ok.succeeded, true);
    assert.equal(Number(ok.header.revision), Number(put.header.revision) + 2);
    assert.equal(str(ok.responses[0].response_put.prev_kv.value), 'x');
    const range = ok.responses[1].response_range;
    assert.deepEqual([range.kvs.map((k: Msg) => str(k.key)), range.more, range.count], [['t/b'], true, '2']);
    assert.equal(ok.responses[2].response_delete_range.deleted, '1');
    assert.equal(str(ok.responses[2].response_delete_range.prev_kvs[0].value), 'y');

    const no = await unary(c.KV, 'Txn', {
      compare: [{ key: b('t/a'), target: 'Value', result: 'NotEqual', value: b('x2') }],
      success: [{ request_put: { key: b('t/never'), value: b('') } }],
      failure: [{ request_range: { key: b('t/a') } }],
    });
    assert.equal(no.succeeded, false);
    assert.equal(str(no.responses[0].response_range.kvs[0].value), 'x2');

    await rejectsGrpc(unary(c.KV, 'Txn', { success: [{ request_txn: {} }] }), grpc.status.UNIMPLEMENTED, /nested transactions/);
    await rejectsGrpc(unary(c.KV, 'Txn', { success: [{ request_range: { key: b('t/a'), revision: 2 } }] }), grpc.status.UNIMPLEMENTED, /past revision inside a txn/);
    await rejectsGrpc(
      unary(c.KV, 'Txn', { success: [{ request_put: { key: b('t/a'), value: b('1') } }, { request_put: { key: b('t/a'), value: b('2') } }] }),
      grpc.status.INVALID_ARGUMENT,
      'etcdserver: duplicate key given in txn request',
    );
  });

  it('Put with ignore_value / ignore_lease keeps the current value / lease, as etcd', async () => {
    const lease = await unary(c.Lease, 'LeaseGrant', { TTL: 100 });
    await unary(c.KV, 'Put', { key: b('iv/k'), value: b('keep'), lease: lease.ID });
    await unary(c.KV, 'Put', { key: b('iv/k'), ignore_value: true, ignore_lease: true });
    const kv = (await store.range({ key: 'iv/k' })).kvs[0]!;
    assert.deepEqual([kv.value, kv.lease, kv.version], ['keep', lease.ID, 2]);
    await unary(c.KV, 'Put', { key: b('iv/k'), value: b('new'), ignore_lease: true });
    assert.deepEqual((await store.range({ key: 'iv/k' })).kvs.map((k) => [k.value, k.lease]), [['new', lease.ID]]);
    await rejectsGrpc(unary(c.KV, 'Put', { key: b('iv/missing'), ignore_value: true }), grpc.status.INVALID_ARGUMENT, 'etcdserver: key not found');
    await rejectsGrpc(unary(c.KV, 'Put', { key: b('iv/k'), value: b('v'), ignore_value: true }), grpc.status.INVALID_ARGUMENT, 'etcdserver: value is provided');
    await rejectsGrpc(unary(c.KV, 'Put', { key: b('iv/k'), lease: lease.ID, ignore_lease: true }), grpc.status.INVALID_ARGUMENT, 'etcdserver: lease is provided');
  });

  it('the /registry/ guard covers txns and lease revocation; allowRegistryWrites lifts it', async () => {
    const txn = { success: [], failure: [{ request_delete_range: { key: b('/registry/'), range_end: b('/registry0') } }] };
    await rejectsGrpc(unary(c.KV, 'Txn', txn), grpc.status.FAILED_PRECONDITION, REGISTRY_READ_ONLY_MESSAGE);
    await unary(co.KV, 'Txn', txn);
    const lease = await unary(co.Lease, 'LeaseGrant', { TTL: 100 });
    await unary(co.KV, 'Put', { key: b('/registry/events/default/e1'), value: b('{}'), lease: lease.ID });
    const before = await store.revision();
    await rejectsGrpc(unary(c.Lease, 'LeaseRevoke', { ID: lease.ID }), grpc.status.FAILED_PRECONDITION, REGISTRY_READ_ONLY_MESSAGE);
    assert.equal(await store.revision(), before, 'nothing written');
    await unary(co.Lease, 'LeaseRevoke', { ID: lease.ID });
    assert.equal((await store.range({ key: '/registry/events/default/e1' })).count, 0);
  });

  it('Watch: ids, filters, prev_kv, cancel, duplicate ids, progress', async () => {
    const w = stream(c.Watch, 'Watch');
    try {
      const rev = await store.revision();
      w.call.write({ create_request: { key: b('w/'), range_end: b('w0'), filters: ['Noput'], prev_kv: true } });
      w.call.write({ create_request: { key: b('w/a'), watch_id: 7 } });
      w.call.write({ create_request: { key: b('w/b'), watch_id: 7 } });
      await w.until((g) => g.length >= 3, 'three create answers');
      assert.deepEqual(w.got.slice(0, 3).map((m) => [m.watch_id, m.created, m.canceled, m.cancel_reason]), [
        ['0', true, false, ''],
        ['7', true, false, ''],
        ['-1', true, true, DUPLICATE_WATCH_ID],
      ]);
      assert.equal(Number(w.got[0]!.header.revision), rev);
      await store.put('w/a', 'one');
      await store.delete({ key: 'w/a' });
      await w.until((g) => g.filter((m) => m.events?.length).length >= 3, 'events');
      const evs = w.got.filter((m) => m.events?.length);
      const forZero = evs.filter((m) => m.watch_id === '0');
      assert.deepEqual(forZero.flatMap((m) => m.events.map((e: Msg) => [e.type, str(e.kv.key), e.prev_kv && str(e.prev_kv.value)])), [['Delete', 'w/a', 'one']]);
      const forSeven = evs.filter((m) => m.watch_id === '7').flatMap((m) => m.events.map((e: Msg) => [e.type, e.prev_kv]));
      assert.deepEqual(forSeven, [['Put', null], ['Delete', null]]);

      w.call.write({ cancel_request: { watch_id: 7 } });
      await w.until((g) => g.some((m) => m.watch_id === '7' && m.canceled), 'cancel answer');
      w.call.write({ progress_request: {} });
      await w.until((g) => g.some((m) => m.watch_id === '-1' && !m.created), 'progress answer');
      const n = w.got.length;
      await store.put('w/a', 'two');
      await store.delete({ key: 'w/a' });
      await w.until((g) => g.slice(n).some((m) => m.watch_id === '0' && m.events?.length), 'the next delete on watch 0');
      assert.ok(w.got.slice(n).every((m) => m.watch_id !== '7'), 'nothing for a cancelled watch');
    } finally {
      w.call.end();
    }
  });

  it('Watch: progress_notify sends empty responses with the current revision', async () => {
    const w = stream(c.Watch, 'Watch');
    try {
      w.call.write({ create_request: { key: b('pn/'), range_end: b('pn0'), progress_notify: true } });
      await w.until((g) => g.some((m) => !m.created && !m.events?.length && m.watch_id === '0'), 'a progress notification');
      const p = w.got.find((m) => !m.created)!;
      assert.equal(Number(p.header.revision), await store.revision());
    } finally {
      w.call.end();
    }
  });

  it('Watch from a compacted revision: created, then canceled with compact_revision', async () => {
    const first = (await store.put('cw/k', '1')).revision;
    await store.put('cw/k', '2');
    const at = await store.revision();
    await unary(c.KV, 'Compact', { revision: at });
    const w = stream(c.Watch, 'Watch');
    try {
      w.call.write({ create_request: { key: b('cw/k'), start_revision: first } });
      await w.until((g) => g.length >= 2, 'created and canceled');
      assert.equal(w.got[0]!.created, true);
      assert.deepEqual([w.got[1]!.canceled, w.got[1]!.compact_revision, w.got[1]!.watch_id], [true, String(at), w.got[0]!.watch_id]);
      assert.equal(w.got[1]!.cancel_reason, 'etcdserver: mvcc: required revision has been compacted');
    } finally {
      w.call.end();
    }
  });

  it('Lease edges: minimum and maximum TTL, keep-alive of an unknown lease, Leases, TimeToLive', async () => {
    const small = await unary(c.Lease, 'LeaseGrant', { TTL: 1 });
    assert.equal(small.TTL, '2', "etcd raises a TTL below its minimum");
    await rejectsGrpc(unary(c.Lease, 'LeaseGrant', { TTL: '9000000001' }), grpc.status.OUT_OF_RANGE, 'etcdserver: too large lease TTL');
    const ka = stream(c.Lease, 'LeaseKeepAlive');
    try {
      ka.call.write({ ID: small.ID });
      ka.call.write({ ID: '12345' });
      await ka.until((g) => g.length >= 2, 'two keep-alive answers');
      assert.deepEqual(ka.got.map((m) => [m.ID, m.TTL]), [[small.ID, '2'], ['12345', '0']]);
    } finally {
      ka.call.end();
    }
    const leases = await unary(c.Lease, 'LeaseLeases');
    assert.ok(leases.leases.some((l: Msg) => l.ID === small.ID));
    const ttl = await unary(c.Lease, 'LeaseTimeToLive', { ID: '12345', keys: true });
    assert.deepEqual([ttl.ID, ttl.TTL, ttl.grantedTTL, ttl.keys], ['12345', '-1', '0', []]);
    await rejectsGrpc(unary(c.Lease, 'LeaseRevoke', { ID: '12345' }), grpc.status.NOT_FOUND, 'etcdserver: requested lease not found');
    const id = BigInt('9223372036854775001').toString();
    const big = await unary(c.Lease, 'LeaseGrant', { TTL: 50, ID: id });
    assert.equal(big.ID, id, 'int64 lease ids above 2^53 survive the wire');
  });

  it('Status and MemberList describe one member that leads itself', async () => {
    const s = await unary(c.Maintenance, 'Status');
    assert.equal(s.version, '3.4.0-kubelab');
    assert.equal(s.leader, s.header.member_id);
    assert.equal(Number(s.raftIndex), await store.revision());
    const m = await unary(c.Cluster, 'MemberList');
    assert.deepEqual(m.members.map((x: Msg) => [x.ID, x.clientURLs]), [[s.header.member_id, [`http://127.0.0.1:${server.port}`]]]);
    const alarms = await unary(c.Maintenance, 'Alarm', { action: 'Get' });
    assert.deepEqual(alarms.alarms, []);
  });
});
