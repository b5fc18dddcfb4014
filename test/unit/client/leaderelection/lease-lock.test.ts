/**
 * LeaseLock and the record mapping: the record survives a trip through a Lease spec; the lock maps server answers
 * to LockErrors (404, 409 and transport failures told apart); update before get/create fails as client-go's does;
 * `LeaderElection` events name the Lease and say "<identity> became leader" / "stopped leading".
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { silentLogger } from '../../../../src/base/logger';
import { EventBroadcaster } from '../../../../src/client/events';
import { isLockConflict, isLockNotFound, LeaseLock, LockError, leaseSpecToRecord, microTime, parseTime, recordBytes, recordToLeaseSpec, type LeaderElectionRecord } from '../../../../src/client/leaderelection';
import { leaderElectionIdentity } from '../../../../src/client/leaderelection';
import type { Transport } from '../../../../src/client/transport';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

let tc: TestCluster;
let api: Transport;

before(async () => {
  tc = await startTestCluster();
  api = tc.inProcess();
});
after(async () => {
  await tc.stop();
});

const rec = (p: Partial<LeaderElectionRecord> = {}): LeaderElectionRecord => ({
  holderIdentity: 'h_1',
  leaseDurationSeconds: 15,
  acquireTime: Date.UTC(2026, 0, 1),
  renewTime: Date.UTC(2026, 0, 1),
  leaderTransitions: 0,
  ...p,
});

describe('record mapping', () => {
  it('a record survives recordToLeaseSpec → leaseSpecToRecord (millisecond times)', () => {
    fc.assert(
      fc.property(
        fc.record({
          holderIdentity: fc.string(),
          leaseDurationSeconds: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          acquireTime: fc.integer({ min: 1, max: Date.UTC(9999, 0) }),
          renewTime: fc.integer({ min: 1, max: Date.UTC(9999, 0) }),
          leaderTransitions: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        (r) => {
          const back = leaseSpecToRecord(JSON.parse(JSON.stringify(recordToLeaseSpec(r))));
          assert.deepEqual(back, { ...r });
          assert.equal(recordBytes(back), recordBytes(r));
        },
      ),
    );
  });

  it('absent spec fields read as zero values; MicroTime with 6 digits; other RFC 3339 forms parse', () => {
    assert.deepEqual(leaseSpecToRecord(undefined), { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: 0, renewTime: 0, leaderTransitions: 0 });
    assert.deepEqual(leaseSpecToRecord({ holderIdentity: 'x', leaseTransitions: 3 }), { holderIdentity: 'x', leaseDurationSeconds: 0, acquireTime: 0, renewTime: 0, leaderTransitions: 3 });
    assert.equal(microTime(Date.UTC(2026, 4, 6, 7, 8, 9, 120)), '2026-05-06T07:08:09.120000Z');
    assert.equal(parseTime('2026-05-06T07:08:09.123456Z'), Date.UTC(2026, 4, 6, 7, 8, 9, 123));
    assert.equal(parseTime('2026-05-06T07:08:09Z'), Date.UTC(2026, 4, 6, 7, 8, 9));
    assert.equal(parseTime('not a time'), 0);
  });

  it('a released record keeps an empty holderIdentity in the spec (client-go writes the pointer)', () => {
    assert.equal(recordToLeaseSpec(rec({ holderIdentity: '', leaseDurationSeconds: 1 })).holderIdentity, '');
  });

  it('identities look like kube-controller-manager\'s: <hostname>_<uuid>', () => {
    assert.match(leaderElectionIdentity('master'), /^master_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(leaderElectionIdentity('m'), leaderElectionIdentity('m'));
  });
});

describe('LeaseLock', () => {
  it('get on a missing Lease is a 404 LockError; update before get/create fails', async () => {
    const lock = new LeaseLock({ transport: api, namespace: 'default', name: 'missing-lock', identity: 'h_1' });
    await assert.rejects(lock.get(), (e: unknown) => isLockNotFound(e) && (e as Error).message === 'leases.coordination.k8s.io "missing-lock" not found');
    await assert.rejects(lock.update(rec()), { message: 'lease not initialized, call get or create first' });
    assert.equal(lock.describe(), 'default/missing-lock');
  });

  it('create, get, update; a second creator gets AlreadyExists; a stale update gets 409 Conflict', async () => {
    const a = new LeaseLock({ transport: api, namespace: 'default', name: 'lock-crud', identity: 'a' });
    const b = new LeaseLock({ transport: api, namespace: 'default', name: 'lock-crud', identity: 'b' });
    await a.create(rec({ holderIdentity: 'a' }));
    await assert.rejects(b.create(rec({ holderIdentity: 'b' })), (e: unknown) => e instanceof LockError && e.code === 409 && e.reason === 'AlreadyExists');
    const got = await b.get();
    assert.deepEqual(got.record, rec({ holderIdentity: 'a' }));
    await a.update(rec({ holderIdentity: 'a', renewTime: Date.UTC(2026, 0, 1, 0, 0, 2) }));
    await assert.rejects(b.update(rec({ holderIdentity: 'b', leaderTransitions: 1 })), (e: unknown) => isLockConflict(e) && /the object has been modified; please apply your changes to the latest version and try again/.test((e as Error).message));
    assert.equal((await b.get()).record.holderIdentity, 'a');
  });

  it('a transport failure is a LockError with code 0', async () => {
    const broken: Transport = { request: () => Promise.reject(new Error('connection refused')), watch: () => Promise.reject(new Error('no')), close: () => undefined };
    const lock = new LeaseLock({ transport: broken, namespace: 'default', name: 'x', identity: 'a' });
    await assert.rejects(lock.get(), (e: unknown) => e instanceof LockError && e.code === 0 && e.message === 'connection refused' && !isLockNotFound(e));
  });

  it('recordEvent: a Normal LeaderElection event about the Lease, "<identity> became leader"', async () => {
    const broadcaster = new EventBroadcaster({ transport: api, logger: silentLogger });
    const recorder = broadcaster.newRecorder({ component: 'kube-controller-manager' });
    const id = 'master_6b1f5c2e-2222-4c1e-8d7a-0e3b9f4a1c55';
    const lock = new LeaseLock({ transport: api, namespace: 'default', name: 'lock-events', identity: id, recorder });
    await lock.create(rec({ holderIdentity: id }));
    lock.recordEvent('became leader');
    lock.recordEvent('stopped leading');
    await recorder.flush();
    const lease = (await api.request({ method: 'GET', path: '/apis/coordination.k8s.io/v1/namespaces/default/leases/lock-events' })).body as { metadata: { uid: string; resourceVersion: string } };
    const list = (await api.request({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { fieldSelector: 'involvedObject.name=lock-events' } })).body as { items: { message: string; type: string; reason: string; source: unknown; involvedObject: unknown }[] };
    const messages = list.items.map((e) => e.message).sort();
    assert.deepEqual(messages, [`${id} became leader`, `${id} stopped leading`]);
    for (const e of list.items) {
      assert.equal(e.type, 'Normal');
      assert.equal(e.reason, 'LeaderElection');
      assert.deepEqual(e.source, { component: 'kube-controller-manager' });
      assert.deepEqual(e.involvedObject, { kind: 'Lease', namespace: 'default', name: 'lock-events', uid: lease.metadata.uid, apiVersion: 'coordination.k8s.io/v1', resourceVersion: lease.metadata.resourceVersion });
    }
    broadcaster.close();
  });
});
