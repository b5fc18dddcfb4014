/**
 * End to end with the in-process cluster (control plane + 3 simulated workers on a fake clock): the workload
 * controllers, the scheduler and the kubelets together, asserted on what the API shows. A Deployment of 3 ends in
 * Running, Ready pods on the workers (podIPs from each node's podCIDR, hostIP the node's InternalIP, qosClass,
 * upstream's Scheduled/Pulling/Pulled/Created/Started events); a rolling update moves every pod to the new image
 * (rollout status via the Deployment's status); a Job runs to Complete; a StatefulSet comes up in order; a
 * DaemonSet has one pod per worker, and on the control plane only with a toleration.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { condition, isReady, isRunningReady, startNodesCluster, type NodesCluster, type PodLike } from '../../helpers/cluster-nodes';

const NS = 'default';
const MASTER = 'kubelab-control-plane';
const WORKERS = ['kubelab-worker', 'kubelab-worker2', 'kubelab-worker3'];

interface NodeLike {
  metadata: { name: string };
  spec: { podCIDR?: string; podCIDRs?: string[] };
  status: { addresses: { type: string; address: string }[] };
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const mask = 2 ** 32 - 2 ** (32 - Number(bits));
  return (n(ip) & mask) >>> 0 === (n(base) & mask) >>> 0;
}

const deployment = (name: string, image: string, replicas: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image, resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
  },
});

interface DeploymentLike {
  metadata: { generation: number };
  spec: { replicas: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; unavailableReplicas?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** kubectl rollout status's test: the new ReplicaSet has every replica, no old one is left, all available. */
function rolledOut(d: DeploymentLike): boolean {
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= d.metadata.generation && (s.updatedReplicas ?? 0) === d.spec.replicas && (s.replicas ?? 0) === s.updatedReplicas && (s.availableReplicas ?? 0) === s.updatedReplicas;
}

