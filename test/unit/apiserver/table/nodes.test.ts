import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, HOUR, ago, cells, headers, resource, table } from './fixtures';

const nodes = resource('nodes');

function node(name: string, opts: { labels?: Record<string, string>; ready?: string | null; unschedulable?: boolean; info?: Record<string, string> }) {
  return {
    metadata: { name, creationTimestamp: ago(2 * DAY + 17 * HOUR), labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { unschedulable: opts.unschedulable },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, ...(opts.ready === null ? [] : [{ type: 'Ready', status: opts.ready ?? 'True' }])],
      addresses: [
        { type: 'Hostname', address: name },
        { type: 'InternalIP', address: '172.18.0.2' },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0-45-generic', containerRuntimeVersion: 'containerd://1.7.22', ...opts.info },
    },
  };
}

describe('nodes table', () => {
  it('columns: NAME STATUS ROLES AGE VERSION + INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME', () => {
    assert.deepEqual(headers(table(nodes, [])), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', '+INTERNAL-IP', '+EXTERNAL-IP', '+OS-IMAGE', '+KERNEL-VERSION', '+CONTAINER-RUNTIME']);
  });
  const cases: [string, ReturnType<typeof node>, unknown[]][] = [
    ['control plane, Ready', node('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }), ['cp-1', 'Ready', 'control-plane', '2d17h', 'v1.32.4']],
    ['worker without roles', node('w-1', {}), ['w-1', 'Ready', '<none>', '2d17h', 'v1.32.4']],
    ['NotReady', node('w-2', { ready: 'False' }), ['w-2', 'NotReady', '<none>', '2d17h', 'v1.32.4']],
    ['Ready condition Unknown prints NotReady', node('w-3', { ready: 'Unknown' }), ['w-3', 'NotReady', '<none>', '2d17h', 'v1.32.4']],
    ['no Ready condition', node('w-4', { ready: null }), ['w-4', 'Unknown', '<none>', '2d17h', 'v1.32.4']],
    ['cordoned', node('w-5', { unschedulable: true }), ['w-5', 'Ready,SchedulingDisabled', '<none>', '2d17h', 'v1.32.4']],
    ['cordoned and NotReady', node('w-6', { ready: 'False', unschedulable: true }), ['w-6', 'NotReady,SchedulingDisabled', '<none>', '2d17h', 'v1.32.4']],
    [
      'roles from both label forms, sorted and unique; empty role suffix ignored',
      node('cp-2', { labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/': '', 'node-role.kubernetes.io/etcd': 'true' } }),
      ['cp-2', 'Ready', 'control-plane,etcd,master', '2d17h', 'v1.32.4'],
    ],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(cells(nodes, obj).slice(0, 5), want));

  it('wide cells: first InternalIP / ExternalIP, <none> and <unknown> for missing values', () => {
    assert.deepEqual(cells(nodes, node('w-1', {})).slice(5), ['172.18.0.2', '<none>', 'Ubuntu 24.04 LTS', '6.8.0-45-generic', 'containerd://1.7.22']);
    const bare = node('w-9', { info: { osImage: '', kernelVersion: '', containerRuntimeVersion: '' } });
    bare.status.addresses = [{ type: 'ExternalIP', address: '203.0.113.5' }, { type: 'ExternalIP', address: '203.0.113.6' }];
    assert.deepEqual(cells(nodes, bare).slice(5), ['<none>', '203.0.113.5', '<unknown>', '<unknown>', '<unknown>']);
  });
});
