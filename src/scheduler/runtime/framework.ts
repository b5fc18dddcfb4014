/**
 * The framework of one profile (upstream runtime/framework.go): builds the profile's plugins from a registry with
 * their pluginConfig args, lists them per extension point (see profile.ts), and runs each extension point with
 * upstream's semantics. It is also the plugins' Handle. Plugin calls never throw out of here: a thrown error becomes
 * a Status Error. Filter/Score loops over nodes live in find-nodes.ts; this file runs one node or one plugin list.
 *
 * Semantics kept from upstream: PreFilter Skip → that plugin's Filter is skipped; PreFilter results intersect
 * ("node(s) didn't satisfy plugin(s) [A B] simultaneously" when empty); Unschedulable at PreFilter still runs the
 * others, UnschedulableAndUnresolvable stops; Filter stops at the first plugin rejecting a node; Filter with
 * nominated pods runs twice when pods of higher/equal priority are nominated to the node; PreScore Skip → Score
 * skipped. Reserve, Permit, PreBind, Bind and PostBind run from binding-points.ts.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { EventRecorder } from '../../client/events';
import type { Lister, SharedInformerFactory } from '../../client/informers';
import type { ApiClient } from '../../controllers/framework/api-client';
import * as fw from '../framework';
import { CycleState, NodeInfo, Status, type Handle, type Plugin, type PluginFactory, type Pod, type PodInfo, type PodNominator, type PreFilterResult, type Snapshot } from '../framework';
import { pluginsNeeded, resolvePlugins, type ExtensionPoint, type ProfileConfig } from './profile';
import type { WaitingPod } from './waiting-pods';

const METHOD: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue', queueSort: 'less', preFilter: 'preFilter', filter: 'filter', postFilter: 'postFilter', preScore: 'preScore',
  score: 'score', reserve: 'reserve', permit: 'permit', preBind: 'preBind', bind: 'bind', postBind: 'postBind',
};
/** Read once: module property reads are getters under the CommonJS transform, and Filter runs per node. */
const OK = Status.success();

export interface FrameworkOptions {
  registry: ReadonlyMap<string, PluginFactory>;
  profile: ProfileConfig;
  snapshot(): Snapshot;
  client: ApiClient;
  informers: SharedInformerFactory;
  namespaces: Lister;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  nominator: PodNominator;
}

export function guard<T>(fn: () => T, onError: (e: Error) => T): T {
  try {
    return fn();
  } catch (e) {
    return onError(e instanceof Error ? e : new Error(String(e)));
  }
}

export const priorityOf = (pod: Pod): number => Number((pod.spec as { priority?: number } | undefined)?.priority ?? 0);

export class Framework implements Handle {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly plugins = new Map<string, Plugin>();
  readonly preEnqueuePlugins: fw.PreEnqueuePlugin[];
  readonly queueSortPlugin: fw.QueueSortPlugin;
  readonly preFilterPlugins: fw.PreFilterPlugin[];
  readonly filterPlugins: fw.FilterPlugin[];
  readonly postFilterPlugins: fw.PostFilterPlugin[];
  readonly preScorePlugins: fw.PreScorePlugin[];
  readonly scorePlugins: fw.ScorePlugin[];
  readonly reservePlugins: fw.ReservePlugin[];
  readonly permitPlugins: fw.PermitPlugin[];
  readonly preBindPlugins: fw.PreBindPlugin[];
  readonly bindPlugins: fw.BindPlugin[];
  readonly postBindPlugins: fw.PostBindPlugin[];
  readonly scoreWeights: Map<string, number>;
  readonly waitingPods = new Map<string, WaitingPod>();
  readonly client: ApiClient;
  readonly informers: SharedInformerFactory;
  readonly namespaces: Lister;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly nominator: PodNominator;

