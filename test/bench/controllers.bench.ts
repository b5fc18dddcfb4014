/**
 * `npm run bench -- controllers`: the controller manager at scale, in process, on the embedded store.
 * - replicaset_10k_pods_created_s: a ReplicaSet of BENCH_RS_REPLICAS (10,000) replicas is created; time until every
 *   pod exists (seen by an informer), no kubelets (pods stay Pending), target ≤ 5 s; also until status.replicas
 *   reports them all.
 * - idle_cpu_percent: with those pods and the controllers running, CPU of the whole process (API server, store and
 *   controllers) over 10 s when nothing changes, in % of one core; target ≤ 1 %.
 * - deployment_rolling_update_s: a second cluster with BENCH_RU_NODES (100) simulated worker nodes (kubelets, no pull
 *   delay); a Deployment of BENCH_RU_REPLICAS (1,000) replicas is brought to all Ready, then its image changes; time
 *   until the rollout is complete as `kubectl rollout status` judges it (every replica updated and available, no old
 *   replica left). Default strategy (maxSurge 25 %, maxUnavailable 25 %). No target in the issue.
 * No peer: a real kube-controller-manager cannot run here.
 */
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../src/base/logger';
import { ApiClient, R } from '../../src/controllers/framework';
import { SharedInformerFactory } from '../../src/client/informers';
import { applyCliOverrides, defaultClusterConfig } from '../../src/cluster/config';
import { startTestCluster } from '../helpers/apiserver';
import { emit, line, progress } from './util';

const BENCH = 'controllers';
const REPLICAS = Number(process.env.BENCH_RS_REPLICAS) > 0 ? Math.floor(Number(process.env.BENCH_RS_REPLICAS)) : 10_000;
const IDLE_MS = 10_000;
const RU_NODES = Number(process.env.BENCH_RU_NODES) > 0 ? Math.floor(Number(process.env.BENCH_RU_NODES)) : 100;
const RU_REPLICAS = Number(process.env.BENCH_RU_REPLICAS) > 0 ? Math.floor(Number(process.env.BENCH_RU_REPLICAS)) : 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const tc = await startTestCluster({ controllers: ['*'] });
  const informers = new SharedInformerFactory({ transport: tc.inProcess(), logger: silentLogger });
  try {
    const admin = new ApiClient(tc.inProcess());
    const pods = informers.informerFor(R.pods);
    informers.start();
    await pods.waitForSync();
    const count = () => pods.indexer.byIndex('namespace', 'default').length;
    progress(`creating a ReplicaSet of ${REPLICAS} replicas`);
    const t0 = performance.now();
    await admin.create(R.replicasets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'big' },
      spec: { replicas: REPLICAS, selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
    });
    let last = 0;
    while (count() < REPLICAS) {
      await sleep(10);
      if (performance.now() - last > 1000) {
        last = performance.now();
        progress(`${count()} pods after ${((last - t0) / 1000).toFixed(1)} s`);
      }
      if (performance.now() - t0 > 300_000) throw new Error(`only ${count()} pods after 300 s`);
    }
    const created = (performance.now() - t0) / 1000;
    emit(line(BENCH, 'replicaset_10k_pods_created_s', created, 's', 'lower'));
    progress(`${REPLICAS} pods in ${created.toFixed(2)} s (target ≤ 5 s: ${created <= 5 ? 'met' : 'MISSED'})`);
    for (;;) {
      const rs = await admin.get(R.replicasets, 'default', 'big');
      if ((rs.status as { replicas?: number } | undefined)?.replicas === REPLICAS) break;
      await sleep(20);
    }
    emit(line(BENCH, 'replicaset_10k_status_s', (performance.now() - t0) / 1000, 's', 'lower'));
    await tc.cluster.controllersIdle();
    await sleep(2000);
    progress(`measuring idle CPU over ${IDLE_MS / 1000} s`);
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await sleep(IDLE_MS);
    const cpu = process.cpuUsage(cpu0);
    const pct = ((cpu.user + cpu.system) / 1000 / (performance.now() - w0)) * 100;
    emit(line(BENCH, 'idle_cpu_percent', pct, '% of a core', 'lower'));
    progress(`idle CPU ${pct.toFixed(2)} % (target ≤ 1 %: ${pct <= 1 ? 'met' : 'MISSED'}); extra pods: ${count() - REPLICAS}`);
  } finally {
    informers.stop();
    await tc.stop();
  }
  await rollingUpdate();
}

interface DeploymentLike {
  metadata: { generation: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** kubectl rollout status's test: every replica updated and available, none of an old ReplicaSet left. */
const rolledOut = (d: DeploymentLike, replicas: number): boolean => {
  const st = d.status ?? {};
  return (st.observedGeneration ?? 0) >= d.metadata.generation && st.updatedReplicas === replicas && st.replicas === replicas && st.availableReplicas === replicas;
};

async function rollingUpdate(): Promise<void> {
  const config = applyCliOverrides(defaultClusterConfig(), { nodes: RU_NODES, port: 0 });
  const tc = await startTestCluster({ controllers: ['*'], scheduler: true, config, simPullMs: 0 });
  try {
    const admin = new ApiClient(tc.inProcess());
    const waitRolledOut = async (what: string, t0: number) => {
      for (let lastLog = 0; ; ) {
        const d = (await admin.get(R.deployments, 'default', 'web')) as unknown as DeploymentLike;
        if (rolledOut(d, RU_REPLICAS)) return;
        if (performance.now() - lastLog > 2000) {
          lastLog = performance.now();
          progress(`${what}: updated ${d.status?.updatedReplicas ?? 0}, available ${d.status?.availableReplicas ?? 0} of ${RU_REPLICAS} after ${((lastLog - t0) / 1000).toFixed(1)} s`);
        }
        if (performance.now() - t0 > 600_000) throw new Error(`${what}: not rolled out after 600 s`);
        await sleep(50);
      }
    };
    progress(`${RU_NODES} nodes; a Deployment of ${RU_REPLICAS} replicas`);
    const t0 = performance.now();
    await admin.create(R.deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: RU_REPLICAS, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    });
    await waitRolledOut('first rollout', t0);
    progress(`all ${RU_REPLICAS} Ready after ${((performance.now() - t0) / 1000).toFixed(1)} s; changing the image`);
    const t1 = performance.now();
    await admin.patch(R.deployments, 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }, 'strategic');
    await waitRolledOut('rolling update', t1);
    const took = (performance.now() - t1) / 1000;
    emit(line(BENCH, 'deployment_rolling_update_s', took, 's', 'lower'));
    progress(`rolling update of ${RU_REPLICAS} replicas on ${RU_NODES} sim nodes complete in ${took.toFixed(1)} s`);
  } finally {
    await tc.stop();
  }
}
