/**
 * The API server benchmark's workloads, written against a Transport so the same code drives the in-process transport
 * (in the server's own process) and the HTTPS transport (in the load process, apiserver-load.ts): realistic Pods,
 * concurrent creates / updates, sequential gets, and watch delivery to many watchers while writers update pods at a
 * steady rate. Every workload throws on an unexpected status, naming it. Times are performance.now() of the process
 * running the workload, so the writer's acknowledgement and the watchers' receipts share one clock.
 */
import { performance } from 'node:perf_hooks';
import type { RestResponse, Transport, WatchEvent, WatchStream } from '../../src/client/transport';
import { isWatchStream } from '../../src/client/transport';
import { pad, runConcurrent } from './util';

export interface Timed {
  elapsedMs: number;
  latencies: Float64Array;
}

export interface UpdateResult extends Timed {
  conflicts: number;
}

export interface WatchResult {
  writes: number;
  watchers: number;
  /** Per write, when it was sent and when its response arrived. */
  issued: Float64Array;
  acked: Float64Array;
  /** received[write * watchers + watcher]: when that watcher got the write's event (NaN: never). */
  received: Float64Array;
  /** Events that were not the expected MODIFIED ones (ERROR, BOOKMARK, ADDED …), by type. */
  otherEvents: Record<string, number>;
  /** Watches the server ended before the workload stopped them. */
  endedEarly: number;
}

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> & { name: string } };

/** The annotation carrying a watch-workload write's sequence number. */
export const SEQ = 'bench.kubelab.dev/seq';