  constructor(private readonly o: FrameworkOptions) {
    this.profileName = o.profile.schedulerName ?? 'default-scheduler';
    this.percentageOfNodesToScore = o.profile.percentageOfNodesToScore;
    ({ client: this.client, informers: this.informers, namespaces: this.namespaces, recorder: this.recorder, clock: this.clock, logger: this.logger, nominator: this.nominator } = o);
    const args = new Map<string, Record<string, unknown> | undefined>();
    for (const pc of o.profile.pluginConfig ?? []) {
      if (args.has(pc.name)) throw new Error(`repeated config for plugin ${pc.name}`);
      args.set(pc.name, pc.args);
    }
    const needed = pluginsNeeded(o.profile);
    for (const [name, factory] of o.registry) {
      if (!needed.has(name)) continue;
      try {
        this.plugins.set(name, factory(o.profile.args?.[name] ?? args.get(name), this));
      } catch (e) {
        throw new Error(`initializing plugin "${name}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const impl = (name: string, ep: ExtensionPoint) => typeof (this.plugins.get(name) as unknown as Record<string, unknown> | undefined)?.[METHOD[ep]] === 'function';
    const { byPoint, weights } = resolvePlugins(o.profile, (n) => this.plugins.has(n), impl);
    const list = <T>(ep: ExtensionPoint) => byPoint[ep].map((n) => this.plugins.get(n) as unknown as T);
    this.preEnqueuePlugins = list('preEnqueue');
    this.queueSortPlugin = list<fw.QueueSortPlugin>('queueSort')[0];
    this.preFilterPlugins = list('preFilter');
    this.filterPlugins = list('filter');
    this.postFilterPlugins = list('postFilter');
    this.preScorePlugins = list('preScore');
    this.scorePlugins = list('score');
    this.reservePlugins = list('reserve');
    this.permitPlugins = list('permit');
    this.preBindPlugins = list('preBind');
    this.bindPlugins = list('bind');
    this.postBindPlugins = list('postBind');
    this.scoreWeights = weights;
    for (const p of this.scorePlugins) if (!this.scoreWeights.get(p.name)) throw new Error(`score plugin "${p.name}" is not configured with weight`);
  }

  snapshot(): Snapshot {
    return this.o.snapshot();
  }

  /** Plugins whose rejections cluster events can undo (upstream enqueueExtensions: PreEnqueue, PreFilter, Filter,
   * Reserve, Permit), each once. */
  enqueuePlugins(): Plugin[] {
    const out = new Map<string, Plugin>();
    for (const p of [...this.preEnqueuePlugins, ...this.preFilterPlugins, ...this.filterPlugins, ...this.reservePlugins, ...this.permitPlugins]) out.set(p.name, p);
    return [...out.values()];
  }

  runPreEnqueuePlugins(pod: Pod): Status {
    for (const pl of this.preEnqueuePlugins) {
      const s = guard(() => pl.preEnqueue(pod), (e) => Status.error(e));
      if (!s.isSuccess()) return s.withPlugin(pl.name);
    }
    return Status.success();
  }

  /** PreFilter: the merged node restriction, the status, and the plugins that restricted nodes. */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status; pluginsWithNodes: string[] } {
    let names: Set<string> | undefined;
    const pluginsWithNodes: string[] = [];
    let returnStatus = Status.success();
    state.skipFilterPlugins.clear();
    state.filterPluginsToRun = undefined;
    for (const pl of this.preFilterPlugins) {
      const r = guard(() => pl.preFilter(state, pod, nodes), (e) => ({ status: Status.error(e), result: undefined }));
      const s = r.status;
      if (s.code === 'Skip') {
        state.skipFilterPlugins.add(pl.name);
        continue;
      }
      if (!s.isSuccess()) {
        if (s.code === 'UnschedulableAndUnresolvable') return { status: s.withPlugin(pl.name), pluginsWithNodes: [] };
        if (s.code === 'Unschedulable') {
          returnStatus = s.withPlugin(pl.name);
          continue;
        }
        return { status: Status.error(`running PreFilter plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name), pluginsWithNodes: [] };
      }
      const nn = r.result?.nodeNames;
      if (nn) {
        pluginsWithNodes.push(pl.name);
        names = names ? new Set([...names].filter((n) => nn.has(n))) : new Set(nn);
        if (names.size === 0) {
          const sorted = [...pluginsWithNodes].sort();
          const msg = sorted.length === 1 ? `node(s) didn't satisfy plugin ${sorted[0]}` : `node(s) didn't satisfy plugin(s) [${sorted.join(' ')}] simultaneously`;
          return { result: { nodeNames: names }, status: Status.unresolvable(msg), pluginsWithNodes };
        }
      }
    }
    state.filterPluginsToRun = state.skipFilterPlugins.size === 0 ? this.filterPlugins : this.filterPlugins.filter((pl) => !state.skipFilterPlugins.has(pl.name));
    return { result: names ? { nodeNames: names } : undefined, status: returnStatus, pluginsWithNodes };
  }

  /** Filter on one node: the first rejecting plugin's status (with its name), Success when all pass. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const plugins = state.filterPluginsToRun ?? this.filterPlugins.filter((pl) => !state.skipFilterPlugins.has(pl.name));
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i];
      let s: Status;
      try {
        s = pl.filter(state, pod, nodeInfo);
      } catch (e) {
        s = Status.error(e instanceof Error ? e : String(e));
      }
      if (!s.isSuccess()) {
        if (!s.isRejected()) s = Status.error(`running "${pl.name}" filter plugin: ${s.message()}`);
        return s.withPlugin(pl.name);
      }
    }
    return OK;
  }

  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    // The common case, no pod nominated to this node: one pass, nothing to clone.
    if (!nodeInfo.node || this.nominator.nominatedPodsForNode(nodeInfo.name).length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    let status = OK;
    let podsAdded = false;
    for (let i = 0; i < 2; i++) {
      let stateToUse = state;
      let infoToUse = nodeInfo;
      if (i === 0) {
        const r = this.addGENominatedPods(pod, state, nodeInfo);
        if (r instanceof Status) return r;
        ({ podsAdded, state: stateToUse, nodeInfo: infoToUse } = r);
      } else if (!podsAdded || !status.isSuccess()) {
        break;
      }
      status = this.runFilterPlugins(stateToUse, pod, infoToUse);
      if (!status.isSuccess() && !status.isRejected()) return status;
    }
    return status;
  }

  private addGENominatedPods(pod: Pod, state: CycleState, nodeInfo: NodeInfo): Status | { podsAdded: boolean; state: CycleState; nodeInfo: NodeInfo } {
    const nominated = nodeInfo.node ? this.nominator.nominatedPodsForNode(nodeInfo.name) : [];
    if (nominated.length === 0) return { podsAdded: false, state, nodeInfo };
    let infoOut: NodeInfo | undefined;
    let stateOut: CycleState | undefined;
    const prio = priorityOf(pod);
    const uid = pod.metadata?.uid;
    for (const pi of nominated) {
      if (priorityOf(pi.pod) < prio || pi.pod.metadata?.uid === uid) continue;
      infoOut ??= nodeInfo.clone();
      stateOut ??= state.clone();
      infoOut.addPod(pi.pod);
      const s = this.runPreFilterExtensionAddPod(stateOut, pod, pi, infoOut);
      if (!s.isSuccess()) return Status.error(s.message());
    }
    return infoOut && stateOut ? { podsAdded: true, state: stateOut, nodeInfo: infoOut } : { podsAdded: false, state, nodeInfo };
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    return this.runExtensions(state, (ext) => ext.addPod(state, podToSchedule, podInfoToAdd, nodeInfo), 'AddPod');
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    return this.runExtensions(state, (ext) => ext.removePod(state, podToSchedule, podInfoToRemove, nodeInfo), 'RemovePod');
  }

  private runExtensions(state: CycleState, call: (ext: fw.PreFilterExtensions) => Status, what: string): Status {
    for (const pl of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const ext = pl.preFilterExtensions?.();
      if (!ext) continue;
      const s = guard(() => call(ext), (e) => Status.error(e));
      if (!s.isSuccess()) return Status.error(`running ${what} on PreFilter plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
    }
    return Status.success();
  }

  async runPostFilterPlugins(state: CycleState, pod: Pod, m: fw.NodeToStatus): Promise<{ result?: fw.PostFilterResult; status: Status }> {
    let result: fw.PostFilterResult | undefined;
    const reasons: string[] = [];
    let rejector = '';
    for (const pl of this.postFilterPlugins) {
      let r: { result?: fw.PostFilterResult; status: Status };
      try {
        r = await pl.postFilter(state, pod, m);
      } catch (e) {
        r = { status: Status.error(e instanceof Error ? e : String(e)) };
      }
      const s = r.status;
      if (s.isSuccess()) return r;
      if (s.code === 'UnschedulableAndUnresolvable') return { result: r.result, status: s.withPlugin(pl.name) };
      if (!s.isRejected()) return { status: Status.error(s.message()).withPlugin(pl.name) };
      if (r.result?.nominatedNodeName !== undefined) result = r.result;
      reasons.push(...s.reasons);
      if (!rejector) rejector = pl.name;
    }
    return { result, status: Status.unschedulable(...reasons).withPlugin(rejector) };
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    state.skipScorePlugins.clear();
    for (const pl of this.preScorePlugins) {
      const s = guard(() => pl.preScore(state, pod, nodes), (e) => Status.error(e));
      if (s.code === 'Skip') {
        state.skipScorePlugins.add(pl.name);
        continue;
      }
      if (!s.isSuccess()) return Status.error(`running PreScore plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
    }
    return Status.success();
  }

  /** Rejects a pod waiting at Permit (upstream RejectWaitingPod); true when it was waiting. */
  rejectWaitingPod(uid: string): boolean {
    const wp = this.waitingPods.get(uid);
    if (!wp) return false;
    wp.reject('', 'removed');
    return true;
  }
}
