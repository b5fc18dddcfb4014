/**
 * A node with `runtime: process` (opt-in) in a real cluster, on the real clock: its Node says so in
 * containerRuntimeVersion, a pod scheduled there runs its command as a real local process (`sh -c`), its output is
 * the container's log through pods/log, and it ends Succeeded with exit code 0; a failing command ends Failed with
 * its exit code.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseClusterConfig } from '../../../src/cluster/config';
import { ApiClient, R, type Obj } from '../../../src/controllers/framework';
import { startTestCluster, type TestCluster } from '../../helpers/apiserver';
import { waitFor } from '../../helpers/wait';

const NODE = 'proc';

type PodLike = { status?: { phase?: string; containerStatuses?: { state?: { terminated?: { exitCode?: number; reason?: string } } }[] } };

const pod = (name: string, script: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName: NODE, restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script], env: [{ name: 'GREETING', value: 'hello from a process' }] }] },
});

describe('runtime: process', () => {
  let tc: TestCluster;
  let admin: ApiClient;
  before(async () => {
    const { config, warnings } = parseClusterConfig(
      { apiVersion: 'kubelab.dev/v1alpha1', kind: 'ClusterConfig', port: 0, nodes: [{ name: NODE, runtime: 'process' }] },
      'test',
    );
    assert.deepEqual(warnings, [`node ${NODE} runs containers as real local processes (runtime: process)`]);
    tc = await startTestCluster({ controllers: ['*'], scheduler: true, config });
    admin = new ApiClient(tc.inProcess());
  });
  after(async () => tc?.stop());

  it('the Node says its runtime runs local processes', async () => {
    const n = (await admin.get(R.nodes, '', NODE)) as { status: { nodeInfo: { containerRuntimeVersion: string } } };
    assert.match(n.status.nodeInfo.containerRuntimeVersion, /^kubelab-process:\/\//);
  });

  it('a pod runs its command as a real process: the environment, the output as the log, Succeeded', async () => {
    await admin.create(R.pods, 'default', pod('ok', 'echo "$GREETING"; echo "pid $$" >/dev/null; exit 0'));
    const p = (await waitFor(async () => {
      const x = (await admin.get(R.pods, 'default', 'ok')) as PodLike;
      return x.status?.phase === 'Succeeded' ? x : false;
    }, 'the pod Succeeded', { timeoutMs: 20_000, intervalMs: 100 })) as PodLike;
    assert.equal(p.status?.containerStatuses?.[0].state?.terminated?.exitCode, 0);
    const res = await tc.cluster.handle({ method: 'GET', path: '/api/v1/namespaces/default/pods/ok/log', query: new URLSearchParams(), headers: { authorization: `Bearer ${tc.cluster.adminToken}` } });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'hello from a process\n');
  });

  it('a failing command ends Failed with its exit code', async () => {
    await admin.create(R.pods, 'default', pod('bad', 'exit 3'));
    const p = (await waitFor(async () => {
      const x = (await admin.get(R.pods, 'default', 'bad')) as PodLike;
      return x.status?.phase === 'Failed' ? x : false;
    }, 'the pod Failed', { timeoutMs: 20_000, intervalMs: 100 })) as PodLike;
    assert.equal(p.status?.containerStatuses?.[0].state?.terminated?.exitCode, 3);
    assert.equal(p.status?.containerStatuses?.[0].state?.terminated?.reason, 'Error');
  });
});
