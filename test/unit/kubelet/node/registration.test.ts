/** Registration helpers: which labels a node may set itself, and the reconcile patch on AlreadyExists. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { silentLogger } from '../../../../src/base/logger';
import { ApiClient, type Obj } from '../../../../src/controllers/framework';
import type { RestRequest, Transport } from '../../../../src/client/transport';
import { buildNode, type NodeConfig } from '../../../../src/kubelet/node/node-object';
import { isNodeSettableLabel, reconcilePatch, registerNode, splitLabels } from '../../../../src/kubelet/node/registration';

const cfg: NodeConfig = { name: 'n1', internalIP: '10.0.0.1', capacity: { cpu: '1', memory: '1Gi' }, containerRuntimeVersion: 'sim://1.0.0' };

describe('isNodeSettableLabel (kubelet --node-labels / NodeRestriction)', () => {
  const cases: [string, boolean][] = [
    ['kubernetes.io/hostname', true],
    ['kubernetes.io/os', true],
    ['beta.kubernetes.io/arch', true],
    ['topology.kubernetes.io/zone', true],
    ['node.kubernetes.io/instance-type', true],
    ['node.kubernetes.io/anything', true],
    ['sub.kubelet.kubernetes.io/x', true],
    ['example.com/team', true],
    ['team', true],
    ['node-role.kubernetes.io/control-plane', false],
    ['node-role.kubernetes.io/worker', false],
    ['node-restriction.kubernetes.io/pool', false],
    ['other.k8s.io/x', false],
    ['kubernetes.io/custom', false],
  ];
  for (const [key, want] of cases) it(`${key} → ${want}`, () => assert.equal(isNodeSettableLabel(key), want));

  it('splitLabels partitions', () => {
    assert.deepEqual(splitLabels({ a: '1', 'node-role.kubernetes.io/worker': '' }), { own: { a: '1' }, privileged: { 'node-role.kubernetes.io/worker': '' } });
  });
});

describe('reconcilePatch (updateDefaultLabels + controller-managed-attach-detach)', () => {
  const wanted = buildNode(cfg, 0);
  it('nothing to do when the existing node already matches', () => {
    assert.equal(reconcilePatch(cfg, wanted, { metadata: { labels: { ...wanted.metadata.labels, team: 'x' }, annotations: wanted.metadata.annotations } }), undefined);
  });
  it('restores changed or missing kubelet labels and the annotation, nothing else', () => {
    const existing: Obj = { metadata: { labels: { 'kubernetes.io/hostname': 'other', team: 'x' } } };
    assert.deepEqual(reconcilePatch(cfg, wanted, existing), {
      metadata: {
        labels: { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux' },
        annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
    });
  });
});

/** A Transport answering from a script of statuses, recording requests. */
function scripted(statuses: number[]): { t: Transport; seen: RestRequest[] } {
  const seen: RestRequest[] = [];
  const t: Transport = {
    request: async (req) => {
      seen.push(req);
      const status = statuses.shift() ?? 201;
      return { status, headers: {}, body: status >= 300 ? { kind: 'Status', reason: status === 409 ? 'AlreadyExists' : 'InternalError', message: 'boom' } : { metadata: { name: 'n1' } } };
    },
    watch: async () => ({ status: 405, headers: {}, body: {} }),
    close: () => undefined,
  };
  return { t, seen };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('registerNode retries on the clock', () => {
  it('backs off 100 ms, 200 ms, 400 ms … between failed tries', async () => {
    const clock = new FakeClock();
    const { t, seen } = scripted([500, 500, 500, 201]);
    const p = registerNode({ client: new ApiClient(t), config: cfg, build: (now) => buildNode(cfg, now), clock, logger: silentLogger });
    await flush();
    assert.equal(seen.length, 1);
    clock.advance(99);
    await flush();
    assert.equal(seen.length, 1);
    clock.advance(1);
    await flush();
    assert.equal(seen.length, 2);
    clock.advance(200);
    await flush();
    assert.equal(seen.length, 3);
    clock.advance(399);
    await flush();
    assert.equal(seen.length, 3);
    clock.advance(1);
    assert.equal(await p, 'created');
    assert.equal(seen.length, 4);
  });

  it('stops when aborted', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const { t } = scripted([500, 500]);
    const p = registerNode({ client: new ApiClient(t), config: cfg, build: (now) => buildNode(cfg, now), clock, logger: silentLogger, signal: ac.signal });
    await flush();
    ac.abort();
    assert.equal(await p, 'stopped');
    assert.equal(clock.pendingTimers(), 0);
  });
});
