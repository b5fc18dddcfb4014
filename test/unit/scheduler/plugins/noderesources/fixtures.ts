/**
 * Builders for the noderesources plugin tests, mirroring upstream's test helpers on top of scheduler-fixtures:
 * `res` (framework.Resource → a requests map: milli-CPU, bytes, extended counts), `pod` (containers, init containers,
 * sidecars, overhead), `capNode` (st.MakeNode().Capacity: pods 32 unless given), `snapshot` (NodeInfos holding the
 * existing pods by spec.nodeName), `runScore` (PreScore once, then Score per node), `strategyArgs` (internal
 * NodeResourcesFitArgs without defaulting, as upstream tests pass to NewFit), `sizedNode` (upstream's
 * makeNode(name, milliCPU, memory, extended)) and upstream's `defaultResources` / `extendedResourceSet`.
 */
import type { CycleState, Node, NodeInfo, Pod, PreScorePlugin, ScorePlugin } from '../../../../../src/scheduler/framework';
import { scorePair, makeNode, makePod, newState, nodeInfo } from '../../../../helpers/scheduler-fixtures';

export type Req = Record<string, string>;

export interface ResourceAmounts {
  milliCPU?: number;
  memory?: number;
  ephemeralStorage?: number;
  scalar?: Record<string, number>;
}

/** Upstream newResourcePod's container requests: cpu, memory, pods and ephemeral-storage always present. */
export function res(r: ResourceAmounts): Req {
  const out: Req = { cpu: `${r.milliCPU ?? 0}m`, memory: String(r.memory ?? 0), pods: '0', 'ephemeral-storage': String(r.ephemeralStorage ?? 0) };
  for (const [k, v] of Object.entries(r.scalar ?? {})) out[k] = String(v);
  return out;
}

let n = 0;

export interface PodParts {
  name?: string;
  uid?: string;
  node?: string;
  containers?: Req[];
  init?: Req[];
  sidecars?: Req[];
  overhead?: Req;
}

const container = (prefix: string, r: Req | undefined, i: number) => ({ name: `${prefix}${i}`, image: 'busybox', ...(r && Object.keys(r).length ? { resources: { requests: r } } : {}) });

/** A pod with the given container requests (no containers when none are given). */
export function pod(p: PodParts = {}): Pod {
  const initContainers = [
    ...(p.sidecars ?? []).map((r, i) => ({ ...container('sidecar', r, i), restartPolicy: 'Always' })),
    ...(p.init ?? []).map((r, i) => container('init', r, i)),
  ];
  const spec: Record<string, unknown> = { containers: (p.containers ?? []).map((r, i) => container('c', r, i)) };
  if (initContainers.length) spec.initContainers = initContainers;
  if (p.overhead) spec.overhead = p.overhead;
  const made = makePod(p.name ?? `pod-${++n}`, { node: p.node, spec });
  if (!p.uid) return made;
  return { ...made, metadata: { ...made.metadata, uid: p.uid } };
}

/** st.MakeNode().Name(name).Capacity(alloc): allocatable = capacity, pods 32 unless set, nothing else. */
export function capNode(name: string, alloc: Req = {}): Node {
  const { cpu, memory, pods, ...extra } = alloc;
  return makeNode(name, { cpu: cpu ?? '0', memory: memory ?? '0', pods: pods ?? '32', extra });
}

/** NodeInfos for `nodes`, each holding the `pods` whose spec.nodeName names it. */
export function snapshot(nodes: Node[], pods: Pod[] = []): NodeInfo[] {
  return nodes.map((nd) =>
    nodeInfo(
      nd,
      ...pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === nd.metadata?.name),
    ),
  );
}

/** Runs PreScore (unless `preScore` is false) and Score on every node; returns [name, score] pairs and the codes. */
export function runScore(plugin: PreScorePlugin & ScorePlugin, p: Pod, infos: NodeInfo[], preScore = true): { scores: [string, number][]; codes: string[] } {
  const state: CycleState = newState();
  const codes: string[] = [];
  if (preScore) codes.push(plugin.preScore(state, p, infos).code);
  const scores: [string, number][] = infos.map((ni) => {
    const r = scorePair(plugin.score(state, p, ni));
    codes.push(r.status.code);
    return [ni.name, r.score];
  });
  return { scores, codes };
}

/** A NodeResourcesFit plugin straight from internal args (no defaulting, as upstream tests call NewFit). */
export function strategyArgs(type: string, resources: { name: string; weight: number }[], shape?: [number, number][]) {
  return {
    ignoredResources: [],
    ignoredResourceGroups: [],
    scoringStrategy: { type, resources, ...(shape ? { requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) } } : {}) },
  };
}

export const defaultResources = () => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
export const extendedRes = 'abc.com/xyz';
export const extendedResourceSet = () => [...defaultResources(), { name: extendedRes, weight: 1 }];

/** Upstream noderesources test makeNode(name, milliCPU, memory, extended). */
export function sizedNode(name: string, milliCPU: number, memory: number, extended: Record<string, number> = {}): Node {
  return capNode(name, { cpu: `${milliCPU}m`, memory: String(memory), ...Object.fromEntries(Object.entries(extended).map(([k, v]) => [k, String(v)])) });
}
