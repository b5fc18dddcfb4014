import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/api/object';
import { MIN, NOW, SEC, ago, cells, headers, meta, resource, table } from './fixtures';

const pods = resource('pods');

const running = (name: string, extra: Record<string, unknown> = {}) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: ago(4 * MIN) } }, ...extra });
const waiting = (name: string, reason: string, extra: Record<string, unknown> = {}) => ({ name, ready: false, restartCount: 0, state: { waiting: { reason } }, ...extra });
const terminated = (name: string, t: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, ready: false, restartCount: 0, state: { terminated: t }, ...extra });

function pod(opts: {
  containers?: string[];
  init?: { name: string; restartPolicy?: string }[];
  phase?: string;
  reason?: string;
  statuses?: unknown[];
  initStatuses?: unknown[];
  conditions?: unknown[];
  deletionTimestamp?: string;
  name?: string;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(opts.name ?? 'web-7d4b9c-x2x4z', opts.deletionTimestamp ? { deletionTimestamp: opts.deletionTimestamp } : {}),
    spec: {
      nodeName: 'node-1',
      initContainers: opts.init?.map((c) => ({ name: c.name, image: 'busybox', restartPolicy: c.restartPolicy })),
      containers: (opts.containers ?? ['app']).map((name) => ({ name, image: 'nginx:1.27' })),
    },
    status: {
      phase: opts.phase ?? 'Running',
      reason: opts.reason,
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      conditions: opts.conditions,
      initContainerStatuses: opts.initStatuses,
      containerStatuses: opts.statuses,
    },
  };
}

/** NAME READY STATUS RESTARTS AGE of a pod. */
function basic(p: KubeObject): unknown[] {
  return cells(pods, p).slice(1, 4);
}

describe('pods table: columns', () => {
  it('NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES, with upstream types', () => {
    const t = table(pods, []);
    assert.deepEqual(headers(t), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', '+IP', '+NODE', '+NOMINATED NODE', '+READINESS GATES']);
    assert.deepEqual(t.columnDefinitions.map((c) => c.type), ['string', 'string', 'string', 'string', 'string', 'string', 'string', 'string', 'string']);
    assert.equal(t.columnDefinitions[0]!.format, 'name');
    assert.ok(t.columnDefinitions[0]!.description.startsWith('Name must be unique within a namespace.'));
    assert.equal(t.columnDefinitions[3]!.description, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.');
    assert.deepEqual(t.rows, []);
  });
});

describe('pods table: STATUS, READY and RESTARTS', () => {
  const cases: [string, KubeObject, unknown[]][] = [
    ['running and ready', pod({ statuses: [running('app')] }), ['1/1', 'Running', '0']],
    ['pending, not scheduled yet', pod({ phase: 'Pending', statuses: undefined }), ['0/1', 'Pending', '0']],
    ['container creating', pod({ phase: 'Pending', statuses: [waiting('app', 'ContainerCreating')] }), ['0/1', 'ContainerCreating', '0']],
    ['image pull backoff', pod({ phase: 'Pending', statuses: [waiting('app', 'ImagePullBackOff')] }), ['0/1', 'ImagePullBackOff', '0']],
    [
      'crash loop with the last restart 5 minutes ago',
      pod({
        statuses: [
          waiting('app', 'CrashLoopBackOff', {
            restartCount: 3,
            lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(6 * MIN), finishedAt: ago(5 * MIN) } },
          }),
        ],
      }),
      ['0/1', 'CrashLoopBackOff', '3 (5m ago)'],
    ],
    [
      'restarts are summed over containers, the newest finishedAt wins',
      pod({
        containers: ['app', 'sidecar'],
        statuses: [
          running('app', { restartCount: 2, lastState: { terminated: { exitCode: 137, finishedAt: ago(90 * MIN) } } }),
          running('sidecar', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(100 * SEC) } } }),
        ],
      }),
      ['2/2', 'Running', '3 (100s ago)'],
    ],
    ['restart count without a last termination time', pod({ statuses: [running('app', { restartCount: 4 })] }), ['1/1', 'Running', '4']],
    ['completed', pod({ phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] }), ['0/1', 'Completed', '0']],
    ['error', pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 1, reason: 'Error' })] }), ['0/1', 'Error', '0']],
    ['OOMKilled', pod({ statuses: [terminated('app', { exitCode: 137, reason: 'OOMKilled' })] }), ['0/1', 'OOMKilled', '0']],
    ['terminated without a reason: exit code', pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 2 })] }), ['0/1', 'ExitCode:2', '0']],
    ['terminated without a reason: signal', pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 137, signal: 9 })] }), ['0/1', 'Signal:9', '0']],
    ['evicted (status.reason)', pod({ phase: 'Failed', reason: 'Evicted', statuses: [] }), ['0/1', 'Evicted', '0']],
    [
      'scheduling gated',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ['0/1', 'SchedulingGated', '0'],
    ],
    [
      'a completed container beside a running one, pod Ready',
      pod({
        containers: ['job', 'app'],
        conditions: [{ type: 'Ready', status: 'True' }],
        statuses: [terminated('job', { exitCode: 0, reason: 'Completed' }), running('app')],
      }),
      ['1/2', 'Running', '0'],
    ],
    [
      'a completed container beside a running one, pod not Ready',
      pod({
        containers: ['job', 'app'],
        conditions: [{ type: 'Ready', status: 'False' }],
        statuses: [terminated('job', { exitCode: 0, reason: 'Completed' }), running('app')],
      }),
      ['1/2', 'NotReady', '0'],
    ],
    ['running but not ready', pod({ statuses: [running('app', { ready: false })] }), ['0/1', 'Running', '0']],
  ];
  for (const [name, p, want] of cases) it(name, () => assert.deepEqual(basic(p), want));
});

