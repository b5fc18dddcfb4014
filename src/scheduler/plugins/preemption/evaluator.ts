/**
 * The preemption Evaluator (upstream framework/preemption Evaluator.Preempt), generic over the policy a preemption
 * plugin supplies (`PreemptionPolicy`: eligibility, victim selection, candidate count). Steps as upstream 1.32:
 * eligibility → candidates from the nodes whose filter status is `Unschedulable` (absent nodes count as
 * UnschedulableAndUnresolvable) → a dry run on a clone of the CycleState and of each NodeInfo, from a random offset,
 * sequentially, stopping once a non-PDB-violating candidate exists and `numCandidates` are found (each of the two
 * lists holds at most `numCandidates`) → pickOneNodeForPreemption → prepareCandidate (API calls, see prepare.ts).
 * Results: `{result: {nominatedNodeName}, status}`; `nominatedNodeName: ''` means "clear the pod's nomination".
 */
import type { CachedObject } from '../../../client/informers';
import { CycleState, NodeInfo, Status, type Handle, type NodeToStatus, type Pod, type PostFilterResult } from '../../framework';
import { CandidateList, pickOneNodeForPreemption, type Candidate } from './candidates';
import { fitErrorMessage } from './fit-error';
import { parsePDBs, type ParsedPDB } from './pdb';
import { prepareCandidate } from './prepare';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export interface VictimSelection {
  victims: Pod[];
  numPDBViolations: number;
  status: Status;
}

export interface PreemptionPolicy {
  /** [offset, numCandidates] for `numNodes` potential nodes. */
  getOffsetAndNumCandidates(numNodes: number): [number, number];
  /** Whether `pod` may preempt at all; `msg` says why not. */
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status | undefined): { ok: boolean; msg: string };
  /** Victims on a node (state and nodeInfo are copies the policy may change). */
  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly ParsedPDB[]): VictimSelection;
}

export interface PreemptOutcome {
  result?: PostFilterResult;
  status: Status;
}

export class Evaluator {
  constructor(
    readonly pluginName: string,
    readonly handle: Handle,
    readonly policy: PreemptionPolicy,
    /** PDBs currently in the cluster (the informer's cached objects). */
    readonly listPDBs: () => readonly CachedObject[],
  ) {}

  async preempt(state: CycleState, pod: Pod, m: NodeToStatus): Promise<PreemptOutcome> {
    // 1) Is the preemptor eligible?
    const nominated = String((pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '');
    const nominatedStatus = nominated ? (m.get(nominated) ?? Status.unresolvable()) : undefined;
    const elig = this.policy.podEligibleToPreemptOthers(pod, nominatedStatus);
    if (!elig.ok) return { status: Status.unschedulable(elig.msg) };

    // 2) Candidates.
    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return { status: Status.error('no nodes available') };
    const { candidates, nodeStatuses, errors } = this.findCandidates(state, allNodes, pod, m);
    if (errors.length > 0 && candidates.length === 0) return { status: Status.error(aggregate(errors)) };
    if (candidates.length === 0) {
      return { result: { nominatedNodeName: '' }, status: Status.unschedulable(fitErrorMessage(allNodes.length, nodeStatuses)) };
    }

    // 3) (no extenders) 4) The best candidate.
    const best = this.selectCandidate(candidates);
    if (!best || !best.name) return { status: Status.unschedulable('no candidate node for preemption') };

    // 5) Evict the victims and clear lower-priority nominations.
    const st = await prepareCandidate(this.handle, best, pod);
    if (!st.isSuccess()) return { status: st };
    return { result: { nominatedNodeName: best.name }, status: SUCCESS };
  }

  findCandidates(state: CycleState, allNodes: readonly NodeInfo[], pod: Pod, m: NodeToStatus): { candidates: Candidate[]; nodeStatuses: Map<string, Status>; errors: string[] } {
    const potential = allNodes.filter((n) => m.get(n.name)?.code === 'Unschedulable');
    if (potential.length === 0) return { candidates: [], nodeStatuses: new Map(), errors: [] };
    const pdbs = parsePDBs(this.listPDBs());
    const [offset, num] = this.policy.getOffsetAndNumCandidates(potential.length);
    return this.dryRunPreemption(state, pod, potential, pdbs, offset, num);
  }

  /** DryRunPreemption: candidates that do not violate PDBs first, then those that do. */
  dryRunPreemption(
    state: CycleState,
    pod: Pod,
    potentialNodes: readonly NodeInfo[],
    pdbs: readonly ParsedPDB[],
    offset: number,
    numCandidates: number,
  ): { candidates: Candidate[]; nodeStatuses: Map<string, Status>; errors: string[] } {
    const nonViolating = new CandidateList(numCandidates);
    const violating = new CandidateList(numCandidates);
    const nodeStatuses = new Map<string, Status>();
    const errors: string[] = [];
    for (let i = 0; i < potentialNodes.length; i++) {
      const nodeCopy = potentialNodes[(offset + i) % potentialNodes.length].clone();
      const stateCopy = state.clone();
      let sel: VictimSelection;
      try {
        sel = this.policy.selectVictimsOnNode(stateCopy, pod, nodeCopy, pdbs);
      } catch (e) {
        sel = { victims: [], numPDBViolations: 0, status: Status.error(e instanceof Error ? e : String(e)) };
      }
      let status = sel.status;
      if (status.isSuccess() && sel.victims.length > 0) {
        const c: Candidate = { name: nodeCopy.name, victims: sel.victims, numPDBViolations: sel.numPDBViolations };
        (sel.numPDBViolations === 0 ? nonViolating : violating).add(c);
        if (nonViolating.size > 0 && nonViolating.size + violating.size >= numCandidates) break;
        continue;
      }
      if (status.isSuccess()) status = Status.error(`expected at least one victim pod on node "${nodeCopy.name}"`);
      if (status.code === 'Error') errors.push(status.message());
      nodeStatuses.set(nodeCopy.name, status);
    }
    return { candidates: [...nonViolating.items, ...violating.items], nodeStatuses, errors };
  }

  selectCandidate(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0];
    const name = pickOneNodeForPreemption(candidates, this.handle.clock.now());
    return candidates.find((c) => c.name === name) ?? candidates[0];
  }
}

/** utilerrors.NewAggregate's message: one error as is, several as `[a, b]`. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}
