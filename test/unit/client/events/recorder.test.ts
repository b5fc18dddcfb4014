/**
 * The event recorder end to end over a fake events API: the Event it creates (name, namespace, fields), dedup by
 * PATCH with growing counts, the 404 fallback to create, aggregation of similar events, the spam filter on a fake
 * clock, and that event() never writes synchronously nor throws. (Queue, retries, shutdown: broadcaster.test.ts.)
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { memoryLogger } from '../../../../src/base/logger';
import { createEventRecorder, type EventType } from '../../../../src/client/events';
import { FakeEventsTransport } from './fake-transport';

const START = Date.UTC(2026, 0, 1, 12, 30, 15, 250);

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', resourceVersion: '42', labels: { app: 'web' } },
  spec: { containers: [] },
};

function setup(extra: { queueLimit?: number } = {}) {
  const clock = new FakeClock(START);
  const transport = new FakeEventsTransport();
  const { logger, records } = memoryLogger();
  const recorder = createEventRecorder({ transport, clock, logger, source: { component: 'deployment-controller' }, random: () => 0.5, ...extra });
  return { clock, transport, records, recorder };
}

function hexNanos(ms: number, plus = 0n): string {
  return (BigInt(ms) * 1_000_000n + plus).toString(16);
}

describe('EventRecorder: creating an Event', () => {
  it('POSTs the Event client-go would send', async () => {
    const { transport, recorder } = setup();
    recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web-1 to node-1');
    await recorder.flush();
    assert.deepEqual(transport.lines(), ['POST /api/v1/namespaces/shop/events']);
    const name = `web-1.${hexNanos(START)}`;
    assert.match(name, /^web-1\.[0-9a-f]{16}$/);
    assert.deepEqual(transport.requests[0].body, {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name, namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42' },
      reason: 'Scheduled',
      message: 'Successfully assigned shop/web-1 to node-1',
      source: { component: 'deployment-controller' },
      firstTimestamp: '2026-01-01T12:30:15Z',
      lastTimestamp: '2026-01-01T12:30:15Z',
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: 'deployment-controller',
      reportingInstance: '',
    });
  });

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const { transport, recorder } = setup();
    recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n-1' } }, 'Warning', 'NodeNotReady', 'Node node-1 status is now: NodeNotReady');
    await recorder.flush();
    assert.deepEqual(transport.lines(), ['POST /api/v1/namespaces/default/events']);
    const body = transport.requests[0].body as Record<string, Record<string, unknown>>;
    assert.equal(body.metadata.namespace, 'default');
    assert.deepEqual(body.involvedObject, { kind: 'Node', name: 'node-1', uid: 'n-1', apiVersion: 'v1' });
  });

  it('uses an ObjectReference as given (fieldPath included), source host as reportingInstance', async () => {
    const clock = new FakeClock(START);
    const transport = new FakeEventsTransport();
    const recorder = createEventRecorder({ transport, clock, logger: memoryLogger().logger, source: { component: 'kubelet', host: 'node-1' } });
    const ref = { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' };
    recorder.eventf(ref, 'Normal', 'Pulled', 'Container image %q already present on machine', 'nginx:1.27');
    await recorder.flush();
    const body = transport.requests[0].body as Record<string, unknown>;
    assert.deepEqual(body.involvedObject, ref);
    assert.deepEqual(body.source, { component: 'kubelet', host: 'node-1' });
    assert.equal(body.reportingComponent, 'kubelet');
    assert.equal(body.reportingInstance, 'node-1');
    assert.equal(body.message, 'Container image "nginx:1.27" already present on machine');
  });

  it('annotatedEventf puts the annotations on the Event', async () => {
    const { transport, recorder } = setup();
    recorder.annotatedEventf(pod, { 'example.com/trace': 't-1' }, 'Warning', 'BackOff', 'Back-off restarting failed container %s in pod %s', 'app', 'web-1');
    await recorder.flush();
    const body = transport.requests[0].body as Record<string, Record<string, unknown>>;
    assert.deepEqual(body.metadata.annotations, { 'example.com/trace': 't-1' });
    assert.equal(body.message as unknown, 'Back-off restarting failed container app in pod web-1');
  });

  it('gives two events about one object in the same millisecond different names', async () => {
    const { transport, recorder } = setup();
    recorder.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx"');
    recorder.event(pod, 'Normal', 'Pulled', 'Pulled image "nginx"');
    await recorder.flush();
    const names = transport.requests.map((r) => (r.body as { metadata: { name: string } }).metadata.name);
    assert.deepEqual(names, [`web-1.${hexNanos(START)}`, `web-1.${hexNanos(START, 1n)}`]);
  });

  it('never writes inside event() and never throws', async () => {
    const { transport, records, recorder } = setup();
    recorder.event(pod, 'Normal', 'Created', 'Created container app');
    assert.equal(transport.requests.length, 0);
    recorder.event(null as never, 'Normal', 'X', 'y');
    recorder.event({ metadata: { name: 'no-kind' } }, 'Normal', 'X', 'y');
    recorder.event(pod, 'Info' as EventType, 'X', 'y');
    await recorder.flush();
    assert.equal(transport.requests.length, 1);
    const errors = records.filter((r) => r.level === 'error').map((r) => r.message);
    assert.equal(errors.length, 3);
    assert.match(errors[0], /^Could not construct reference, will not report event/);
    assert.match(errors[1], /^Could not construct reference, will not report event/);
    assert.match(errors[2], /^Unsupported event type eventType="Info"/);
  });
});

describe('EventRecorder: correlation', () => {
  it('patches the existing Event with count 2, 3 for identical events', async () => {
    const { clock, transport, recorder } = setup();
    for (let i = 0; i < 3; i++) {
      recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      await recorder.flush();
      clock.advance(7000);
    }
    const name = `web-1.${hexNanos(START)}`;
    assert.deepEqual(transport.lines(), [
      'POST /api/v1/namespaces/shop/events',
      `PATCH /api/v1/namespaces/shop/events/${name}`,
      `PATCH /api/v1/namespaces/shop/events/${name}`,
    ]);
    assert.equal(transport.requests[1].contentType, 'application/strategic-merge-patch+json');
    assert.deepEqual(transport.requests[1].body, { count: 2, lastTimestamp: '2026-01-01T12:30:22Z', message: 'Back-off restarting failed container' });
    assert.deepEqual(transport.requests[2].body, { count: 3, lastTimestamp: '2026-01-01T12:30:29Z', message: 'Back-off restarting failed container' });
    const stored = transport.events.get(`shop/${name}`)!;
    assert.equal(stored.count, 3);
    assert.equal(stored.firstTimestamp, '2026-01-01T12:30:15Z');
  });

  it('creates the Event again (same name, the new count) when the patch finds none', async () => {
    const { transport, recorder } = setup();
    recorder.event(pod, 'Normal', 'Killing', 'Stopping container app');
    await recorder.flush();
    transport.events.clear();
    recorder.event(pod, 'Normal', 'Killing', 'Stopping container app');
    await recorder.flush();
    const name = `web-1.${hexNanos(START)}`;
    assert.deepEqual(transport.lines(), ['POST /api/v1/namespaces/shop/events', `PATCH /api/v1/namespaces/shop/events/${name}`, 'POST /api/v1/namespaces/shop/events']);
    const body = transport.requests[2].body as Record<string, Record<string, unknown>>;
    assert.equal(body.metadata.name, name);
    assert.equal(body.metadata.resourceVersion, undefined);
    assert.equal(body.count as unknown, 2);
  });

  it('aggregates the 10th similar event and patches that aggregate afterwards', async () => {
    const { clock, transport, recorder } = setup();
    for (let i = 1; i <= 11; i++) {
      recorder.eventf(pod, 'Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "v%d"', i);
      await recorder.flush();
      clock.advance(1000);
    }
    const lines = transport.lines();
    assert.equal(lines.filter((l) => l.startsWith('POST')).length, 10);
    const aggregate = transport.requests[9].body as Record<string, unknown>;
    assert.equal(aggregate.message, '(combined from similar events): MountVolume.SetUp failed for volume "v10"');
    assert.equal(aggregate.reportingComponent, '');
    assert.equal(aggregate.count, 1);
    const aggName = (aggregate.metadata as { name: string }).name;
    assert.equal(lines[10], `PATCH /api/v1/namespaces/shop/events/${aggName}`);
    assert.deepEqual(transport.requests[10].body, {
      count: 2,
      lastTimestamp: '2026-01-01T12:30:25Z',
      message: '(combined from similar events): MountVolume.SetUp failed for volume "v11"',
    });
  });

  it('starts over once similar events are more than 10 minutes apart', async () => {
    const { clock, transport, recorder } = setup();
    for (let i = 1; i <= 9; i++) recorder.eventf(pod, 'Warning', 'FailedMount', 'volume %d', i);
    await recorder.flush();
    clock.advance(10 * 60 * 1000 + 1);
    recorder.eventf(pod, 'Warning', 'FailedMount', 'volume %d', 10);
    await recorder.flush();
    assert.equal((transport.requests[9].body as Record<string, unknown>).message, 'volume 10');
  });

  it('drops the 26th event about one object and allows one more after 5 minutes', async () => {
    const { clock, transport, recorder } = setup();
    for (let i = 0; i < 26; i++) recorder.event(pod, 'Warning', 'Unhealthy', 'Readiness probe failed');
    await recorder.flush();
    assert.equal(transport.requests.length, 25);
    assert.equal((transport.requests[24].body as Record<string, unknown>).count, 25);
    // Another object from the same source has its own bucket.
    recorder.event({ ...pod, metadata: { ...pod.metadata, name: 'web-2', uid: 'u-2' } }, 'Warning', 'Unhealthy', 'Readiness probe failed');
    await recorder.flush();
    assert.equal(transport.requests.length, 26);

    clock.advance(4 * 60 * 1000);
    recorder.event(pod, 'Warning', 'Unhealthy', 'Readiness probe failed');
    await recorder.flush();
    assert.equal(transport.requests.length, 26);

    clock.advance(60 * 1000);
    recorder.event(pod, 'Warning', 'Unhealthy', 'Readiness probe failed');
    recorder.event(pod, 'Warning', 'Unhealthy', 'Readiness probe failed');
    await recorder.flush();
    assert.equal(transport.requests.length, 27);
    // As upstream, dedup counted the dropped events too: 25 written + 2 dropped + this one.
    assert.deepEqual(transport.requests[26].body, { count: 28, lastTimestamp: '2026-01-01T12:35:15Z', message: 'Readiness probe failed' });
  });
});
