/**
 * Builders for scheduler unit tests (upstream's st.MakeNode()/st.MakePod() in spirit): frozen Node and Pod objects
 * shaped as the API server returns them, NodeInfos holding pods, and a Handle whose snapshot is those NodeInfos
 * (listers empty unless given). For plugin tests that need no API server.
 */
import { silentLogger } from '../../src/base/logger';
import { FakeClock } from '../../src/base/clock';
import type { EventRecorder } from '../../src/client/events';
import { Indexer, Lister, type CachedObject, type SharedInformerFactory } from '../../src/client/informers';
import type { ApiClient } from '../../src/controllers/framework/api-client';
import { CycleState, NodeInfo, snapshotOf, Status, type Handle, type Node, type Pod, type ScoreOutcome } from '../../src/scheduler/framework';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

let uid = 0;

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...(o.extra ?? {}) };
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-uid-${++uid}`, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, images: o.images ?? [] },
  });
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  node?: string;
  /** Per container: requests. */
  requests?: Record<string, string>[];
  spec?: Record<string, unknown>;
  priority?: number;
  creationTimestamp?: string;
}

export function makePod(name: string, o: PodOptions = {}): Pod {
  const containers = (o.requests ?? [{}]).map((r, i) => ({ name: `c${i}`, image: 'nginx', ...(Object.keys(r).length ? { resources: { requests: r } } : {}) }));
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `pod-uid-${++uid}`,
      labels: o.labels ?? {},
      creationTimestamp: o.creationTimestamp ?? '2026-01-01T00:00:00Z',
    },
    spec: { containers, schedulerName: 'default-scheduler', ...(o.node ? { nodeName: o.node } : {}), ...(o.priority !== undefined ? { priority: o.priority } : {}), ...(o.spec ?? {}) },
    status: { phase: o.node ? 'Running' : 'Pending' },
  });
}

/** A NodeInfo for `node` holding `pods`. */
export function nodeInfo(node: Node, ...pods: Pod[]): NodeInfo {
  const ni = new NodeInfo(node);
  for (const p of pods) ni.addPod(p);
  return ni;
}

function listerOf(objects: readonly CachedObject[]): Lister {
  const idx = new Indexer();
  for (const o of objects) idx.upsert(o);
  return new Lister(idx);
}

export interface FakeHandleOptions {
  nodes?: NodeInfo[];
  namespaces?: CachedObject[];
  /** Listers by resource name (`persistentvolumeclaims`, …) for plugins that read them. */
  listers?: Record<string, CachedObject[]>;
}

/** A Handle for plugin unit tests: snapshot from `nodes`; no API client (calls throw); listers from `listers`. */
export function fakeHandle(o: FakeHandleOptions = {}): Handle {
  const snap = snapshotOf(o.nodes ?? []);
  const listers = new Map(Object.entries(o.listers ?? {}).map(([k, v]) => [k, listerOf(v)]));
  const informers = {
    listerFor: (r: { resource: string }) => listers.get(r.resource) ?? listerOf([]),
    informerFor: () => {
      throw new Error('fakeHandle has no informers; pass listers');
    },
  } as unknown as SharedInformerFactory;
  return {
    snapshot: () => snap,
    client: new Proxy({}, { get: () => () => Promise.reject(new Error('fakeHandle has no API client')) }) as ApiClient,
    informers,
    namespaces: listerOf(o.namespaces ?? []),
    recorder: { event() {}, eventf() {}, annotatedEventf() {}, flush: async () => {}, close() {} } as EventRecorder,
    clock: new FakeClock(),
    logger: silentLogger,
    nominator: { nominatedPodsForNode: () => [] },
    runFilterPluginsWithNominatedPods: () => Status.success(),
    runPreFilterExtensionAddPod: () => Status.success(),
    runPreFilterExtensionRemovePod: () => Status.success(),
    profileName: 'default-scheduler',
  };
}

export function newState(): CycleState {
  return new CycleState();
}

/** A Score plugin's outcome as upstream's (score, status) pair, for assertions. */
export function scorePair(r: ScoreOutcome): { score: number; status: Status } {
  return typeof r === 'number' ? { score: r, status: Status.success() } : { score: 0, status: r };
}
