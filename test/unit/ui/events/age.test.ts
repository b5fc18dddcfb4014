/**
 * Ages in the panel (AGE, LAST SEEN, FIRST SEEN, "RESTARTS (… ago)") are apimachinery's duration.HumanDuration of
 * now − timestamp, as kubectl prints them: the table is upstream's TestHumanDuration, then the edge cases of
 * printers.go translateTimestampSince.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventRecord } from '../../../../src/ui/events/records';
import { ageText, eventRowView } from '../../../../src/ui/events/view-model';
import { DAY, HOUR, MIN, NOW, SEC, ago, event } from './fixtures';

const iso = (ms: number) => new Date(ms).toISOString();

describe('panel ages (duration.HumanDuration)', () => {
  const cases: [number, string][] = [
    [1 * SEC, '1s'],
    [70 * SEC, '70s'],
    [190 * SEC, '3m10s'],
    [70 * MIN, '70m'],
    [47 * HOUR, '47h'],
    [49 * HOUR, '2d1h'],
    [(8 * 24 + 2) * HOUR, '8d'],
    [367 * 24 * HOUR, '367d'],
    [(365 * 2 * 24 + 25) * HOUR, '2y1d'],
    [(365 * 8 * 24 + 2) * HOUR, '8y'],
  ];
  for (const [d, want] of cases) it(`${d} ms ago → ${want}`, () => assert.equal(ageText(iso(NOW - d), NOW), want));

  it('clock skew of up to a second reads 0s; further in the future is <invalid>', () => {
    assert.equal(ageText(iso(NOW + 1500), NOW), '0s');
    assert.equal(ageText(iso(NOW + 5 * SEC), NOW), '<invalid>');
  });

  it('a missing or zero timestamp is <unknown>', () => {
    for (const ts of [undefined, null, '', '0001-01-01T00:00:00Z', 'not a time']) assert.equal(ageText(ts, NOW), '<unknown>');
  });

  it('ages move with "now" (the row is printed when it is shown)', () => {
    const r = eventRecord(event({ uid: 'a', reason: 'Pulled', first: ago(10 * SEC) }));
    assert.equal(eventRowView(r, { nowMs: NOW }).lastSeen, '10s');
    assert.equal(eventRowView(r, { nowMs: NOW + 2 * DAY }).lastSeen, '2d');
  });
});

describe('event rows (kubectl get events -o wide columns, from the server printer)', () => {
  it('prints every column and links the involved object', () => {
    const e = event({
      uid: 'u1',
      type: 'Warning',
      reason: 'BackOff',
      kind: 'Pod',
      name: 'web-1',
      message: 'Back-off restarting failed container app in pod web-1_default(abc)',
      first: ago(10 * MIN),
      last: ago(30 * SEC),
      count: 7,
      component: 'kubelet',
      host: 'node-1',
    });
    const row = eventRowView(eventRecord(e), { nowMs: NOW, registryKey: (ref) => `/registry/pods/${ref.namespace}/${ref.name}` });
    assert.deepEqual(row, {
      key: 'u1',
      namespace: 'default',
      lastSeen: '30s',
      type: 'Warning',
      reason: 'BackOff',
      object: 'pod/web-1',
      subobject: '',
      source: 'kubelet, node-1',
      message: 'Back-off restarting failed container app in pod web-1_default(abc)',
      firstSeen: '10m',
      count: 7,
      ref: { kind: 'Pod', namespace: 'default', name: 'web-1', apiVersion: 'v1' },
      registryKey: '/registry/pods/default/web-1',
    });
  });

  it('reads events.k8s.io/v1 events (regarding, note, series, eventTime)', () => {
    const e = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'default', uid: 'n1' },
      regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'p1' },
      reason: 'Scheduled',
      note: 'Successfully assigned default/web to node-1',
      type: 'Normal',
      eventTime: iso(NOW - 90 * SEC),
      series: { count: 3, lastObservedTime: iso(NOW - 5 * SEC) },
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-node-1',
    };
    const r = eventRecord(e);
    assert.equal(r.count, 3);
    assert.equal(r.lastMs, NOW - 5 * SEC);
    assert.equal(r.firstMs, NOW - 90 * SEC);
    assert.equal(r.involvedUid, 'p1');
    const row = eventRowView(r, { nowMs: NOW });
    assert.deepEqual([row.lastSeen, row.firstSeen, row.count, row.message, row.source], ['5s', '90s', 3, 'Successfully assigned default/web to node-1', 'default-scheduler, default-scheduler-node-1']);
  });
});