describe('pods table: init containers', () => {
  const init = [{ name: 'migrate' }, { name: 'warm' }];
  const cases: [string, KubeObject, unknown[]][] = [
    [
      'first init container waiting to start',
      pod({ phase: 'Pending', init, initStatuses: [waiting('migrate', 'PodInitializing'), waiting('warm', 'PodInitializing')], statuses: [waiting('app', 'PodInitializing')] }),
      ['0/1', 'Init:0/2', '0'],
    ],
    [
      'second init container running',
      pod({ phase: 'Pending', init, initStatuses: [terminated('migrate', { exitCode: 0, reason: 'Completed' }), running('warm')], statuses: [waiting('app', 'PodInitializing')] }),
      ['0/1', 'Init:1/2', '0'],
    ],
    [
      'init container crash looping, restarts counted',
      pod({
        phase: 'Pending',
        init,
        initStatuses: [waiting('migrate', 'CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } } }), waiting('warm', 'PodInitializing')],
        statuses: [waiting('app', 'PodInitializing')],
      }),
      ['0/1', 'Init:CrashLoopBackOff', '4 (2m ago)'],
    ],
    ['init container failed with a reason', pod({ phase: 'Failed', init, initStatuses: [terminated('migrate', { exitCode: 1, reason: 'Error' })] }), ['0/1', 'Init:Error', '0']],
    ['init container failed without a reason', pod({ phase: 'Failed', init, initStatuses: [terminated('migrate', { exitCode: 3 })] }), ['0/1', 'Init:ExitCode:3', '0']],
    ['an init container that exited 0 is done, whatever else it reports', pod({ phase: 'Failed', init, initStatuses: [terminated('migrate', { exitCode: 0, signal: 9 })] }), ['0/1', 'Failed', '0']],
    ['init container signal with a non-zero exit', pod({ phase: 'Failed', init, initStatuses: [terminated('migrate', { exitCode: 137, signal: 9 })] }), ['0/1', 'Init:Signal:9', '0']],
    [
      'all init containers done: app containers decide',
      pod({
        init,
        initStatuses: [terminated('migrate', { exitCode: 0, reason: 'Completed' }), terminated('warm', { exitCode: 0, reason: 'Completed' })],
        statuses: [running('app')],
      }),
      ['1/1', 'Running', '0'],
    ],
    [
      'a started sidecar (restartable init container) counts as a container and its restarts are kept',
      pod({
        init: [{ name: 'proxy', restartPolicy: 'Always' }],
        initStatuses: [running('proxy', { started: true, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * MIN) } } })],
        statuses: [running('app')],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      ['2/2', 'Running', '2 (30m ago)'],
    ],
    [
      'a sidecar that has not started yet blocks initialization',
      pod({ phase: 'Pending', init: [{ name: 'proxy', restartPolicy: 'Always' }], initStatuses: [waiting('proxy', 'PodInitializing', { started: false })], statuses: [] }),
      ['0/2', 'Init:0/1', '0'],
    ],
  ];
  for (const [name, p, want] of cases) it(name, () => assert.deepEqual(basic(p), want));
});

describe('pods table: deletion', () => {
  it('Terminating while a non-terminal pod is being deleted', () => {
    assert.deepEqual(basic(pod({ statuses: [running('app')], deletionTimestamp: ago(10 * SEC) })), ['1/1', 'Terminating', '0']);
  });
  it('a terminal pod keeps its status while deleted', () => {
    assert.deepEqual(basic(pod({ phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })], deletionTimestamp: ago(10 * SEC) })), ['0/1', 'Completed', '0']);
  });
  it('a failed pod keeps its status while deleted', () => {
    assert.deepEqual(basic(pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 1, reason: 'Error' })], deletionTimestamp: ago(10 * SEC) })), ['0/1', 'Error', '0']);
  });
  it('Unknown when the node was lost', () => {
    assert.deepEqual(basic(pod({ reason: 'NodeLost', statuses: [running('app')], deletionTimestamp: ago(10 * SEC) })), ['1/1', 'Unknown', '0']);
  });
});

