/**
 * The Cluster view's actions against the real in-process cluster (fake clock): scale through /scale, rollout restart,
 * cordon/uncordon wording, drain refusing a bare pod with kubectl's text and then evicting a Deployment's pods off a
 * node, delete, logs; and the tree model fed from real lists.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../src/controllers/framework';
import { ClusterTreeModel, cordon, deleteObject, drain, readLogs, restartRollout, scale, uncordon } from '../../src/ui/cluster';
import { isRunningReady, startNodesCluster, type NodesCluster } from '../helpers/cluster-nodes';

const NS = 'default';

describe('Cluster view actions (in-process cluster)', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 2 });
  });
  after(async () => c.stop());

  it('scales, restarts, cordons, refuses and then completes a drain, deletes, reads logs', async () => {
    const t = c.transport;
    const opts = { clock: c.clock };
    await c.admin.create(R.deployments, NS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; sleep 3600'] }] } } },
    });
    assert.equal(await scale(t, 'deployment', NS, 'web', 3), 'deployment.apps/web scaled');
    const pods = await c.until('3 web pods running', async () => {
      const ps = await c.pods(NS, 'app=web');
      return ps.length === 3 && ps.every(isRunningReady) ? ps : undefined;
    });
    await assert.rejects(scale(t, 'deployment', NS, 'nope', 1), /deployments.apps "nope" not found/);

    assert.equal(await restartRollout(t, 'Deployment', NS, 'web', opts), 'deployment.apps/web restarted');
    const d = (await c.admin.get(R.deployments, NS, 'web')) as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    assert.match(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const node = pods[0]!.spec.nodeName!;
    assert.equal(await cordon(t, node), `node/${node} cordoned`);
    assert.equal(await cordon(t, node), `node/${node} already cordoned`);
    assert.equal(await uncordon(t, node), `node/${node} uncordoned`);
    assert.equal(await uncordon(t, node), `node/${node} already uncordoned`);

    await c.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] } });
    await assert.rejects(drain(t, node, { ignoreDaemonSets: true, clock: c.clock }), { message: `cannot delete Pods that declare no controller (use --force to override): ${NS}/bare` });
    assert.equal(await deleteObject(t, 'pod', NS, 'bare'), 'pod "bare" deleted');
    await c.until('bare gone', async () => !(await c.pod(NS, 'bare')));

    const lines: string[] = [];
    let result: string | undefined;
    let failure: unknown;
    void drain(t, node, { ignoreDaemonSets: true, clock: c.clock, onProgress: (l) => lines.push(l), timeoutMs: 120_000 }).then((r) => (result = r), (e) => (failure = e));
    await c.until('drained', () => result ?? failure, { maxMs: 130_000 });
    assert.equal(failure, undefined);
    assert.equal(result, `node/${node} drained`);
    assert.equal(lines[0], `node/${node} already cordoned`, "the refused drain had cordoned it, as kubectl does");
    assert.ok(lines.some((l) => /^evicting pod default\/web-/.test(l)), lines.join('\n'));
    const after = await c.pods(NS, 'app=web');
    assert.ok(after.every((p) => p.spec.nodeName !== node || p.metadata.deletionTimestamp), 'no live web pod left on the drained node');

    const running = await c.until('web pods running elsewhere', async () => {
      const ps = (await c.pods(NS, 'app=web')).filter((p) => isRunningReady(p) && !p.metadata.deletionTimestamp);
      return ps.length === 3 ? ps : undefined;
    });
    assert.equal(await readLogs(t, NS, running[0]!.metadata.name, 'c'), 'hello\n');
    await assert.rejects(readLogs(t, NS, running[0]!.metadata.name, 'nope'), /container nope is not valid for pod/);

    const model = new ClusterTreeModel(() => c.clock.now());
    for (const [res, r] of [['nodes', R.nodes], ['namespaces', R.namespaces], ['deployments', R.deployments], ['replicasets', R.replicasets], ['pods', R.pods]] as const) {
      model.reset(res, ((await c.admin.list(r, res === 'nodes' || res === 'namespaces' ? '' : NS)).items ?? []) as never);
    }
    const webPods = model.childIds('workload/default/deployment/web');
    assert.ok(webPods.length >= 3, webPods.join(','));
    assert.equal(model.item(`node/${node}`)!.contextValue, 'kubelab.node.cordoned');
  });
});
