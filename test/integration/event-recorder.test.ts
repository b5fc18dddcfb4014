/**
 * The event recorder against the real API server (in-process transport, admin identity): the same event three times
 * becomes one core/v1 Event with count 3 (created, then strategically patched), listed under the namespace's events;
 * similar events aggregate into one combined Event; a cluster-scoped object's events land in `default`.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryLogger } from '../../src/base/logger';
import { createEventRecorder, type EventRecorder } from '../../src/client/events';
import type { Transport } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';

interface EventItem {
  metadata: { name: string; namespace: string };
  involvedObject: Record<string, string>;
  reason: string;
  message: string;
  count: number;
  type: string;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component?: string };
  reportingComponent?: string;
}

describe('event recorder against the API server', () => {
  let t: TestCluster;
  let transport: Transport;
  let recorder: EventRecorder;
  const log = memoryLogger('warn');

  before(async () => {
    t = await startTestCluster();
    transport = t.inProcess();
  });

  after(async () => {
    recorder?.close();
    await t.stop();
  });

  async function listEvents(ns: string): Promise<EventItem[]> {
    const res = await transport.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/events` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { items: EventItem[] }).items;
  }

  it('records the same event three times as one Event with count 3', async () => {
    const created = await transport.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const cm = created.body as Record<string, unknown>;
    recorder = createEventRecorder({ transport, logger: log.logger, source: { component: 'test-controller' } });
    for (let i = 0; i < 3; i++) {
      recorder.event(cm, 'Warning', 'BadConfig', 'key "a" is not allowed');
      await recorder.flush();
    }
    const mine = (await listEvents('default')).filter((e) => e.reason === 'BadConfig');
    assert.equal(mine.length, 1, JSON.stringify(mine));
    const e = mine[0];
    assert.equal(e.count, 3);
    assert.equal(e.type, 'Warning');
    assert.equal(e.message, 'key "a" is not allowed');
    assert.equal(e.source.component, 'test-controller');
    assert.equal(e.reportingComponent, 'test-controller');
    assert.match(e.metadata.name, /^settings\.[0-9a-f]{16}$/);
    assert.deepEqual(
      { kind: e.involvedObject.kind, name: e.involvedObject.name, namespace: e.involvedObject.namespace, apiVersion: e.involvedObject.apiVersion },
      { kind: 'ConfigMap', name: 'settings', namespace: 'default', apiVersion: 'v1' },
    );
    assert.equal(e.involvedObject.uid, (cm.metadata as { uid: string }).uid);
    assert.ok(Date.parse(e.lastTimestamp) >= Date.parse(e.firstTimestamp), `${e.firstTimestamp} .. ${e.lastTimestamp}`);
    assert.deepEqual(log.records.filter((r) => r.level === 'error'), []);
  });

  it('creates the Event again when it was deleted meanwhile (the patch gets 404)', async () => {
    const [e] = (await listEvents('default')).filter((x) => x.reason === 'BadConfig');
    const del = await transport.request({ method: 'DELETE', path: `/api/v1/namespaces/default/events/${e.metadata.name}` });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    const cm = (await transport.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/settings' })).body as Record<string, unknown>;
    recorder.event(cm, 'Warning', 'BadConfig', 'key "a" is not allowed');
    await recorder.flush();
    const again = (await listEvents('default')).filter((x) => x.reason === 'BadConfig');
    assert.equal(again.length, 1);
    assert.equal(again[0].metadata.name, e.metadata.name);
    assert.equal(again[0].count, 4);
  });

  it('aggregates ten similar events into one combined Event', async () => {
    for (let i = 1; i <= 11; i++) recorder.eventf({ kind: 'Pod', namespace: 'default', name: 'agg', apiVersion: 'v1', uid: 'agg-uid' }, 'Warning', 'FailedMount', 'volume v%d not found', i);
    await recorder.flush();
    const mine = (await listEvents('default')).filter((e) => e.involvedObject.name === 'agg');
    assert.equal(mine.length, 10);
    const combined = mine.filter((e) => e.message.startsWith('(combined from similar events): '));
    assert.equal(combined.length, 1);
    assert.equal(combined[0].count, 2);
    assert.equal(combined[0].message, '(combined from similar events): volume v11 not found');
  });

  it('writes events about cluster-scoped objects to the default namespace', async () => {
    recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-x', uid: 'node-x-uid' } }, 'Normal', 'NodeReady', 'Node node-x status is now: NodeReady');
    await recorder.flush();
    const mine = (await listEvents('default')).filter((e) => e.reason === 'NodeReady');
    assert.equal(mine.length, 1);
    assert.equal(mine[0].involvedObject.namespace, undefined);
    assert.deepEqual(log.records.filter((r) => r.level === 'error'), []);
  });
});