/** A Pod as a Deployment would make it: one container with image, ports, resources, labels, in a namespace. */
export function podManifest(ns: string, i: number): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-5d8f7c9b6-${pad(i)}`,
      namespace: ns,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '5d8f7c9b6', 'bench.kubelab.dev/index': String(i) },
      annotations: { 'kubectl.kubernetes.io/default-container': 'nginx' },
    },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'registry.k8s.io/nginx-slim:0.27',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          env: [{ name: 'LOG_LEVEL', value: 'info' }],
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

function describe(res: RestResponse): string {
  const b = res.body as { message?: unknown } | string | undefined;
  const msg = typeof b === 'string' ? b.slice(0, 300) : typeof b?.message === 'string' ? b.message : JSON.stringify(b)?.slice(0, 300);
  return `HTTP ${res.status}: ${msg}`;
}

function expect(res: RestResponse, what: string, ...ok: number[]): Obj {
  if (!ok.includes(res.status)) throw new Error(`${what}: ${describe(res)}`);
  return res.body as Obj;
}

/** The same annotations with one changed; never mutates `o` (in-process responses may be frozen and shared). */
function withAnnotation(o: Obj, key: string, value: string): Obj {
  const ann = (o.metadata.annotations as Record<string, string> | undefined) ?? {};
  return { ...o, metadata: { ...o.metadata, annotations: { ...ann, [key]: value } } };
}

const podsPath = (ns: string): string => `/api/v1/namespaces/${ns}/pods`;

export class ApiLoad {
  /** The last object the server returned for each pod this workload created or updated, by namespace. */
  private readonly pods = new Map<string, Obj[]>();

  constructor(protected readonly t: Transport) {}

  /** Drops the objects kept for `ns` (in process they would otherwise count in the server's RSS). */
  forget(ns: string): Promise<void> {
    this.pods.delete(ns);
    return Promise.resolve();
  }

  async createNamespace(ns: string): Promise<void> {
    const res = await this.t.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
    expect(res, `create namespace ${ns}`, 201, 409);
  }

  /** Creates pods first..first+n-1 in `ns` with `concurrency` requests in flight. */
  async createPods(ns: string, first: number, n: number, concurrency: number): Promise<Timed> {
    const got = this.pods.get(ns) ?? [];
    this.pods.set(ns, got);
    const r = await runConcurrent(n, concurrency, async (i) => {
      const res = await this.t.request({ method: 'POST', path: podsPath(ns), body: podManifest(ns, first + i) });
      got[first + i] = expect(res, `create pod ${first + i} in ${ns}`, 201);
    });
    return r;
  }

  /** n updates (PUT with the last resourceVersion; an annotation changes) spread over the pods created in `ns`. */
  async updatePods(ns: string, n: number, concurrency: number): Promise<UpdateResult> {
    const pods = (this.pods.get(ns) ?? []).filter(Boolean);
    if (!pods.length) throw new Error(`no pods created in ${ns} to update`);
    let conflicts = 0;
    const r = await runConcurrent(n, concurrency, async (i) => {
      const k = i % pods.length;
      for (;;) {
        const cur = pods[k];
        const res = await this.t.request({ method: 'PUT', path: `${podsPath(ns)}/${cur.metadata.name}`, body: withAnnotation(cur, 'bench.kubelab.dev/update', String(i)) });
        if (res.status === 409) {
          conflicts++;
          pods[k] = expect(await this.t.request({ method: 'GET', path: `${podsPath(ns)}/${cur.metadata.name}` }), 'get after conflict', 200);
          continue;
        }
        pods[k] = expect(res, `update pod ${cur.metadata.name}`, 200);
        return;
      }
    });
    this.pods.set(ns, pods);
    return { ...r, conflicts };
  }

  /** n sequential GETs of pods created in `ns`, in a fixed pseudo-random order. */
  async getPods(ns: string, n: number): Promise<Timed> {
    const pods = (this.pods.get(ns) ?? []).filter(Boolean);
    if (!pods.length) throw new Error(`no pods created in ${ns} to get`);
    return runConcurrent(n, 1, async (i) => {
      const name = pods[(i * 7919) % pods.length].metadata.name;
      expect(await this.t.request({ method: 'GET', path: `${podsPath(ns)}/${name}` }), `get pod ${name}`, 200);
    });
  }

  /** Lists `ns`'s pods once through the transport (parsed); returns the items and the list's resourceVersion. */
  async listPods(ns: string, accept?: string): Promise<{ count: number; resourceVersion: string }> {
    const b = expect(await this.t.request({ method: 'GET', path: podsPath(ns), accept }), `list pods in ${ns}`, 200);
    const rows = (b.items ?? b.rows) as unknown[] | undefined;
    return { count: rows?.length ?? -1, resourceVersion: String(b.metadata.resourceVersion ?? '') };
  }

  /**
   * `watchers` watches on `ns`'s pods (from the current resourceVersion), then `rate` updates a second for `seconds`
   * over the pods created in `ns` (updates of one pod are serialized; different pods overlap). Each update carries
   * its sequence number in an annotation, so every watcher's receipt is matched to the write's acknowledgement.
   */
  async watchDelivery(ns: string, watchers: number, rate: number, seconds: number, watchTransport: Transport = this.t): Promise<WatchResult> {
    const pods = (this.pods.get(ns) ?? []).filter(Boolean);
    if (!pods.length) throw new Error(`no pods created in ${ns} to update`);
    const writes = Math.max(1, Math.round(rate * seconds));
    const issued = new Float64Array(writes).fill(NaN);
    const acked = new Float64Array(writes).fill(NaN);
    const received = new Float64Array(writes * watchers).fill(NaN);
    const otherEvents: Record<string, number> = {};
    let count = 0;
    let endedEarly = 0;
    let stopping = false;
    let allIn: () => void = () => undefined;
    const done = new Promise<void>((r) => (allIn = r));

    const { resourceVersion } = await this.listPods(ns);
    const streams: WatchStream[] = [];
    for (let w = 0; w < watchers; w++) {
      const s = await watchTransport.watch({ method: 'GET', path: podsPath(ns), query: { resourceVersion, allowWatchBookmarks: false } });
      if (!isWatchStream(s)) throw new Error(`watch ${w} on ${ns}: ${describe(s)}`);
      streams.push(s);
    }
    const consume = async (s: WatchStream, w: number): Promise<void> => {
      for await (const ev of s.events as AsyncIterable<WatchEvent>) {
        const now = performance.now();
        const seq = ev.type === 'MODIFIED' ? Number((ev.object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[SEQ]) : NaN;
        if (!(Number.isInteger(seq) && seq >= 0 && seq < writes)) {
          otherEvents[ev.type] = (otherEvents[ev.type] ?? 0) + 1;
          continue;
        }
        const idx = seq * watchers + w;
        if (Number.isNaN(received[idx])) {
          received[idx] = now;
          if (++count === writes * watchers) allIn();
        }
      }
      if (!stopping) endedEarly++;
    };
    const consumers = streams.map((s, w) => consume(s, w));

    const chains: Promise<void>[] = pods.map(() => Promise.resolve());
    const latest = [...pods];
    const update = async (k: number): Promise<void> => {
      const p = k % pods.length;
      issued[k] = performance.now();
      const res = await this.t.request({ method: 'PUT', path: `${podsPath(ns)}/${latest[p].metadata.name}`, body: withAnnotation(latest[p], SEQ, String(k)) });
      acked[k] = performance.now();
      latest[p] = expect(res, `update pod ${latest[p].metadata.name}`, 200);
    };
    const interval = 1000 / rate;
    const t0 = performance.now();
    let failure: unknown;
    for (let k = 0; k < writes && failure === undefined; k++) {
      const wait = t0 + k * interval - performance.now();
      if (wait > 0.5) await new Promise((r) => setTimeout(r, wait));
      const p = k % pods.length;
      chains[p] = chains[p].then(() => update(k)).catch((e: unknown) => void (failure ??= e));
    }
    await Promise.all(chains);
    this.pods.set(ns, latest);
    if (failure === undefined) await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    stopping = true;
    for (const s of streams) s.stop();
    await Promise.race([Promise.all(consumers), new Promise((r) => setTimeout(r, 2_000))]);
    if (failure !== undefined) throw failure;
    return { writes, watchers, issued, acked, received, otherEvents, endedEarly };
  }
}
