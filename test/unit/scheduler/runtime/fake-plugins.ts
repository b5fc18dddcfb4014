/**
 * Fake plugins and a Framework builder for the runtime tests: each fake records its calls in a shared log and
 * answers from a table given per test.
 */
import { Status, type CycleState, type NodeInfo, type NodeScore, type Plugin, type PluginFactory, type Pod, type PodInfo, type PodNominator, type PreFilterResult } from '../../../../src/scheduler/framework';
import { Framework } from '../../../../src/scheduler/runtime/framework';
import type { ProfileConfig } from '../../../../src/scheduler/runtime/profile';
import { fakeHandle } from '../../../helpers/scheduler-fixtures';
import type { Snapshot } from '../../../../src/scheduler/framework';
import type { EventRecorder } from '../../../../src/client/events';

export type Log = string[];

export interface FakeSpec {
  preFilter?: (pod: Pod) => { result?: PreFilterResult; status: Status };
  filter?: (node: string, nodeInfo: NodeInfo) => Status;
  preScore?: () => Status;
  score?: (node: string) => number;
  normalize?: (scores: NodeScore[]) => void;
  reserve?: () => Status;
  permit?: () => { status: Status; timeoutMs: number };
  bind?: () => Status;
  preBind?: () => Status;
  postBind?: boolean;
  less?: boolean;
  addPod?: (state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo) => Status;
}

export function fakePlugin(name: string, spec: FakeSpec, log: Log): Plugin {
  const p: Record<string, unknown> = { name };
  if (spec.preFilter) {
    p.preFilter = (_s: CycleState, pod: Pod) => (log.push(`${name}.preFilter`), spec.preFilter!(pod));
    if (spec.addPod) p.preFilterExtensions = () => ({ addPod: (s: CycleState, _p: Pod, pi: PodInfo, ni: NodeInfo) => (log.push(`${name}.addPod`), spec.addPod!(s, pi, ni)), removePod: () => Status.success() });
  }
  if (spec.filter) p.filter = (_s: CycleState, _pod: Pod, ni: NodeInfo) => (log.push(`${name}.filter(${ni.name})`), spec.filter!(ni.name, ni));
  if (spec.preScore) p.preScore = () => (log.push(`${name}.preScore`), spec.preScore!());
  if (spec.score) {
    p.score = (_s: CycleState, _pod: Pod, ni: NodeInfo) => (log.push(`${name}.score(${ni.name})`), spec.score!(ni.name));
    if (spec.normalize) p.normalizeScore = (_s: CycleState, _p: Pod, scores: NodeScore[]) => (log.push(`${name}.normalize`), spec.normalize!(scores), Status.success());
  }
  if (spec.reserve) {
    p.reserve = () => (log.push(`${name}.reserve`), spec.reserve!());
    p.unreserve = () => void log.push(`${name}.unreserve`);
  }
  if (spec.permit) p.permit = () => (log.push(`${name}.permit`), spec.permit!());
  if (spec.preBind) p.preBind = async () => (log.push(`${name}.preBind`), spec.preBind!());
  if (spec.bind) p.bind = async () => (log.push(`${name}.bind`), spec.bind!());
  if (spec.postBind) p.postBind = () => void log.push(`${name}.postBind`);
  if (spec.less) p.less = () => false;
  return p as unknown as Plugin;
}

export const sortPlugin = (log: Log) => fakePlugin('Sort', { less: true }, log);
export const bindPlugin = (log: Log) => fakePlugin('Bind', { bind: () => Status.success() }, log);

/** A framework of `plugins` (plus a queue sort and a binder) enabled through multiPoint with `weights`. */
export function buildFramework(plugins: Plugin[], o: { weights?: Record<string, number>; snapshot?: Snapshot; nominator?: PodNominator; percentageOfNodesToScore?: number; log?: Log; recorder?: EventRecorder } = {}): Framework {
  const log = o.log ?? [];
  const all = [sortPlugin(log), ...plugins, bindPlugin(log)];
  const registry = new Map<string, PluginFactory>(all.map((p) => [p.name, () => p]));
  const profile: ProfileConfig = {
    schedulerName: 'default-scheduler',
    percentageOfNodesToScore: o.percentageOfNodesToScore,
    plugins: { multiPoint: { enabled: all.map((p) => ({ name: p.name, weight: o.weights?.[p.name] })) } },
  };
  const h = fakeHandle();
  return new Framework({
    registry,
    profile,
    snapshot: () => o.snapshot ?? h.snapshot(),
    client: h.client,
    informers: h.informers,
    namespaces: h.namespaces,
    recorder: o.recorder ?? h.recorder,
    clock: h.clock,
    logger: h.logger,
    nominator: o.nominator ?? h.nominator,
  });
}
