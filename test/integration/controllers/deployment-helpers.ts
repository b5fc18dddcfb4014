/**
 * Shared pieces of the Deployment controller's integration tests: a Deployment manifest, the kubelet the tests play
 * (pods of an app marked Running and Ready through pods/status, one at a time), and an observer that watches pods
 * and ReplicaSets through an informer and checks an invariant at every event it sees.
 */
import { silentLogger } from '../../../src/base/logger';
import { SharedInformerFactory, type CachedObject } from '../../../src/client/informers';
import { R, type Obj } from '../../../src/controllers/framework';
import type { ControllerTest } from '../../helpers/controllers';

export const NS = 'default';

export function deploymentManifest(name: string, o: { replicas: number; image?: string; strategy?: Record<string, unknown>; progressDeadlineSeconds?: number; revisionHistoryLimit?: number; minReadySeconds?: number }): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: name } },
      strategy: o.strategy,
      progressDeadlineSeconds: o.progressDeadlineSeconds,
      revisionHistoryLimit: o.revisionHistoryLimit,
      minReadySeconds: o.minReadySeconds,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1' }] } },
    },
  };
}

const ready = (p: CachedObject) => ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
export const isReady = ready;
const alive = (p: CachedObject) => !p.metadata?.deletionTimestamp;

export async function podsOf(t: ControllerTest, app: string): Promise<Obj[]> {
  return (await t.list(R.pods, NS, { labelSelector: `app=${app}` })).filter(alive);
}

/** Marks one not-ready pod of `app` Running and Ready (the kubelet's job); false when every pod is ready. */
export async function readyOnePod(t: ControllerTest, app: string): Promise<boolean> {
  const pod = (await podsOf(t, app)).find((p) => !ready(p));
  if (!pod) return false;
  const at = new Date(Math.floor(t.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  await t.admin.patch(R.pods, NS, String(pod.metadata?.name), { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] } }, 'merge', 'status');
  return true;
}

export async function getDeployment(t: ControllerTest, name: string): Promise<Obj & { status?: Record<string, unknown> & { conditions?: { type: string; status: string; reason: string; message: string }[] } }> {
  return (await t.admin.get(R.deployments, NS, name)) as never;
}

/** Plays the kubelet until the Deployment reports a finished rollout (all updated, available, nothing old). */
export async function driveRollout(t: ControllerTest, name: string, timeoutMs = 20_000): Promise<void> {
  await t.until(
    async () => {
      await readyOnePod(t, name);
      await t.settle();
      const d = await getDeployment(t, name);
      const s = d.status ?? {};
      const want = (d.spec as { replicas: number }).replicas;
      const prog = s.conditions?.find((c) => c.type === 'Progressing');
      return s.observedGeneration === d.metadata?.generation && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && prog?.reason === 'NewReplicaSetAvailable';
    },
    `rollout of ${name} to finish`,
    timeoutMs,
  );
}

export interface Observer {
  /** Invariant violations seen so far. */
  violations: string[];
  samples: number;
  stop(): void;
}

/** Watches pods and ReplicaSets of `app`; `check` gets both lists after every event and returns a violation or undefined. */
export async function observe(t: ControllerTest, app: string, check: (pods: CachedObject[], rss: CachedObject[]) => string | undefined): Promise<Observer> {
  const f = new SharedInformerFactory({ transport: t.tc.inProcess(), logger: silentLogger, clock: t.clock });
  const pods = f.informerFor(R.pods, NS);
  const rss = f.informerFor(R.replicasets, NS);
  const o: Observer = { violations: [], samples: 0, stop: () => f.stop() };
  let synced = false;
  const sample = () => {
    if (!synced) return; // the initial list arrives one object at a time
    const ps = pods.indexer.list().filter((p) => p.metadata?.labels?.app === app && alive(p));
    const rs = rss.indexer.list().filter((r) => r.metadata?.labels?.app === app);
    o.samples++;
    const v = check(ps, rs);
    if (v) o.violations.push(v);
  };
  for (const inf of [pods, rss]) inf.addEventHandler({ onAdd: sample, onUpdate: sample, onDelete: sample });
  f.start();
  await f.waitForCacheSync();
  synced = true;
  sample();
  return o;
}

export async function eventsFor(t: ControllerTest, name: string): Promise<Obj[]> {
  return (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string; kind?: string }).name === name && (e.involvedObject as { kind?: string }).kind === 'Deployment');
}