describe('pods table: wide cells and row conditions', () => {
  it('IP, node, nominated node, readiness gates', () => {
    const p = pod({ statuses: [running('app')], conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/lb', status: 'True' }] });
    (p.spec as Record<string, unknown>).readinessGates = [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }];
    (p.status as Record<string, unknown>).nominatedNodeName = 'node-2';
    assert.deepEqual(cells(pods, p), ['web-7d4b9c-x2x4z', '1/1', 'Running', '0', '5m', '10.244.1.7', 'node-1', 'node-2', '1/2']);
  });
  it('<none> for an unscheduled pod without an IP; podIPs when podIP is absent', () => {
    const p = pod({ phase: 'Pending' });
    const status = p.status as Record<string, unknown>;
    delete status.podIP;
    status.podIPs = [];
    (p.spec as Record<string, unknown>).nodeName = undefined;
    assert.deepEqual(cells(pods, p).slice(5), ['<none>', '<none>', '<none>', '<none>']);
    status.podIPs = [{ ip: 'fd00::7' }, { ip: '10.0.0.7' }];
    assert.equal(cells(pods, p)[5], 'fd00::7');
  });
  it('Succeeded and Failed pods carry the Completed row condition', () => {
    const t = table(pods, [pod({ phase: 'Succeeded' }), pod({ phase: 'Failed' }), pod({ phase: 'Running' })]);
    assert.deepEqual(t.rows[0]!.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    assert.deepEqual(t.rows[1]!.conditions, [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
    assert.equal(t.rows[2]!.conditions, undefined);
  });
  it('AGE is measured against the given now', () => {
    const p = pod({ statuses: [running('app')] });
    (p.metadata as Record<string, unknown>).creationTimestamp = new Date(NOW.getTime() - (2 * 24 + 3) * 3600 * 1000).toISOString();
    assert.equal(cells(pods, p)[4], '2d3h');
    (p.metadata as Record<string, unknown>).creationTimestamp = undefined;
    assert.equal(cells(pods, p)[4], '<unknown>');
  });
});
