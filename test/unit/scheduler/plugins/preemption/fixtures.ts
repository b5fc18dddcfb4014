/**
 * Fixtures for the DefaultPreemption tests (upstream's tf.NewFramework in spirit): nodes and pods shaped like
 * upstream's st.MakeNode().Capacity(...) / st.MakePod(), and a Handle whose runFilterPluginsWithNominatedPods runs
 * a small NodeResourcesFit-like filter (upstream reasons "Too many pods", "Insufficient cpu", "Insufficient memory")
 * behind an optional FakeFilter that counts its calls and returns a fixed code, whose PreFilter extensions fail on
 * nodes labelled error=true as upstream's "test-plugin", and whose client and recorder record what they are asked.
 */
import { makeNode, makePod, fakeHandle, nodeInfo } from '../../../../helpers/scheduler-fixtures';
import { podRequests, Status, type Code, type Handle, type NodeInfo, type Pod, type PodInfo } from '../../../../../src/scheduler/framework';
import { DefaultPreemption, defaultPreemptionArgs } from '../../../../../src/scheduler/plugins/default-preemption';

export const neg = -100;
export const low = 0;
export const mid = 100;
export const high = 1000;
export const veryHigh = 10000;

export const smallRes = { cpu: '100m', memory: '100' };
export const mediumRes = { cpu: '200m', memory: '200' };
export const largeRes = { cpu: '300m', memory: '300' };
export const veryLargeRes = { cpu: '500m', memory: '500' };

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

export interface P {
  node?: string;
  priority?: number;
  req?: Record<string, string>;
  labels?: Record<string, string>;
  /** Seconds after the epoch. */
  start?: number;
  namespace?: string;
  extra?: Record<string, unknown>;
}

/** st.MakePod().Name(name).UID(name)… */
export function pod(name: string, o: P = {}): Pod {
  const base = makePod(name, { node: o.node, priority: o.priority, requests: o.req ? [o.req] : undefined, labels: o.labels, namespace: o.namespace });
  let p = deepMerge(JSON.parse(JSON.stringify(base)) as Record<string, unknown>, { metadata: { uid: name } });
  if (o.start !== undefined) p = deepMerge(p, { status: { startTime: new Date(o.start * 1000).toISOString().replace('.000Z', 'Z') } });
  if (o.extra) p = deepMerge(p, o.extra);
  return Object.freeze(p) as Pod;
}

/** A node `name` (or `host/zone/region` labelled as upstream's tests) with the given allocatable. */
export function node(spec: string, cap: Record<string, string>, labels: Record<string, string> = {}) {
  const [name, zone, region] = spec.split('/');
  const l: Record<string, string> = { hostname: name, ...labels };
  if (zone) l.zone = zone;
  if (region) l.region = region;
  return makeNode(name, { cpu: cap.cpu ?? '0', memory: cap.memory ?? '0', pods: cap.pods ?? '110', labels: l });
}

/** The NodeResourcesFit filter's reasons for pods, cpu and memory. */
export function fitFilter(p: Pod, ni: NodeInfo): Status {
  const reasons: string[] = [];
  if (ni.pods.length + 1 > ni.allocatable.allowedPodNumber) reasons.push('Too many pods');
  const r = podRequests(p);
  if (r.milliCPU > 0 && r.milliCPU > ni.allocatable.milliCPU - ni.requested.milliCPU) reasons.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > ni.allocatable.memory - ni.requested.memory) reasons.push('Insufficient memory');
  return reasons.length ? Status.unschedulable(...reasons) : Status.success();
}

export interface Calls {
  filter: number;
  patched: { name: string; body: unknown }[];
  deleted: string[];
  events: { name: string; reason: string; message: string }[];
}

export interface HandleOptions {
  nodes: ReturnType<typeof makeNode>[];
  pods: Pod[];
  pdbs?: Record<string, unknown>[];
  filters?: ((p: Pod, ni: NodeInfo) => Status)[];
  fakeFilterRC?: Code;
  nominated?: Record<string, Pod[]>;
}

export function handleFor(o: HandleOptions): { handle: Handle; calls: Calls; nodeInfos: NodeInfo[] } {
  const nodeInfos = o.nodes.map((n) => nodeInfo(n, ...o.pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === n.metadata?.name)));
  const calls: Calls = { filter: 0, patched: [], deleted: [], events: [] };
  const filters = o.filters ?? [fitFilter];
  const testPluginErr = (verb: string, p: Pod, ni: NodeInfo) =>
    (ni.node?.metadata?.labels as Record<string, string> | undefined)?.error === 'true'
      ? Status.error(`running ${verb} on PreFilter plugin "test-plugin": failed to ${verb === 'AddPod' ? 'add' : 'remove'} pod: ${String(p.metadata?.name)}`)
      : Status.success();
  const base = fakeHandle({ nodes: nodeInfos, listers: { poddisruptionbudgets: (o.pdbs ?? []) as never } });
  const client = {
    patch: (_r: unknown, _ns: string, name: string, body: unknown) => {
      calls.patched.push({ name, body });
      return Promise.resolve({});
    },
    delete: (_r: unknown, _ns: string, name: string) => {
      calls.deleted.push(name);
      return Promise.resolve({});
    },
  };
  const handle: Handle = {
    ...base,
    client: client as never,
    recorder: { ...base.recorder, event: (obj: { metadata?: { name?: string } }, _t: string, reason: string, message: string) => calls.events.push({ name: String(obj.metadata?.name), reason, message }) } as never,
    nominator: { nominatedPodsForNode: (n: string): PodInfo[] => (o.nominated?.[n] ?? []).map((p) => ({ pod: p }) as PodInfo) },
    runFilterPluginsWithNominatedPods: (_s, p, ni) => {
      calls.filter++;
      if (o.fakeFilterRC && o.fakeFilterRC !== 'Success') return new Status(o.fakeFilterRC, ['fake']);
      for (const f of filters) {
        const s = f(p, ni);
        if (!s.isSuccess()) return s;
      }
      return Status.success();
    },
    runPreFilterExtensionAddPod: (_s, p, _pi, ni) => testPluginErr('AddPod', p, ni),
    runPreFilterExtensionRemovePod: (_s, p, _pi, ni) => testPluginErr('RemovePod', p, ni),
  };
  return { handle, calls, nodeInfos };
}

export function plugin(handle: Handle, args?: Record<string, unknown>, offsets: number[] = []): DefaultPreemption {
  const pl = new DefaultPreemption(defaultPreemptionArgs(args), handle);
  let i = 0;
  pl.offsetRand = (n) => (i < offsets.length ? offsets[i++] : 0) % n;
  return pl;
}

export function pdb(name: string, matchLabels: Record<string, string>, disruptionsAllowed: number, disruptedPods: string[] = []): Record<string, unknown> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default', uid: `pdb-${name}` },
    spec: { selector: { matchLabels } },
    status: { disruptionsAllowed, disruptedPods: Object.fromEntries(disruptedPods.map((p) => [p, '2026-01-01T00:00:00Z'])) },
  };
}
