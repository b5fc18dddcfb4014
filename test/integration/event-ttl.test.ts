/**
 * Events live for the API server's event TTL (kube-apiserver --event-ttl, default 1 h) after their last write: both
 * core/v1 and events.k8s.io/v1 Events are deleted by the store when their lease ends, watchers see DELETED, and an
 * update gives an Event a fresh TTL. Other objects never expire. On a fake clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/base/clock';
import { ApiClient, type Obj } from '../../src/controllers/framework/api-client';
import { R } from '../../src/controllers/framework/resources';
import type { WatchEvent } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { waitFor } from '../helpers/wait';

const T0 = Date.UTC(2026, 0, 1);
let clock: FakeClock;
let tc: TestCluster;
let admin: ApiClient;

const coreEvent = (name: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
  reason: 'Started',
  message: 'Started container c',
  type: 'Normal',
  count: 1,
  source: { component: 'kubelet' },
});

const eventsV1 = (name: string): Obj => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name },
  eventTime: new Date(T0).toISOString().replace('Z', '000Z'),
  reportingController: 'example.com/ctl',
  reportingInstance: 'ctl-1',
  action: 'Sync',
  reason: 'Synced',
  regarding: { kind: 'Pod', namespace: 'default', name: 'p' },
  type: 'Normal',
});

async function names(): Promise<string[]> {
  const list = (await admin.list(R.events, 'default')) as { items: Obj[] };
  return list.items.map((e) => String(e.metadata?.name)).sort();
}

/** Advances the fake clock in steps, letting the cluster run between them. */
async function advance(seconds: number): Promise<void> {
  for (let left = seconds; left > 0; left -= 30) {
    clock.advance(Math.min(30, left) * 1000);
    await new Promise((r) => setImmediate(r));
  }
}

describe('Event TTL', () => {
  before(async () => {
    clock = new FakeClock(T0);
    tc = await startTestCluster({ clock });
    admin = new ApiClient(tc.inProcess());
  });
  after(async () => {
    await tc?.stop();
  });

  it('deletes Events an hour after their last write, and an update starts the hour again', { timeout: 120_000 }, async () => {
    await admin.create(R.events, 'default', coreEvent('old'));
    await admin.create(R.events, 'default', coreEvent('updated'));
    const res = await tc.inProcess().request({ method: 'POST', path: '/apis/events.k8s.io/v1/namespaces/default/events', body: eventsV1('new-api') });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } });
    // (A long timeout: the server's default, 30–60 min, would end the watch on the way.)
    const watch = await tc.inProcess().watch({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { timeoutSeconds: '86400' } });
    assert.ok('events' in watch);
    const seen: WatchEvent[] = [];
    void (async () => {
      for await (const e of watch.events) seen.push(e);
    })();

    await advance(3590);
    assert.deepEqual(await names(), ['new-api', 'old', 'updated'], 'all still there just before the hour');
    await admin.patch(R.events, 'default', 'updated', { count: 2 }, 'merge');

    // Past the hour (and the up to 60 s a shared lease adds): the two not written since are gone.
    await advance(80);
    await waitFor(async () => ((await names()).join() === 'updated' ? true : undefined), 'old and new-api to expire', { timeoutMs: 20_000 });
    const deleted = () => seen.filter((e) => e.type === 'DELETED').map((e) => String((e.object as Obj).metadata?.name)).sort();
    await waitFor(() => (deleted().join() === 'new-api,old' ? true : undefined), `the watch to see both deletions (saw ${JSON.stringify(seen.map((e) => [e.type, (e.object as Obj).metadata?.name]))})`, { timeoutMs: 10_000 });

    // An hour after its update, the updated one goes too; the ConfigMap never does.
    await advance(3600);
    await waitFor(async () => ((await names()).length === 0 ? true : undefined), 'updated to expire', { timeoutMs: 20_000 });
    assert.ok(await admin.get(R.configmaps, 'default', 'stays'));
    watch.stop();
  });
});
