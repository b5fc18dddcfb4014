/**
 * The whole control plane as a kubectl user meets it (controller manager + kube-scheduler, no kubelets yet): nodes
 * registered by hand, a Deployment's pods bound across them with upstream's `Scheduled` event text, a pod too big
 * for any node left Pending with the FailedScheduling text and PodScheduled=False, and the "why this node"
 * explanation readable from the pod's annotations.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTable } from '../helpers/kubectl';
import { kubectlSuite } from '../helpers/kubectl-suite';
import { waitFor } from '../helpers/wait';

const node = (name: string, cpu: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
  status: { capacity: { cpu, memory: '8Gi', pods: '110' }, allocatable: { cpu, memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }] },
});

test('kubectl: kube-scheduler binds pods and explains itself', { timeout: 180_000 }, async (t) => {
  await kubectlSuite(
    t,
    async ({ k }) => {
      const rows = async (args: string[]) => parseTable(await k.ok(args)).rows;
      const until = async <T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> => (await waitFor(fn, what, { timeoutMs: 20_000, intervalMs: 200 })) as T;
      await k.ok(['apply', '-f', k.writeManifest('nodes.yaml', [node('node-1', '4'), node('node-2', '4'), node('node-3', '4')])]);

      await t.test('a Deployment is spread over the nodes, with Scheduled events', async () => {
        await k.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3']);
        const pods = await until(async () => {
          const r = await rows(['get', 'pods', '-l', 'app=web', '-o', 'wide']);
          return r.length === 3 && r.every((p) => p.NODE.startsWith('node-')) ? r : undefined;
        }, '3 bound pods');
        assert.equal(new Set(pods.map((p) => p.NODE)).size, 3, 'spread over the three nodes (PodTopologySpread system defaults)');
        const events = await until(async () => {
          const out = await k.ok(['get', 'events', '--field-selector', 'reason=Scheduled', '-o', 'custom-columns=MSG:.message', '--no-headers']);
          return out.trim().split('\n').length === 3 ? out : undefined;
        }, 'three Scheduled events');
        for (const p of pods) assert.ok(events.includes(`Successfully assigned default/${p.NAME} to ${p.NODE}`), events);
        const ann = JSON.parse(await k.ok(['get', 'pod', pods[0].NAME, '-o', 'jsonpath={.metadata.annotations}'])) as Record<string, string>;
        assert.equal((JSON.parse(ann['scheduler.kubelab.dev/selected-node']) as { node: string }).node, pods[0].NODE);
        assert.ok(ann['scheduler.kubelab.dev/filter-result'] && ann['scheduler.kubelab.dev/score-result']);
      });

      await t.test('a pod that fits nowhere stays Pending with the FailedScheduling text', async () => {
        await k.ok(['run', 'huge', '--image=nginx:1.27', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'huge', image: 'nginx:1.27', resources: { requests: { cpu: '64' } } }] } })]);
        const msg = await until(async () => {
          const out = await k.ok(['get', 'events', '--field-selector', 'reason=FailedScheduling,involvedObject.name=huge', '-o', 'custom-columns=MSG:.message', '--no-headers']);
          return out.trim() || undefined;
        }, 'FailedScheduling');
        assert.match(msg, /^0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/);
        const cond = await k.ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']);
        assert.equal(cond, 'Unschedulable');
      });
    },
    { controllers: ['*'], scheduler: true },
  );
});
