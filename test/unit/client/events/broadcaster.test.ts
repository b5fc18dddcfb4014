/**
 * The broadcaster behind the recorder: the bounded queue (drops with upstream's log line), retries of transport
 * failures on the fake clock (randomised first sleep, then 10 s, 12 tries), no retry of a server rejection,
 * shutdown, and one correlator shared by several recorders.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { memoryLogger } from '../../../../src/base/logger';
import { createEventRecorder, EventBroadcaster, type EventRecorder } from '../../../../src/client/events';
import { FakeEventsTransport, settleTimes, settleUntil } from './fake-transport';

const START = Date.UTC(2026, 0, 1, 12, 30, 15, 250);
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', resourceVersion: '42' } };

function setup(extra: { queueLimit?: number } = {}) {
  const clock = new FakeClock(START);
  const transport = new FakeEventsTransport();
  const { logger, records } = memoryLogger();
  const recorder = createEventRecorder({ transport, clock, logger, source: { component: 'deployment-controller' }, random: () => 0.5, ...extra });
  return { clock, transport, records, recorder };
}

describe('EventBroadcaster: queue, retries, shutdown', () => {
  it('drops events beyond the queue limit with upstream’s log line', async () => {
    const { transport, records, recorder } = setup({ queueLimit: 3 });
    for (let i = 0; i < 5; i++) recorder.eventf(pod, 'Normal', 'Step', 'step %d', i);
    await recorder.flush();
    assert.equal(transport.requests.length, 3);
    const dropped = records.filter((r) => r.message.startsWith('Unable to record event: too many queued events, dropped event'));
    assert.equal(dropped.length, 2);
    assert.match(dropped[0].message, /message="step 3"/);
  });

  it('retries a transport failure after a randomised first sleep, then every 10 s', async () => {
    const { clock, transport, records, recorder } = setup();
    transport.failNext(2);
    recorder.event(pod, 'Normal', 'Started', 'Started container app');
    let done = false;
    void recorder.flush().then(() => (done = true));
    await settleUntil(() => transport.requests.length === 1);
    clock.advance(4999);
    await settleTimes(5);
    assert.equal(transport.requests.length, 1);
    clock.advance(1);
    await settleUntil(() => transport.requests.length === 2);
    clock.advance(10_000);
    await settleUntil(() => done);
    assert.equal(transport.requests.length, 3);
    assert.equal(transport.events.size, 1);
    assert.equal(records.filter((r) => r.message.startsWith('Unable to write event (may retry after sleeping)')).length, 2);
  });

  it('gives up after 12 tries', async () => {
    const { clock, transport, records, recorder } = setup();
    transport.failNext(100);
    recorder.event(pod, 'Normal', 'Started', 'Started container app');
    let done = false;
    void recorder.flush().then(() => (done = true));
    for (let i = 0; i < 20 && !done; i++) {
      await settleTimes(5);
      clock.advance(10_000);
    }
    await settleUntil(() => done);
    assert.equal(transport.requests.length, 12);
    assert.ok(records.some((r) => r.message.startsWith('Unable to write event (retry limit exceeded!)')));
  });

  it('does not retry what the server rejected', async () => {
    const { transport, records, recorder } = setup();
    transport.answerNext(422, { kind: 'Status', code: 422, reason: 'Invalid', message: 'Event "x" is invalid' });
    recorder.event(pod, 'Normal', 'Started', 'Started container app');
    await recorder.flush();
    assert.equal(transport.requests.length, 1);
    assert.ok(records.some((r) => r.level === 'error' && r.message.startsWith('Server rejected event (will not retry!): Event "x" is invalid')));
  });

  it('close() ends a pending retry and refuses later events', async () => {
    const { transport, records, recorder } = setup();
    transport.failNext(1);
    recorder.event(pod, 'Normal', 'Started', 'Started container app');
    await settleUntil(() => transport.requests.length === 1);
    recorder.close();
    await recorder.flush();
    recorder.event(pod, 'Normal', 'Started', 'again');
    await recorder.flush();
    assert.equal(transport.requests.length, 1);
    assert.ok(records.some((r) => r.message.startsWith('Unable to write event (broadcaster is shut down)')));
    assert.ok(records.some((r) => r.message.startsWith('Unable to record event (will not retry!)')));
  });

  it('shares one correlator among the recorders of a broadcaster', async () => {
    const transport = new FakeEventsTransport();
    const b = new EventBroadcaster({ transport, clock: new FakeClock(START), logger: memoryLogger().logger });
    const a: EventRecorder = b.newRecorder({ component: 'a' });
    const c: EventRecorder = b.newRecorder({ component: 'c' });
    a.event(pod, 'Normal', 'R', 'm');
    c.event(pod, 'Normal', 'R', 'm');
    a.event(pod, 'Normal', 'R', 'm');
    await b.flush();
    assert.deepEqual(transport.lines().map((l) => l.split(' ')[0]), ['POST', 'POST', 'PATCH']);
    c.close();
    a.event(pod, 'Normal', 'R', 'm');
    await b.flush();
    assert.equal(transport.requests.length, 4);
    b.close();
  });
});
