/**
 * The scheduler end to end against a real in-process cluster (no kubelets): nodes created through the API, pods bound
 * through pods/binding, the Scheduled / FailedScheduling events with upstream's text, the PodScheduled condition, and
 * the "why this node" annotations (on the Binding, and on the failure's status patch).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryLogger } from '../../../src/base/logger';
import { ApiClient, type Obj } from '../../../src/controllers/framework/api-client';
import { R } from '../../../src/controllers/framework/resources';
import { startScheduler, type RunningScheduler } from '../../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { waitFor } from '../../helpers/wait';

let tc: TestCluster;
let admin: ApiClient;
let sched: RunningScheduler;
const log = memoryLogger('warn');

function node(name: string, cpu: string, labels: Record<string, string> = {}): Obj {
  const alloc = { cpu, memory: '8Gi', pods: '110' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function pod(name: string, o: { cpu?: string; nodeSelector?: Record<string, string> } = {}): Obj {
  const resources = o.cpu ? { requests: { cpu: o.cpu } } : {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources }], ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}) } };
}

async function createNode(n: Obj): Promise<void> {
  await admin.create(R.nodes, '', n);
  // Keep the status we asked for even if create dropped it.
  await admin.patch(R.nodes, '', String(n.metadata?.name), { status: n.status }, 'merge', 'status');
}

const getPod = (name: string) => admin.get(R.pods, 'default', name);
const events = async (reason: string, name: string) =>
  (((await admin.list(R.events, 'default')).items ?? []) as Obj[]).filter((e) => e.reason === reason && (e.involvedObject as { name?: string }).name === name);

describe('scheduler end to end', () => {
  before(async () => {
    tc = await startTestCluster();
    admin = new ApiClient(tc.inProcess());
    await createNode(node('node-1', '4', { disk: 'ssd' }));
    await createNode(node('node-2', '4'));
    await createNode(node('node-3', '4'));
    sched = await startScheduler({ handle: (r) => tc.cluster.handle(r), logger: log.logger });
  });

  after(async () => {
    await sched?.close();
    await tc?.stop();
  });

  it('binds a pod, records Scheduled with upstream text and explains the choice', async () => {
    await admin.create(R.pods, 'default', pod('web-1', { cpu: '100m' }));
    const bound = (await waitFor(async () => {
      const p = await getPod('web-1');
      return (p.spec as { nodeName?: string }).nodeName ? p : undefined;
    }, 'web-1 bound', { timeoutMs: 10_000 })) as Obj;
    const host = String((bound.spec as { nodeName: string }).nodeName);
    assert.match(host, /^node-[123]$/);
    await sched.idle();
    const ev = await waitFor(() => events('Scheduled', 'web-1').then((l) => l[0]), 'Scheduled event', { timeoutMs: 5000 });
    assert.equal(ev.message, `Successfully assigned default/web-1 to ${host}`);
    assert.equal(ev.type, 'Normal');
    assert.equal((ev.source as { component?: string }).component, 'default-scheduler');
    assert.equal(ev.reportingComponent, 'default-scheduler');

    const cond = ((bound.status as { conditions?: Obj[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');
    assert.equal(cond?.status, 'True');

    const ann = (bound.metadata?.annotations ?? {}) as Record<string, string>;
    const selected = JSON.parse(ann['scheduler.kubelab.dev/selected-node']) as { node: string; numAllNodes: number; feasibleNodes: number };
    assert.equal(selected.node, host);
    assert.equal(selected.numAllNodes, 3);
    assert.equal(selected.feasibleNodes, 3);
    const filter = JSON.parse(ann['scheduler.kubelab.dev/filter-result']) as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(filter).sort(), ['node-1', 'node-2', 'node-3']);
    assert.equal(filter['node-1'].NodeResourcesFit, 'passed');
    const score = JSON.parse(ann['scheduler.kubelab.dev/score-result']) as { weights: Record<string, number>; columns: string[]; nodes: { node: string; rank: number; total: number; plugins: Record<string, [number, number, number]> }[] };
    assert.deepEqual(score.columns, ['raw', 'normalized', 'weighted']);
    assert.equal(score.weights.TaintToleration, 3);
    assert.equal(score.nodes.length, 3);
    assert.equal(score.nodes[0].node, host);
    assert.equal(score.nodes[0].rank, 1);
    for (const n of score.nodes) {
      const sum = Object.entries(n.plugins).reduce((a, [name, [, normalized, weighted]]) => (assert.equal(weighted, normalized * score.weights[name]), a + weighted), 0);
      assert.equal(n.total, sum);
    }
    const d = sched.lastDecision(String(bound.metadata?.uid));
    assert.equal(d?.selectedNode, host);
  });

  it('spreads by resources: a second pod goes to a less loaded node', async () => {
    await admin.create(R.pods, 'default', pod('big-1', { cpu: '3' }));
    await waitFor(async () => ((await getPod('big-1')).spec as { nodeName?: string }).nodeName, 'big-1 bound', { timeoutMs: 10_000 });
    await admin.create(R.pods, 'default', pod('big-2', { cpu: '3' }));
    const n2 = await waitFor(async () => ((await getPod('big-2')).spec as { nodeName?: string }).nodeName, 'big-2 bound', { timeoutMs: 10_000 });
    const n1 = ((await getPod('big-1')).spec as { nodeName?: string }).nodeName;
    assert.notEqual(n1, n2, 'LeastAllocated spreads the two 3-CPU pods');
  });

  it('reports FailedScheduling with the aggregated reasons and sets PodScheduled=False', async () => {
    await admin.create(R.pods, 'default', pod('huge', { cpu: '8', nodeSelector: { disk: 'ssd' } }));
    // 1.32: node-1 has no lower-priority pod to evict ("No preemption victims found"); the other two are
    // UnschedulableAndUnresolvable for NodeAffinity ("Preemption is not helpful").
    const want =
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.";
    const ev = await waitFor(() => events('FailedScheduling', 'huge').then((l) => l[0]), 'FailedScheduling event', { timeoutMs: 10_000 });
    assert.equal(ev.message, want);
    assert.equal(ev.type, 'Warning');
    const p = (await waitFor(async () => {
      const x = await getPod('huge');
      return ((x.status as { conditions?: Obj[] }).conditions ?? []).some((c) => c.type === 'PodScheduled') ? x : undefined;
    }, 'PodScheduled condition', { timeoutMs: 5000 })) as Obj;
    const cond = ((p.status as { conditions: Obj[] }).conditions).find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, want);
    assert.equal((p.spec as { nodeName?: string }).nodeName, undefined);
    const ann = (p.metadata?.annotations ?? {}) as Record<string, string>;
    const filter = JSON.parse(ann['scheduler.kubelab.dev/filter-result']) as Record<string, Record<string, string>>;
    assert.equal(filter['node-1'].NodeResourcesFit, 'Insufficient cpu');
    assert.equal(filter['node-2'].NodeAffinity, "node(s) didn't match Pod's node affinity/selector");
    assert.equal(ann['scheduler.kubelab.dev/selected-node'], undefined);
    assert.equal(sched.lastDecision(String(p.metadata?.uid))?.message, want);
    assert.equal(sched.pendingPods().unschedulable + sched.pendingPods().backoff, 1);
  });

  it('schedules the parked pod once a node that fits arrives', async () => {
    await createNode(node('node-4', '16', { disk: 'ssd' }));
    const n = await waitFor(async () => ((await getPod('huge')).spec as { nodeName?: string }).nodeName, 'huge bound after NodeAdd', { timeoutMs: 15_000 });
    assert.equal(n, 'node-4');
    const ann = ((await getPod('huge')).metadata?.annotations ?? {}) as Record<string, string>;
    assert.equal(JSON.parse(ann['scheduler.kubelab.dev/selected-node']).node, 'node-4');
  });

  it('ignores pods for another scheduler', async () => {
    const p = pod('other');
    (p.spec as Record<string, unknown>).schedulerName = 'my-scheduler';
    await admin.create(R.pods, 'default', p);
    await new Promise((r) => setTimeout(r, 200));
    await sched.idle();
    assert.equal(((await getPod('other')).spec as { nodeName?: string }).nodeName, undefined);
  });

  it('preempts a lower-priority pod: nominates the node, deletes the victim, then binds', async () => {
    await admin.create({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' }, '', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    // A dedicated node only these two pods select.
    await createNode(node('node-p', '1', { pool: 'preempt' }));
    const low = pod('low', { cpu: '800m', nodeSelector: { pool: 'preempt' } });
    await admin.create(R.pods, 'default', low);
    await waitFor(async () => ((await getPod('low')).spec as { nodeName?: string }).nodeName, 'low bound', { timeoutMs: 10_000 });
    const high = pod('high', { cpu: '800m', nodeSelector: { pool: 'preempt' } });
    (high.spec as Record<string, unknown>).priorityClassName = 'high';
    await admin.create(R.pods, 'default', high);
    const nominated = await waitFor(async () => {
      const p = await getPod('high');
      return (p.status as { nominatedNodeName?: string }).nominatedNodeName ?? ((p.spec as { nodeName?: string }).nodeName ? 'bound' : undefined);
    }, 'high nominated', { timeoutMs: 10_000 });
    assert.equal(nominated, 'node-p');
    // The victim is deleted (gracefully: no kubelet confirms it, so finish it as the kubelet would).
    const victim = await waitFor(async () => {
      const l = await admin.get(R.pods, 'default', 'low').catch(() => undefined);
      return l === undefined ? 'gone' : l.metadata?.deletionTimestamp ? 'terminating' : undefined;
    }, 'victim deleted', { timeoutMs: 10_000 });
    if (victim === 'terminating') await admin.delete(R.pods, 'default', 'low', { gracePeriodSeconds: 0 });
    const n = await waitFor(async () => ((await getPod('high')).spec as { nodeName?: string }).nodeName, 'high bound', { timeoutMs: 15_000 });
    assert.equal(n, 'node-p');
    const failed = await events('FailedScheduling', 'high');
    assert.equal(failed[0]?.message, "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't match Pod's node affinity/selector.");
  });

  it('a deleted pod frees its node: the parked pod is moved back and bound', async () => {
    await admin.create(R.pods, 'default', pod('waiter', { cpu: '800m', nodeSelector: { pool: 'preempt' } }));
    await waitFor(() => events('FailedScheduling', 'waiter').then((l) => l[0]), 'waiter FailedScheduling', { timeoutMs: 10_000 });
    assert.equal(((await getPod('waiter')).spec as { nodeName?: string }).nodeName, undefined);
    await admin.delete(R.pods, 'default', 'high', { gracePeriodSeconds: 0 });
    const n = await waitFor(async () => ((await getPod('waiter')).spec as { nodeName?: string }).nodeName, 'waiter bound after AssignedPodDelete', { timeoutMs: 15_000 });
    assert.equal(n, 'node-p');
  });

  it('logged no errors (cache and queue stayed consistent)', () => {
    const errors = log.records.filter((r) => r.level === 'error').map((r) => `${r.component}: ${r.message}`);
    assert.deepEqual(errors, []);
  });
});
