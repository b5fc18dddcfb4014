/**
 * DefaultPreemption (upstream pkg/scheduler/framework/plugins/defaultpreemption, 1.32): the PostFilter plugin that,
 * when no node fits a pod, looks for nodes where evicting lower-priority pods would make it fit, picks one, evicts
 * those victims and nominates the node (`result.nominatedNodeName`; '' asks the core to clear the nomination).
 * Args (DefaultPreemptionArgs, defaulted and validated as upstream): minCandidateNodesPercentage 10,
 * minCandidateNodesAbsolute 100. Victims per node: every lower-priority pod is removed, the pod must then pass the
 * profile's filters (run through the Handle with nominated pods), and victims are reprieved, most important first,
 * PDB-violating ones before the others, as long as the pod still fits. PDBs come from the policy/v1 informer.
 * Messages as upstream ("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
 * "No preemption victims found for incoming pod", "not eligible due to preemptionPolicy=Never.", …).
 * Not implemented: extenders, waiting (Permit) victims, async preemption; the preemptor is used as passed (upstream
 * re-reads it from the pod lister).
 */
import { aggregateMessage, fieldErr, type FieldError } from '../../api/field-errors';
import { R } from '../../controllers/framework/resources';
import type { CycleState, EnqueueExtensions, Handle, NodeInfo, NodeToStatus, Pod, PodInfo, PostFilterPlugin, PostFilterResult, PluginFactory } from '../framework';
import { Status } from '../framework';
import { Evaluator, type PreemptionPolicy, type VictimSelection } from './preemption/evaluator';
import { filterPodsWithPDBViolation, type ParsedPDB } from './preemption/pdb';
import { moreImportantPod, podPriority } from './preemption/pod-order';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'DefaultPreemption';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

/** SetDefaults_DefaultPreemptionArgs + ValidateDefaultPreemptionArgs; throws with upstream's field errors. */
export function defaultPreemptionArgs(raw: Record<string, unknown> | undefined): DefaultPreemptionArgs {
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  const args = { minCandidateNodesPercentage: num(raw?.minCandidateNodesPercentage, 10), minCandidateNodesAbsolute: num(raw?.minCandidateNodesAbsolute, 100) };
  const errs: FieldError[] = [];
  const p = args.minCandidateNodesPercentage;
  const a = args.minCandidateNodesAbsolute;
  if (p < 0 || p > 100) errs.push(fieldErr.invalid('minCandidateNodesPercentage', p, 'not in valid range [0, 100]'));
  if (a < 0) errs.push(fieldErr.invalid('minCandidateNodesAbsolute', a, 'not in valid range [0, inf)'));
  if (p === 0 && a === 0) {
    errs.push(fieldErr.invalid('minCandidateNodesPercentage', p, 'cannot be zero at the same time as minCandidateNodesAbsolute'));
    errs.push(fieldErr.invalid('minCandidateNodesAbsolute', a, 'cannot be zero at the same time as minCandidateNodesPercentage'));
  }
  if (errs.length) throw new Error(aggregateMessage(errs));
  return args;
}

