import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, ago, headers, meta, resource, table } from './fixtures';

describe('namespaces, configmaps, secrets, serviceaccounts', () => {
  it('namespaces: NAME STATUS AGE', () => {
    const t = table(resource('namespaces'), [
      { metadata: { name: 'default', creationTimestamp: ago(9 * DAY) }, status: { phase: 'Active' } },
      { metadata: { name: 'old', creationTimestamp: ago(DAY), deletionTimestamp: ago(1000) }, status: { phase: 'Terminating' } },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [['default', 'Active', '9d'], ['old', 'Terminating', '24h']]);
  });
  it('configmaps: DATA counts data and binaryData keys', () => {
    const t = table(resource('configmaps'), [
      { metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } },
      { metadata: meta('mixed'), data: { a: '1', b: '2' }, binaryData: { c: 'AAE=' } },
      { metadata: meta('empty') },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'DATA', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [['kube-root-ca.crt', 1, '5m'], ['mixed', 3, '5m'], ['empty', 0, '5m']]);
  });
  it('secrets: TYPE and DATA', () => {
    const t = table(resource('secrets'), [
      { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' } },
      { metadata: meta('plain'), type: 'Opaque' },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [['tls', 'kubernetes.io/tls', 2, '5m'], ['plain', 'Opaque', 0, '5m']]);
  });
  it('serviceaccounts: SECRETS', () => {
    const t = table(resource('serviceaccounts'), [{ metadata: meta('default') }, { metadata: meta('legacy'), secrets: [{ name: 'legacy-token' }] }]);
    assert.deepEqual(headers(t), ['NAME', 'SECRETS', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [['default', 0, '5m'], ['legacy', 1, '5m']]);
  });
});

describe('resourcequotas, limitranges, componentstatuses', () => {
  it('resourcequotas: NAME REQUEST LIMIT AGE, resources sorted, used/hard in canonical quantities', () => {
    const t = table(resource('resourcequotas'), [
      {
        metadata: meta('compute'),
        spec: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '4Gi', 'limits.cpu': '4', 'requests.memory': '2048Mi' } },
        status: {
          hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '4Gi', 'limits.cpu': '4', 'requests.memory': '2048Mi' },
          used: { pods: '3', 'requests.cpu': '1500m', 'limits.memory': '1.5Gi', 'limits.cpu': '0', 'requests.memory': '512Mi' },
        },
      },
      { metadata: meta('fresh'), spec: { hard: { pods: '5' } } },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'REQUEST', 'LIMIT', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['compute', 'pods: 3/10, requests.cpu: 1500m/2, requests.memory: 512Mi/2Gi', 'limits.cpu: 0/4, limits.memory: 1536Mi/4Gi', '5m'],
      ['fresh', '', '', '5m'],
    ]);
  });
  it('limitranges use the default table', () => {
    const t = table(resource('limitranges'), [{ metadata: meta('defaults', { creationTimestamp: '2024-05-31T23:59:59Z' }), spec: { limits: [] } }]);
    assert.deepEqual(headers(t), ['NAME', 'CREATED AT']);
    assert.deepEqual(t.rows[0]!.cells, ['defaults', '2024-05-31T23:59:59Z']);
  });
  it('componentstatuses: STATUS MESSAGE ERROR from the Healthy condition, no AGE', () => {
    const t = table(resource('componentstatuses'), [
      { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] },
      { metadata: { name: 'scheduler' }, conditions: [{ type: 'Healthy', status: 'False', error: 'Get "https://127.0.0.1:10259/healthz": dial tcp: connection refused' }] },
      { metadata: { name: 'controller-manager' } },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['etcd-0', 'Healthy', 'ok', ''],
      ['scheduler', 'Unhealthy', '', 'Get "https://127.0.0.1:10259/healthz": dial tcp: connection refused'],
      ['controller-manager', 'Unknown', '', ''],
    ]);
  });
});

describe('leases, priorityclasses, customresourcedefinitions', () => {
  it('leases: HOLDER', () => {
    const t = table(resource('leases'), [{ metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_8c2f', leaseDurationSeconds: 15 } }, { metadata: meta('free'), spec: {} }]);
    assert.deepEqual(headers(t), ['NAME', 'HOLDER', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [['kube-scheduler', 'cp-1_8c2f', '5m'], ['free', '', '5m']]);
  });
  it('priorityclasses: VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY with upstream types', () => {
    const t = table(resource('priorityclasses'), [
      { metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' },
      { metadata: meta('batch'), value: -10, globalDefault: true, preemptionPolicy: 'Never' },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    assert.deepEqual(t.columnDefinitions.map((c) => c.type), ['string', 'integer', 'boolean', 'string', 'string']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['system-node-critical', 2000001000, false, '5m', 'PreemptLowerPriority'],
      ['batch', -10, true, '5m', 'Never'],
    ]);
  });
  it('customresourcedefinitions: NAME CREATED AT', () => {
    const t = table(resource('customresourcedefinitions'), [{ metadata: { name: 'widgets.example.com', creationTimestamp: '2024-06-01T11:00:00Z' } }, { metadata: { name: 'no-time.example.com' } }]);
    assert.deepEqual(headers(t), ['NAME', 'CREATED AT']);
    assert.deepEqual(t.rows.map((r) => r.cells), [['widgets.example.com', '2024-06-01T11:00:00Z'], ['no-time.example.com', '0001-01-01T00:00:00Z']]);
  });
});
