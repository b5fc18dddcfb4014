/**
 * The scheduler with a KubeSchedulerConfiguration (config/): two profiles, pods choosing theirs by schedulerName,
 * our NodeCost plugin enabled in one of them with a weight that dominates, and its score in the explanation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/base/logger';
import { ApiClient, type Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { loadSchedulerConfig } from '../../../src/scheduler/config';
import { startScheduler, type RunningScheduler } from '../../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { waitFor } from '../../helpers/wait';

let tc: TestCluster;
let admin: ApiClient;
let sched: RunningScheduler;

const CONFIG = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: cost-scheduler
  plugins:
    multiPoint:
      enabled:
      - name: NodeCost
        weight: 50
`;

function node(name: string, cost: string): Obj {
  const alloc = { cpu: '4', memory: '8Gi', pods: '110' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubelab.dev/hourly-cost': cost } }, status: { capacity: alloc, allocatable: alloc } };
}

const pod = (name: string, schedulerName: string): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { schedulerName, containers: [{ name: 'c', image: 'nginx' }] } });
const nodeOf = async (name: string) => ((await admin.get(R.pods, 'default', name)).spec as { nodeName?: string }).nodeName;

describe('scheduler with a configuration', () => {
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
    for (const [n, c] of [['pricey', '0.90'], ['cheap', '0.05'], ['mid', '0.40']]) {
      await admin.create(R.nodes, '', node(n, c));
      await admin.patch(R.nodes, '', n, { status: node(n, c).status }, 'merge', 'status');
    }
    sched = await startScheduler({ handle: (r) => tc.cluster.handle(r), logger: silentLogger, config: loadSchedulerConfig(CONFIG) });
  });

  after(async () => {
    await sched?.close();
    await tc?.stop();
  });

  it('the cost profile puts every pod on the cheapest node and explains it', async () => {
    for (let i = 0; i < 3; i++) await admin.create(R.pods, 'default', pod(`c${i}`, 'cost-scheduler'));
    for (let i = 0; i < 3; i++) assert.equal(await waitFor(() => nodeOf(`c${i}`), `c${i} bound`, { timeoutMs: 10_000 }), 'cheap');
    const p = await admin.get(R.pods, 'default', 'c0');
    const score = JSON.parse(((p.metadata?.annotations ?? {}) as Record<string, string>)['scheduler.kubelab.dev/score-result']) as { weights: Record<string, number>; nodes: { node: string; plugins: Record<string, number[]> }[] };
    assert.equal(score.weights.NodeCost, 50);
    assert.equal(score.nodes[0].node, 'cheap');
    assert.deepEqual(score.nodes[0].plugins.NodeCost, [100, 100, 5000]);
    assert.equal(sched.lastDecision(String(p.metadata?.uid))?.profile, 'cost-scheduler');
  });

  it('the default profile has no NodeCost and spreads', async () => {
    for (let i = 0; i < 3; i++) await admin.create(R.pods, 'default', { ...pod(`d${i}`, 'default-scheduler'), spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '2' } } }] } });
    const nodes = new Set<string>();
    for (let i = 0; i < 3; i++) nodes.add(String(await waitFor(() => nodeOf(`d${i}`), `d${i} bound`, { timeoutMs: 10_000 })));
    assert.equal(nodes.size, 3, 'LeastAllocated spreads three 2-CPU pods over the three nodes');
    const d = sched.lastDecision(String((await admin.get(R.pods, 'default', 'd0')).metadata?.uid));
    assert.equal(d?.weights.NodeCost, undefined);
  });
});
