/**
 * A whole in-process cluster with nodes (control plane + workers with simulated runtimes) on a fake clock, for the
 * kubelet's end-to-end tests: `until(cond)` moves fake time forward in small steps until the condition holds
 * (bounded in fake and in real time). After each step it waits in real time until the store's revision stops
 * moving, because store writes do real I/O: otherwise fake time races ahead of the cluster (a rollout "times out"
 * after 120 fake seconds that took half a real second). Beside it, the reads the tests
 * assert on: pods by label, one pod, a pod's events, pods/log through the API server (status and text), and a
 * background recorder of pod watch events (to check the order in which things happened).
 */
import { FakeClock } from '../../src/base/clock';
import { applyCliOverrides, defaultClusterConfig, type ClusterConfig } from '../../src/cluster/config';
import { ApiClient, R, type Obj } from '../../src/controllers/framework';
import { isWatchStream, type Transport, type WatchEvent } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from './apiserver';

export interface PodLike {
  metadata: { name: string; namespace: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string; creationTimestamp?: string; ownerReferences?: Obj[]; annotations?: Record<string, string> };
  spec: { nodeName?: string; containers: Obj[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    qosClass?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
}

export interface ContainerStatusLike {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  state: { waiting?: { reason?: string; message?: string }; running?: { startedAt: string }; terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string } };
  lastState: ContainerStatusLike['state'];
}

export interface EventLike {
  type: string;
  reason: string;
  message: string;
  count?: number;
  source?: { component?: string; host?: string };
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string; fieldPath?: string };
}

export interface NodesCluster {
  tc: TestCluster;
  clock: FakeClock;
  admin: ApiClient;
  config: ClusterConfig;
  /** Admin transport (raw requests: pods/log, componentstatuses). */
  transport: Transport;
  /** Advances fake time in `stepMs` steps until `cond` is truthy (returned); throws after `maxMs` of fake time. */
  until<T>(what: string, cond: () => T | Promise<T>, o?: { stepMs?: number; maxMs?: number }): Promise<Truthy<T>>;
  /** Advances fake time by ms in steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Pods of a namespace, optionally by label selector, sorted by name. */
  pods(ns: string, labelSelector?: string): Promise<PodLike[]>;
  /** One pod, or undefined when it does not exist. */
  pod(ns: string, name: string): Promise<PodLike | undefined>;
  /** Core v1 events about the object `name` in `ns` (in the API's order). */
  events(ns: string, name: string): Promise<EventLike[]>;
  /** GET pods/<name>/log through the API server: the HTTP status and the text (or the Status message). */
  logs(ns: string, name: string, query?: Record<string, string | number | boolean>): Promise<{ status: number; text: string }>;
  /** Records every pod watch event of `ns` from now on (stop it when done). */
  recordPods(ns: string): Promise<{ events: WatchEvent[]; stop(): void }>;
  stop(): Promise<void>;
}

export type Truthy<T> = Exclude<T, undefined | null | false | 0 | ''>;

const turn = () => new Promise<void>((r) => setImmediate(r));
const realPause = () => new Promise<void>((r) => setTimeout(r, 1));

export const isReady = (p: PodLike | undefined): boolean => !!p?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
export const isRunningReady = (p: PodLike | undefined): boolean => p?.status?.phase === 'Running' && isReady(p);
export const condition = (o: { status?: { conditions?: { type: string }[] } } | undefined, type: string) =>
  o?.status?.conditions?.find((c) => c.type === type) as { type: string; status: string; reason?: string; message?: string } | undefined;

export interface NodesClusterOptions {
  workers?: number;
  simPullMs?: number;
  /** Data directory to use and keep (a restart test starts a second cluster on it). */
  dir?: string;
  clock?: FakeClock;
  config?: ClusterConfig;
  resumeNodes?: boolean;
}

export async function startNodesCluster(o: NodesClusterOptions = {}): Promise<NodesCluster> {
  const clock = o.clock ?? new FakeClock(Date.now());
  const config = o.config ?? applyCliOverrides(defaultClusterConfig(), { nodes: o.workers ?? 2, port: 0, dnsPort: 0, ingressPort: 0 });
  const tc = await startTestCluster({ clock, controllers: ['*'], scheduler: true, config, simPullMs: o.simPullMs ?? 500, dir: o.dir, resumeNodes: o.resumeNodes });
  const transport = tc.inProcess();
  const admin = new ApiClient(transport);
  const recorders = new Set<() => void>();
  // The store writes with real I/O (fdatasync), so fake time must not run ahead of it: after each step, wait in real
  // time until the store's revision has stayed the same over two short real-time pauses.
  const revision = () => tc.cluster.status().store.revision;
  const settle = async () => {
    for (let i = 0; i < 5; i++) await turn();
    let last = revision();
    for (let stable = 0, i = 0; stable < 2 && i < 500; i++) {
      await realPause();
      const now = revision();
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
  };
  const advance = async (ms: number, stepMs = 100) => {
    for (let t = 0; t < ms; t += stepMs) {
      clock.advance(Math.min(stepMs, ms - t));
      await settle();
    }
  };
  const pods = async (ns: string, labelSelector?: string) => {
    const items = ((await admin.list(R.pods, ns, labelSelector ? { labelSelector } : undefined)).items ?? []) as PodLike[];
    return [...items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  };
  return {
    tc,
    clock,
    admin,
    config,
    transport,
    advance,
    async until(what, cond, opts = {}) {
      const step = opts.stepMs ?? 100;
      const max = opts.maxMs ?? 120_000;
      const realDeadline = Date.now() + 60_000;
      for (let t = 0; ; t += step) {
        const v = await cond();
        if (v) return v as Truthy<typeof v>;
        if (t > max || Date.now() > realDeadline) throw new Error(`timed out waiting for ${what} (${t} ms fake time)`);
        await advance(step, step);
      }
    },
    pods,
    async pod(ns, name) {
      return (await pods(ns)).find((p) => p.metadata.name === name);
    },
    async events(ns, name) {
      const items = ((await admin.list(R.events, ns, { fieldSelector: `involvedObject.name=${name}` })).items ?? []) as (EventLike & { metadata: { creationTimestamp?: string }; firstTimestamp?: string })[];
      return items;
    },
    async logs(ns, name, query = {}) {
      const q: Record<string, string> = {};
      for (const [k, v] of Object.entries(query)) q[k] = String(v);
      const res = await transport.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/${name}/log`, query: q });
      const text = typeof res.body === 'string' ? res.body : String((res.body as { message?: string } | undefined)?.message ?? JSON.stringify(res.body));
      return { status: res.status, text };
    },
    async recordPods(ns) {
      const res = await transport.watch({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods` });
      if (!isWatchStream(res)) throw new Error(`watch of pods in ${ns}: HTTP ${res.status}`);
      const events: WatchEvent[] = [];
      void (async () => {
        for await (const e of res.events) events.push(e);
      })();
      const stop = () => {
        recorders.delete(stop);
        res.stop();
      };
      recorders.add(stop);
      return { events, stop };
    },
    stop: async () => {
      for (const s of [...recorders]) s();
      await tc.stop();
    },
  };
}

export type { Obj };
