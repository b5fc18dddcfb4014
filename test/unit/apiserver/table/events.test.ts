import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, MIN, SEC, ago, cells, headers, resource, table } from './fixtures';

const coreEvents = resource('events', '');
const newEvents = resource('events', 'events.k8s.io');

describe('events table (core/v1 and events.k8s.io/v1)', () => {
  it('columns in the server (wide) order: LAST SEEN TYPE REASON OBJECT +SUBOBJECT +SOURCE MESSAGE +FIRST SEEN +COUNT +NAME', () => {
    const want = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', '+SUBOBJECT', '+SOURCE', 'MESSAGE', '+FIRST SEEN', '+COUNT', '+NAME'];
    assert.deepEqual(headers(table(coreEvents, [])), want);
    assert.deepEqual(headers(table(newEvents, [])), want);
    assert.equal(table(coreEvents, []).columnDefinitions[9]!.format, 'name');
  });

  it('a kubelet event on a container', () => {
    const ev = {
      metadata: { name: 'web-1.17d2c1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container nginx in pod web-1_default(uid)\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago(3 * DAY),
      lastTimestamp: ago(2 * MIN),
      count: 42,
      type: 'Warning',
    };
    assert.deepEqual(cells(coreEvents, ev), [
      '2m',
      'Warning',
      'BackOff',
      'pod/web-1',
      'spec.containers{nginx}',
      'kubelet, node-1',
      'Back-off restarting failed container nginx in pod web-1_default(uid)',
      '3d',
      42,
      'web-1.17d2c1',
    ]);
  });

  it('new-style event: eventTime only, no count (prints 1), reporting controller as the source', () => {
    const ev = {
      metadata: { name: 'web.abc' },
      involvedObject: { kind: 'Deployment', name: 'web' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-7d4b9c to 3',
      eventTime: ago(90 * SEC).replace('Z', '.123456Z'), // 89.876544s ago: Go truncates
      reportingComponent: 'deployment-controller',
      reportingInstance: '',
      type: 'Normal',
    };
    assert.deepEqual(cells(coreEvents, ev), ['89s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-7d4b9c to 3', '89s', 1, 'web.abc']);
  });

  it('a series overrides LAST SEEN and COUNT', () => {
    const ev = {
      metadata: { name: 'n.1' },
      involvedObject: { kind: 'Node', name: 'node-1' },
      reason: 'NodeNotReady',
      message: 'Node node-1 status is now: NodeNotReady',
      eventTime: ago(30 * MIN),
      series: { count: 7, lastObservedTime: ago(40 * SEC) },
      reportingComponent: 'node-controller',
      reportingInstance: 'kube-controller-manager-cp-1',
      type: 'Normal',
    };
    const row = cells(coreEvents, ev);
    assert.deepEqual([row[0], row[5], row[7], row[8]], ['40s', 'node-controller, kube-controller-manager-cp-1', '30m', 7]);
  });

  it('object without a name prints the lower-cased kind only; missing times print <unknown>', () => {
    const row = cells(coreEvents, { metadata: { name: 'x' }, involvedObject: { kind: 'ClusterRole' }, reason: 'R', message: '  m  ', type: 'Normal' });
    assert.deepEqual(row, ['<unknown>', 'Normal', 'R', 'clusterrole', '', '', 'm', '<unknown>', 1, 'x']);
  });

  it('events.k8s.io/v1 field names (regarding, note, deprecated*) print the same cells', () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web-1.17d2c1' },
      regarding: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' },
      reason: 'Pulled',
      note: 'Successfully pulled image "nginx:1.27"',
      deprecatedSource: { component: 'kubelet', host: 'node-1' },
      deprecatedFirstTimestamp: ago(10 * MIN),
      deprecatedLastTimestamp: ago(MIN),
      deprecatedCount: 2,
      type: 'Normal',
    };
    assert.deepEqual(cells(newEvents, ev), ['60s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, node-1', 'Successfully pulled image "nginx:1.27"', '10m', 2, 'web-1.17d2c1']);
  });
});
