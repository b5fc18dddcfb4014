/**
 * The Pods table rows (`kubectl get pods -A -o wide`): READY, STATUS and RESTARTS as upstream's printPod computes
 * them — cases from upstream's TestPrintPod / TestPrintPodWithRestartableInitContainer / TestPrintPodwide, plus the
 * statuses a user sees most — through the panel's records and view model (which reuse the server's printer).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/api/object';
import { podRecord } from '../../../../src/ui/events/records';
import { podRowView } from '../../../../src/ui/events/view-model';
import { DAY, MIN, NOW, SEC, ago, pod } from './fixtures';

const running = { running: {} };
const finished = (ms: number) => ({ terminated: { finishedAt: ago(ms) } });

function row(p: KubeObject) {
  const r = podRowView(podRecord(p), { nowMs: NOW });
  return [r.ready, r.status, r.restarts];
}

describe('pods table rows: READY, STATUS, RESTARTS (upstream TestPrintPod)', () => {
  const cases: [string, KubeObject, string[]][] = [
    ['name, containers, restarts, ready', pod({ name: 't1', phase: 'podPhase', containers: 2, statuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] }), ['1/2', 'podPhase', '6']],
    [
      'a waiting container overrides the phase',
      pod({ name: 't2', phase: 'podPhase', containers: 2, statuses: [{ ready: true, restartCount: 3, state: running }, { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }] }),
      ['1/2', 'ContainerWaitingReason', '6'],
    ],
    [
      'the first container overrides the rest',
      pod({
        name: 't3',
        phase: 'podPhase',
        containers: 2,
        statuses: [{ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }, { state: { terminated: { reason: 'ContainerTerminatedReason' } }, restartCount: 3 }],
      }),
      ['0/2', 'ContainerWaitingReason', '6'],
    ],
    ['ready is not enough for running', pod({ name: 't4', phase: 'podPhase', containers: 2, statuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ['1/2', 'podPhase', '6']],
    ['status.reason overrides the phase', pod({ name: 't5', phase: 'podPhase', reason: 'podReason', containers: 2, statuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ['1/2', 'podReason', '6']],
    [
      'one completed and one running container, no Ready condition',
      pod({ name: 't6', containers: 2, statuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] }),
      ['1/2', 'NotReady', '6'],
    ],
    [
      'one completed and one running container, Ready condition',
      pod({
        name: 't6',
        containers: 2,
        conditions: [{ type: 'Ready', status: 'True' }],
        statuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }],
      }),
      ['1/2', 'Running', '6'],
    ],
    [
      'one init container restarting',
      pod({ name: 't7', phase: 'podPhase', initContainers: [{ name: 'i0' }], initStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10 * SEC) }], statuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }] }),
      ['0/1', 'Init:0/1', '3 (10s ago)'],
    ],
    [
      'two init containers, the first restarting',
      pod({
        name: 't8',
        phase: 'podPhase',
        initContainers: [{ name: 'i0' }, { name: 'i1' }],
        initStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10 * SEC) }, { ready: false, state: { waiting: {} } }],
        statuses: [{ ready: false, state: { waiting: {} } }],
      }),
      ['0/1', 'Init:0/2', '3 (10s ago)'],
    ],
    [
      'two init containers, the first completed, the second restarting',
      pod({
        name: 't9',
        phase: 'podPhase',
        initContainers: [{ name: 'i0' }, { name: 'i1' }],
        initStatuses: [{ ready: false, state: { terminated: {} } }, { ready: false, restartCount: 3, state: running, lastState: finished(10 * SEC) }],
        statuses: [{ ready: false, state: { waiting: {} } }],
      }),
      ['0/1', 'Init:1/2', '3 (10s ago)'],
    ],
    [
      'restarts of completed init containers count, the newest restart is shown',
      pod({
        name: 't10',
        phase: 'podPhase',
        initContainers: [{ name: 'i0' }, { name: 'i1' }],
        initStatuses: [
          { ready: false, restartCount: 2, state: { terminated: {} }, lastState: finished(2 * MIN) },
          { ready: false, restartCount: 3, state: running, lastState: finished(10 * SEC) },
        ],
        statuses: [{ ready: false, state: { waiting: {} } }],
      }),
      ['0/1', 'Init:1/2', '5 (10s ago)'],
    ],
    [
      'initialized: only the app containers count',
      pod({
        name: 't11',
        initContainers: [{ name: 'i0' }],
        initStatuses: [{ ready: false, restartCount: 2, state: { terminated: {} }, lastState: finished(2 * MIN) }],
        statuses: [{ ready: false, restartCount: 4, state: running, lastState: finished(20 * SEC) }],
      }),
      ['0/1', 'Running', '4 (20s ago)'],
    ],
    ['restarted 5 days ago', pod({ name: 't12', statuses: [{ ready: true, restartCount: 3, state: running, lastState: finished(5 * DAY) }] }), ['1/1', 'Running', '3 (5d ago)']],
    [
      'one never restarted, the other 10 days ago',
      pod({ name: 't13', containers: 2, statuses: [{ ready: true, restartCount: 0, state: running }, { ready: true, restartCount: 3, state: running, lastState: finished(10 * DAY) }] }),
      ['2/2', 'Running', '3 (10d ago)'],
    ],
    [
      'restarted 5 and 20 days ago',
      pod({ name: 't14', containers: 2, statuses: [{ ready: true, restartCount: 6, state: running, lastState: finished(5 * DAY) }, { ready: true, restartCount: 3, state: running, lastState: finished(20 * DAY) }] }),
      ['2/2', 'Running', '9 (5d ago)'],
    ],
    ['scheduling gated', pod({ name: 't15', phase: 'podPhase', containers: 2, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['0/2', 'SchedulingGated', '0']],
    ['succeeded', pod({ name: 't16', phase: 'Succeeded', statuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }), ['0/1', 'Completed', '0']],
    ['failed', pod({ name: 't17', phase: 'Failed', statuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }), ['0/1', 'Error', '0']],
    [
      'succeeded, being deleted: stays Completed',
      pod({ name: 't18', phase: 'Succeeded', deletionTimestamp: ago(10 * SEC), statuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }),
      ['0/1', 'Completed', '0'],
    ],
    ['running, being deleted', pod({ name: 't19', deletionTimestamp: ago(10 * SEC), statuses: [{ ready: false, restartCount: 0, state: running }] }), ['0/1', 'Terminating', '0']],
    ['pending, being deleted', pod({ name: 't20', phase: 'Pending', deletionTimestamp: ago(10 * SEC) }), ['0/1', 'Terminating', '0']],
  ];
  for (const [name, p, want] of cases) it(name, () => assert.deepEqual(row(p), want));
});

describe('pods table rows: sidecars (upstream TestPrintPodWithRestartableInitContainer)', () => {
  const sidecars = [
    { name: 'restartable-init-1', restartPolicy: 'Always' },
    { name: 'restartable-init-2', restartPolicy: 'Always' },
  ];
  const cases: [string, KubeObject, string[]][] = [
    [
      'the first sidecar running but not started',
      pod({
        name: 's1',
        phase: 'Pending',
        initContainers: sidecars,
        initStatuses: [
          { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: false, lastState: finished(10 * SEC) },
          { name: 'restartable-init-2', ready: false, state: { waiting: {} }, started: false },
        ],
        statuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }],
        conditions: [{ type: 'Initialized', status: 'False' }],
      }),
      ['0/3', 'Init:0/2', '3 (10s ago)'],
    ],
    [
      'the first started, the second running but not started',
      pod({
        name: 's2',
        phase: 'Pending',
        initContainers: sidecars,
        initStatuses: [
          { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: finished(10 * SEC) },
          { name: 'restartable-init-2', ready: false, state: running, started: false },
        ],
        statuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }],
        conditions: [{ type: 'Initialized', status: 'False' }],
      }),
      ['0/3', 'Init:1/2', '3 (10s ago)'],
    ],
    [
      'both started and the container running',
      pod({
        name: 's3',
        initContainers: sidecars,
        initStatuses: [
          { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: finished(10 * SEC) },
          { name: 'restartable-init-2', ready: false, state: running, started: true },
        ],
        statuses: [{ ready: true, restartCount: 4, state: running, lastState: finished(20 * SEC) }],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      ['1/3', 'Running', '7 (10s ago)'],
    ],
  ];
  for (const [name, p, want] of cases) it(name, () => assert.deepEqual(row(p), want));
});

describe('pods table rows: what kubectl users see', () => {
  const waiting = (reason: string) => [{ ready: false, restartCount: 0, state: { waiting: { reason } } }];
  const cases: [string, KubeObject, string[]][] = [
    ['not scheduled yet', pod({ name: 'p', phase: 'Pending' }), ['0/1', 'Pending', '0']],
    ['pulling and creating', pod({ name: 'p', phase: 'Pending', statuses: waiting('ContainerCreating') }), ['0/1', 'ContainerCreating', '0']],
    ['bad image', pod({ name: 'p', phase: 'Pending', statuses: waiting('ImagePullBackOff') }), ['0/1', 'ImagePullBackOff', '0']],
    [
      'crash loop',
      pod({ name: 'p', statuses: [{ ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * SEC) } } }] }),
      ['0/1', 'CrashLoopBackOff', '5 (5s ago)'],
    ],
    [
      'init container failed',
      pod({ name: 'p', phase: 'Pending', initContainers: [{ name: 'i0' }], initStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }),
      ['0/1', 'Init:Error', '0'],
    ],
    ['running', pod({ name: 'p', statuses: [{ ready: true, restartCount: 0, state: running }] }), ['1/1', 'Running', '0']],
  ];
  for (const [name, p, want] of cases) it(name, () => assert.deepEqual(row(p), want));

  it('all -o wide columns, with the pod reference and its registry key', () => {
    const p = pod({ name: 'web-7d4b9c-x2x4z', node: 'node-1', ip: '10.244.1.7', created: ago(3 * MIN + 20 * SEC), statuses: [{ ready: true, restartCount: 0, state: running }] });
    const r = podRowView(podRecord(p), { nowMs: NOW, registryKey: (ref) => `/registry/pods/${ref.namespace}/${ref.name}` });
    assert.deepEqual(r, {
      key: 'uid-default-web-7d4b9c-x2x4z',
      namespace: 'default',
      name: 'web-7d4b9c-x2x4z',
      ready: '1/1',
      status: 'Running',
      restarts: '0',
      age: '3m20s',
      ip: '10.244.1.7',
      node: 'node-1',
      nominatedNode: '<none>',
      readinessGates: '<none>',
      ref: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-x2x4z', apiVersion: 'v1' },
      registryKey: '/registry/pods/default/web-7d4b9c-x2x4z',
    });
  });

  it('IP and NODE are <none> before scheduling (upstream TestPrintPodwide)', () => {
    const r = podRowView(podRecord(pod({ name: 'p', phase: 'Pending' })), { nowMs: NOW });
    assert.deepEqual([r.ip, r.node], ['<none>', '<none>']);
  });

  it('the status kept for filtering is the printed STATUS', () => {
    const p = pod({ name: 'p', phase: 'Pending', statuses: waiting('ErrImagePull') });
    assert.equal(podRecord(p).status, 'ErrImagePull');
    assert.ok(podRecord(p).search.includes('errimagepull'));
  });
});
