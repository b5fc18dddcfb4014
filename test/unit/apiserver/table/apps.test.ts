import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, HOUR, MIN, ago, cells, headers, meta, resource, table } from './fixtures';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }], nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } },
};

describe('deployments table', () => {
  const deployments = resource('deployments');
  it('columns', () => {
    assert.deepEqual(headers(table(deployments, [])), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', '+CONTAINERS', '+IMAGES', '+SELECTOR']);
    assert.deepEqual(table(deployments, []).columnDefinitions.map((c) => c.type), ['string', 'string', 'string', 'string', 'string', 'string', 'string', 'string']);
  });
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    [
      'rolled out',
      { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 } },
      ['web', '3/3', 3, 3, '5m', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web'],
    ],
    [
      'rolling out, nothing ready yet (status fields absent)',
      {
        spec: {
          replicas: 2,
          selector: { matchLabels: { tier: 'fe', app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }, { key: 'legacy', operator: 'DoesNotExist' }] },
          template,
        },
        status: {},
      },
      ['web', '0/2', 0, 0, '5m', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web,env in (canary,prod),!legacy,tier=fe'],
    ],
    [
      'scaled to zero with an invalid selector operator',
      { spec: { replicas: 0, selector: { matchExpressions: [{ key: 'a', operator: 'Near', values: ['x'] }] }, template }, status: {} },
      ['web', '0/0', 0, 0, '5m', 'nginx,log', 'nginx:1.27,fluent-bit:3', '<invalid>'],
    ],
  ];
  for (const [name, body, want] of cases) {
    it(name, () => assert.deepEqual(cells(deployments, { metadata: meta('web'), ...body }), want));
  }
});

describe('replicasets table', () => {
  const rs = resource('replicasets');
  it('NAME DESIRED CURRENT READY AGE + CONTAINERS IMAGES SELECTOR, integer counts', () => {
    const t = table(rs, [
      {
        metadata: meta('web-7d4b9c', { creationTimestamp: ago(3 * DAY + 2 * HOUR) }),
        spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c' } }, template },
        status: { replicas: 3, readyReplicas: 2 },
      },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', '+CONTAINERS', '+IMAGES', '+SELECTOR']);
    assert.deepEqual(t.columnDefinitions.slice(1, 4).map((c) => c.type), ['integer', 'integer', 'integer']);
    assert.deepEqual(t.rows[0]!.cells, ['web-7d4b9c', 3, 3, 2, '3d2h', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web,pod-template-hash=7d4b9c']);
  });
  it('an empty selector prints <none>', () => {
    assert.equal(cells(rs, { metadata: meta('x'), spec: { replicas: 1, selector: {}, template } })[7], '<none>');
  });
});

describe('statefulsets table', () => {
  const sts = resource('statefulsets');
  it('NAME READY AGE + CONTAINERS IMAGES', () => {
    const t = table(sts, [{ metadata: meta('db'), spec: { replicas: 3, template: { spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } }, status: { readyReplicas: 1 } }]);
    assert.deepEqual(headers(t), ['NAME', 'READY', 'AGE', '+CONTAINERS', '+IMAGES']);
    assert.deepEqual(t.rows[0]!.cells, ['db', '1/3', '5m', 'pg', 'postgres:16']);
  });
});

describe('daemonsets table', () => {
  const ds = resource('daemonsets');
  it('counts, node selector and wide columns', () => {
    const t = table(ds, [
      {
        metadata: meta('fluentd', { creationTimestamp: ago(45 * MIN) }),
        spec: { selector: { matchLabels: { name: 'fluentd' } }, template },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
      },
      { metadata: meta('no-selector'), spec: { selector: { matchLabels: { name: 'x' } }, template: { spec: { containers: [] } } }, status: {} },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', '+CONTAINERS', '+IMAGES', '+SELECTOR']);
    assert.deepEqual(t.rows[0]!.cells, ['fluentd', 3, 3, 2, 3, 2, 'disk=ssd,kubernetes.io/os=linux', '45m', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'name=fluentd']);
    assert.deepEqual(t.rows[1]!.cells, ['no-selector', 0, 0, 0, 0, 0, '<none>', '5m', '', '', 'name=x']);
  });
});

describe('controllerrevisions table', () => {
  const cr = resource('controllerrevisions');
  it('CONTROLLER is the lower-cased kind.group/name of the controlling owner', () => {
    const owner = (apiVersion: string, kind: string, controller: boolean) => ({ apiVersion, kind, name: 'web', uid: 'u', controller });
    const t = table(cr, [
      { metadata: meta('web-5f7c', { ownerReferences: [owner('apps/v1', 'StatefulSet', true)] }), revision: 2 },
      { metadata: meta('ds-1', { ownerReferences: [owner('v1', 'Pod', false), owner('v1', 'Pod', true)] }), revision: 1 },
      { metadata: meta('orphan'), revision: 7 },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['web-5f7c', 'statefulset.apps/web', 2, '5m'],
      ['ds-1', 'pod/web', 1, '5m'],
      ['orphan', '<none>', 7, '5m'],
    ]);
  });
});

describe('replicationcontrollers and podtemplates tables', () => {
  it('replicationcontrollers: DESIRED CURRENT READY AGE + CONTAINERS IMAGES SELECTOR (a label map)', () => {
    const rc = resource('replicationcontrollers');
    const t = table(rc, [{ metadata: meta('legacy'), spec: { replicas: 2, selector: { app: 'legacy' }, template }, status: { replicas: 2, readyReplicas: 1 } }]);
    assert.deepEqual(headers(t), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', '+CONTAINERS', '+IMAGES', '+SELECTOR']);
    assert.deepEqual(t.rows[0]!.cells, ['legacy', 2, 2, 1, '5m', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=legacy']);
  });
  it('podtemplates: CONTAINERS IMAGES POD LABELS, no AGE', () => {
    const pt = resource('podtemplates');
    const t = table(pt, [{ metadata: meta('tpl'), template }, { metadata: meta('bare'), template: { spec: { containers: [{ name: 'a', image: 'b' }] } } }]);
    assert.deepEqual(headers(t), ['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['tpl', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web'],
      ['bare', 'a', 'b', '<none>'],
    ]);
  });
});
