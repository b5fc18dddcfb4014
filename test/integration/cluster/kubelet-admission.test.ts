/**
 * Kubelet admission end to end: a pod bound by hand (spec.nodeName, no scheduler) that does not fit the node's
 * allocatable is rejected by the kubelet — phase Failed, reason OutOfcpu, upstream's "Pod was rejected: …" message
 * and a Warning event — while a pod that fits runs.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyCliOverrides, defaultClusterConfig } from '../../../src/cluster/config';
import { R, type Obj } from '../../../src/controllers/framework';
import { startNodesCluster, type NodesCluster } from '../../helpers/cluster-nodes';

const pod = (name: string, cpu: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName: 'kubelab-worker', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu } } }] },
});

type PodStatus = { status?: { phase?: string; reason?: string; message?: string } };

describe('kubelet admission', () => {
  let c: NodesCluster;
  before(async () => {
    // No DNS or ingress add-on: their pods would share the one worker and its CPU accounting.
    const config = applyCliOverrides(defaultClusterConfig(), { nodes: 1, port: 0 });
    config.addons = { dns: { enabled: false, port: 0 }, ingress: { enabled: false, port: 0 } };
    c = await startNodesCluster({ config });
  });
  after(async () => c.stop());

  it('rejects a pod bound by hand that needs more cpu than the node has left; runs one that fits', async () => {
    const node = (await c.admin.get(R.nodes, '', 'kubelab-worker')) as { status: { allocatable: { cpu: string } } };
    const milli = Math.round(Number.parseFloat(node.status.allocatable.cpu) * 1000);
    await c.admin.create(R.pods, 'default', pod('fits', '500m'));
    await c.until('the pod that fits Running', async () => ((await c.admin.get(R.pods, 'default', 'fits')) as PodStatus).status?.phase === 'Running');
    await c.admin.create(R.pods, 'default', pod('toobig', `${milli}m`));
    const rejected = await c.until('the big pod rejected', async () => {
      const p = (await c.admin.get(R.pods, 'default', 'toobig')) as PodStatus;
      return p.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(rejected.status?.reason, 'OutOfcpu');
    assert.equal(rejected.status?.message, `Pod was rejected: Node didn't have enough resource: cpu, requested: ${milli}, used: 500, capacity: ${milli}`);
    // The kubelet's event recorder writes the event on its own, after the status: wait for it rather than race it.
    await c.until('the OutOfcpu Warning event', async () => {
      const events = (await c.admin.list(R.events, 'default')).items as { reason?: string; involvedObject: { name: string }; type?: string }[];
      return events.some((e) => e.involvedObject.name === 'toobig' && e.reason === 'OutOfcpu' && e.type === 'Warning');
    });
    await c.advance(5000);
    assert.equal(((await c.admin.get(R.pods, 'default', 'toobig')) as PodStatus).status?.phase, 'Failed', 'it stays rejected');
  });
});