describe('workloads on a cluster with kubelets', () => {
  let c: NodesCluster;
  before(async () => {
    c = await startNodesCluster({ workers: 3 });
  });
  after(async () => c.stop());

  const nodes = async () => ((await c.admin.list(R.nodes, '')).items ?? []) as unknown as NodeLike[];

  it('a Deployment of 3 ends in 3 Running, Ready pods on the workers, with addresses, QoS and upstream events', async () => {
    await c.admin.create(R.deployments, NS, deployment('web', 'nginx:1.27', 3));
    const pods = await c.until('3 Running, Ready web pods', async () => {
      const ps = await c.pods(NS, 'app=web');
      return ps.length === 3 && ps.every(isRunningReady) ? ps : undefined;
    });
    const byName = new Map((await nodes()).map((n) => [n.metadata.name, n]));
    assert.deepEqual([...byName.keys()].sort(), [MASTER, ...WORKERS].sort());
    for (const p of pods) {
      const node = byName.get(p.spec.nodeName ?? '');
      assert.ok(node && WORKERS.includes(node.metadata.name), `${p.metadata.name} runs on ${p.spec.nodeName}, not on a worker`);
      const st = p.status!;
      assert.ok(node.spec.podCIDR, `${node.metadata.name} has a podCIDR`);
      assert.ok(inCidr(st.podIP!, node.spec.podCIDR!), `${p.metadata.name}'s IP ${st.podIP} is outside ${node.metadata.name}'s ${node.spec.podCIDR}`);
      assert.deepEqual(st.podIPs, [{ ip: st.podIP }]);
      assert.equal(st.hostIP, node.status.addresses.find((a) => a.type === 'InternalIP')?.address);
      assert.equal(st.qosClass, 'Burstable');
      for (const t of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']) assert.equal(condition(p, t)?.status, 'True', `${p.metadata.name} ${t}`);
      const [cs] = st.containerStatuses!;
      assert.equal(cs.name, 'nginx');
      assert.equal(cs.ready, true);
      assert.equal(cs.started, true);
      assert.equal(cs.restartCount, 0);
      assert.equal(cs.image, 'docker.io/library/nginx:1.27');
      assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
      assert.match(cs.containerID ?? '', /^kubelab-sim:\/\/[0-9a-f]+$/);
      assert.ok(cs.state.running?.startedAt);
    }
    // Spread over the workers (LeastAllocated and the default topology spreading).
    assert.equal(new Set(pods.map((p) => p.spec.nodeName)).size, 3);
    // Every pod got its own IP.
    assert.equal(new Set(pods.map((p) => p.status!.podIP)).size, 3);

    for (const p of pods) {
      const name = p.metadata.name;
      const evs = await c.until(`events of ${name}`, async () => {
        const es = await c.events(NS, name);
        return es.some((e) => e.reason === 'Started') ? es : undefined;
      });
      const by = (reason: string) => evs.filter((e) => e.reason === reason);
      assert.deepEqual(by('Scheduled').map((e) => [e.type, e.message, e.source?.component]), [['Normal', `Successfully assigned default/${name} to ${p.spec.nodeName}`, 'default-scheduler']]);
      const fp = 'spec.containers{nginx}';
      const kubelet = (reason: string) => by(reason).map((e) => [e.type, e.message, e.involvedObject.fieldPath, e.source?.component, e.source?.host]);
      assert.deepEqual(kubelet('Pulling'), [['Normal', 'Pulling image "nginx:1.27"', fp, 'kubelet', p.spec.nodeName]]);
      const [pulled] = kubelet('Pulled');
      assert.match(String(pulled[1]), /^Successfully pulled image "nginx:1\.27" in \d+(\.\d+)?m?s \(\d+(\.\d+)?m?s including waiting\)\. Image size: \d+ bytes\.$/);
      assert.deepEqual(kubelet('Created'), [['Normal', 'Created container: nginx', fp, 'kubelet', p.spec.nodeName]]);
      assert.deepEqual(kubelet('Started'), [['Normal', 'Started container nginx', fp, 'kubelet', p.spec.nodeName]]);
    }
  });

  it('a rolling update to a new image replaces every pod; the Deployment reports the rollout complete', async () => {
    await c.admin.create(R.deployments, NS, deployment('roll', 'nginx:1.27', 3));
    await c.until('roll rolled out', async () => rolledOut((await c.admin.get(R.deployments, NS, 'roll')) as unknown as DeploymentLike));
    const before = await c.pods(NS, 'app=roll');
    const oldUids = new Set(before.map((p) => p.metadata.uid));
    // kubectl set image / a patched template.
    await c.admin.patch(R.deployments, NS, 'roll', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } }, 'strategic');
    const d = await c.until('roll rolled out to nginx:1.28', async () => {
      const dep = (await c.admin.get(R.deployments, NS, 'roll')) as unknown as DeploymentLike;
      if (dep.metadata.generation < 2 || !rolledOut(dep)) return undefined;
      const ps = await c.pods(NS, 'app=roll');
      return ps.length === 3 && ps.every(isRunningReady) ? dep : undefined;
    });
    assert.equal(d.status?.observedGeneration, 2);
    assert.deepEqual([d.status?.replicas, d.status?.updatedReplicas, d.status?.readyReplicas, d.status?.availableReplicas], [3, 3, 3, 3]);
    assert.equal(d.status?.unavailableReplicas, undefined);
    const progressing = d.status?.conditions?.find((x) => x.type === 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    assert.match(progressing?.message ?? '', /^ReplicaSet "roll-[a-z0-9]+" has successfully progressed\.$/);
    const after = await c.pods(NS, 'app=roll');
    assert.equal(after.length, 3);
    for (const p of after) {
      assert.ok(!oldUids.has(p.metadata.uid), `${p.metadata.name} is an old pod`);
      assert.equal((p.spec.containers[0] as { image: string }).image, 'nginx:1.28');
      assert.equal(p.status?.containerStatuses?.[0].image, 'docker.io/library/nginx:1.28');
    }
    // The old pods are gone from the API, not just terminating.
    await c.until('old roll pods gone', async () => (await c.pods(NS, 'app=roll')).every((p) => !oldUids.has(p.metadata.uid)));
    const rss = ((await c.admin.list(R.replicasets, NS, { labelSelector: 'app=roll' })).items ?? []) as { spec: { replicas: number }; status: { replicas: number } }[];
    assert.deepEqual(rss.map((r) => [r.spec.replicas, r.status.replicas]).sort(), [[0, 0], [3, 3]]);
  });

  it('a Job runs to Complete: its pod Succeeded with exit code 0 and its output in the log', async () => {
    await c.admin.create(R.jobs, NS, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'done' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'] }] } } },
    });
    type JobLike = { status?: { succeeded?: number; active?: number; completionTime?: string; conditions?: { type: string; status: string }[] } };
    const job = await c.until('job done Complete', async () => {
      const j = (await c.admin.get(R.jobs, NS, 'done')) as JobLike;
      return condition(j, 'Complete')?.status === 'True' ? j : undefined;
    });
    assert.equal(job.status?.succeeded, 1);
    assert.ok(!job.status?.active);
    assert.ok(job.status?.completionTime);
    assert.equal(condition(job, 'Failed'), undefined);
    const [pod] = await c.pods(NS, 'job-name=done');
    assert.equal(pod.status?.phase, 'Succeeded');
    const cs = pod.status!.containerStatuses![0];
    assert.equal(cs.ready, false);
    assert.equal(cs.state.terminated?.exitCode, 0);
    assert.equal(cs.state.terminated?.reason, 'Completed');
    assert.equal(condition(pod, 'Ready')?.status, 'False');
    assert.equal(condition(pod, 'Ready')?.reason, 'PodCompleted');
    assert.deepEqual(await c.logs(NS, pod.metadata.name), { status: 200, text: 'done\n' });
  });

  it('a StatefulSet of 3 comes up in order: web-1 is created only once web-0 is Running and Ready', async () => {
    const rec = await c.recordPods('ordered');
    try {
      await c.admin.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ordered' } });
      await c.admin.create(R.statefulsets, 'ordered', {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web' },
        spec: {
          serviceName: 'web',
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 2, periodSeconds: 1 } }] } },
        },
      });
      const pods = await c.until('web-0..2 Running and Ready', async () => {
        const ps = await c.pods('ordered');
        return ps.length === 3 && ps.every(isRunningReady) ? ps : undefined;
      });
      assert.deepEqual(pods.map((p) => p.metadata.name), ['web-0', 'web-1', 'web-2']);
      // Order of the pods' creation, and readiness of the predecessor at that moment, from the watch.
      const seen = rec.events.map((e) => ({ type: e.type, pod: e.object as unknown as PodLike }));
      for (const [i, name] of ['web-1', 'web-2'].entries()) {
        const added = seen.findIndex((e) => e.type === 'ADDED' && e.pod.metadata.name === name);
        assert.ok(added > 0, `${name} was added`);
        const prev = `web-${i}`;
        const lastPrev = seen.slice(0, added).filter((e) => e.pod.metadata.name === prev).pop();
        assert.ok(lastPrev && isRunningReady(lastPrev.pod), `${prev} was not Running and Ready when ${name} was created`);
      }
      for (const p of pods) assert.equal(p.metadata.labels?.['statefulset.kubernetes.io/pod-name'], p.metadata.name);
    } finally {
      rec.stop();
    }
  });

  it('a DaemonSet runs exactly one pod per worker; with the control-plane toleration, one on the master too', async () => {
    const ds = (name: string, tolerations?: Obj[]): Obj => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name },
      spec: { selector: { matchLabels: { ds: name } }, template: { metadata: { labels: { ds: name } }, spec: { tolerations, containers: [{ name: 'agent', image: 'busybox:1.36', command: ['sleep', '3600'] }] } } },
    });
    await c.admin.create(R.daemonsets, NS, ds('agent'));
    await c.admin.create(R.daemonsets, NS, ds('everywhere', [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]));
    type DsLike = { status?: { desiredNumberScheduled?: number; numberReady?: number; currentNumberScheduled?: number; numberAvailable?: number } };
    const settled = async (name: string, n: number) => {
      const d = (await c.admin.get(R.daemonsets, NS, name)) as DsLike;
      const ps = await c.pods(NS, `ds=${name}`);
      return d.status?.numberReady === n && d.status.desiredNumberScheduled === n && ps.length === n && ps.every(isRunningReady) ? ps : undefined;
    };
    const agents = await c.until('agent on 3 workers', () => settled('agent', 3));
    assert.deepEqual(agents.map((p) => p.spec.nodeName).sort(), [...WORKERS].sort());
    const everywhere = await c.until('everywhere on 4 nodes', () => settled('everywhere', 4));
    assert.deepEqual(everywhere.map((p) => p.spec.nodeName).sort(), [MASTER, ...WORKERS].sort());
    // A steady state: more time passes and nothing is added.
    await c.advance(5000);
    assert.equal((await c.pods(NS, 'ds=agent')).length, 3);
    assert.ok((await c.pods(NS, 'ds=everywhere')).every(isReady));
  });
});