/** A pod is terminating because the scheduler preempted it (deletionTimestamp + DisruptionTarget/PreemptionByScheduler). */
export function podTerminatingByPreemption(p: Pod): boolean {
  if (!p.metadata?.deletionTimestamp) return false;
  const conds = (p.status as { conditions?: { type?: string; status?: string; reason?: string }[] } | undefined)?.conditions ?? [];
  const c = conds.find((x) => x.type === 'DisruptionTarget');
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

export class DefaultPreemption implements PostFilterPlugin, EnqueueExtensions, PreemptionPolicy {
  readonly name = NAME;
  readonly evaluator: Evaluator;
  /** Extra eligibility of a victim (upstream IsEligiblePod); default: any lower-priority pod. */
  isEligiblePod: (nodeInfo: NodeInfo, victim: PodInfo, preemptor: Pod) => boolean = () => true;
  /** Victim ordering (upstream MoreImportantPod): priority, then earlier start. */
  moreImportantPod: (a: Pod, b: Pod) => boolean;
  /** The random offset source (upstream getOffsetRand); tests replace it. */
  offsetRand: (n: number) => number = (n) => Math.floor(Math.random() * n);

  constructor(
    readonly args: DefaultPreemptionArgs,
    readonly handle: Handle,
  ) {
    const pdbs = handle.informers.listerFor(R.poddisruptionbudgets);
    this.evaluator = new Evaluator(NAME, handle, this, () => pdbs.list());
    this.moreImportantPod = (a, b) => moreImportantPod(a, b, handle.clock.now());
  }

  async postFilter(state: CycleState, pod: Pod, m: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const { result, status } = await this.evaluator.preempt(state, pod, m);
    const msg = status.message();
    if (!msg) return { result, status };
    const prefixed = `preemption: ${msg}`;
    return { result, status: status.code === 'Error' ? Status.error(prefixed) : new Status(status.code, [prefixed]) };
  }

  /** Async preemption is off (as 1.32's default): no PreEnqueue gate, so no events. */
  eventsToRegister(): [] {
    return [];
  }

  calculateNumCandidates(numNodes: number): number {
    let n = Math.trunc((numNodes * this.args.minCandidateNodesPercentage) / 100);
    if (n < this.args.minCandidateNodesAbsolute) n = this.args.minCandidateNodesAbsolute;
    if (n > numNodes) n = numNodes;
    return n;
  }

  getOffsetAndNumCandidates(numNodes: number): [number, number] {
    return [this.offsetRand(numNodes), this.calculateNumCandidates(numNodes)];
  }

  isPreemptionAllowed(nodeInfo: NodeInfo, victim: PodInfo, preemptor: Pod): boolean {
    return podPriority(victim.pod) < podPriority(preemptor) && this.isEligiblePod(nodeInfo, victim, preemptor);
  }

  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status | undefined): { ok: boolean; msg: string } {
    if ((pod.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy === 'Never') return { ok: false, msg: 'not eligible due to preemptionPolicy=Never.' };
    const nom = String((pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '');
    if (nom) {
      // Filters consider the nominated node UnschedulableAndUnresolvable: preempt again elsewhere.
      if (nominatedNodeStatus?.code === 'UnschedulableAndUnresolvable') return { ok: true, msg: '' };
      const ni = this.handle.snapshot().get(nom);
      if (ni) {
        for (const p of ni.pods) {
          if (this.isPreemptionAllowed(ni, p, pod) && podTerminatingByPreemption(p.pod)) return { ok: false, msg: 'not eligible due to a terminating pod on the nominated node.' };
        }
      }
    }
    return { ok: true, msg: '' };
  }

  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly ParsedPDB[]): VictimSelection {
    const h = this.handle;
    const fail = (s: Status): VictimSelection => ({ victims: [], numPDBViolations: 0, status: s });
    const removePod = (pi: PodInfo): Status => {
      if (!nodeInfo.removePod(pi.pod)) return Status.error(`no corresponding pod ${String(pi.pod.metadata?.name)} in pods of node ${nodeInfo.name}`);
      const s = h.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
      return s.isSuccess() ? SUCCESS : Status.error(s.message());
    };
    const addPod = (pi: PodInfo): Status => {
      nodeInfo.addPod(pi.pod);
      const s = h.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
      return s.isSuccess() ? SUCCESS : Status.error(s.message());
    };
    // Remove every pod eligible for preemption, then check the pod fits without them.
    const potential = nodeInfo.pods.filter((pi) => this.isPreemptionAllowed(nodeInfo, pi, pod));
    for (const pi of potential) {
      const s = removePod(pi);
      if (!s.isSuccess()) return fail(s);
    }
    if (potential.length === 0) return fail(Status.unresolvable('No preemption victims found for incoming pod'));
    const fits = h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!fits.isSuccess()) return fail(fits);

    // Reprieve as many as possible, most important first; PDB-violating victims first.
    potential.sort((a, b) => (this.moreImportantPod(a.pod, b.pod) ? -1 : this.moreImportantPod(b.pod, a.pod) ? 1 : 0));
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numViolating = 0;
    const reprieve = (pi: PodInfo): { fits: boolean; status: Status } => {
      const add = addPod(pi);
      if (!add.isSuccess()) return { fits: false, status: add };
      const ok = h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess();
      if (!ok) {
        const rm = removePod(pi);
        if (!rm.isSuccess()) return { fits: false, status: rm };
        victims.push(pi);
      }
      return { fits: ok, status: SUCCESS };
    };
    for (const pi of violating) {
      const r = reprieve(pi);
      if (!r.status.isSuccess()) return fail(r.status);
      if (!r.fits) numViolating++;
    }
    for (const pi of nonViolating) {
      const r = reprieve(pi);
      if (!r.status.isSuccess()) return fail(r.status);
    }
    if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => (this.moreImportantPod(a.pod, b.pod) ? -1 : this.moreImportantPod(b.pod, a.pod) ? 1 : 0));
    return { victims: victims.map((v) => v.pod), numPDBViolations: numViolating, status: SUCCESS };
  }
}

export const newDefaultPreemption: PluginFactory = (args, handle) => new DefaultPreemption(defaultPreemptionArgs(args), handle);
