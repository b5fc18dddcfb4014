/**
 * The resource-allocation scorer shared by NodeResourcesFit's strategies and NodeResourcesBalancedAllocation
 * (upstream noderesources/resource_allocation.go, 1.32). For each configured resource it pairs the node's allocatable
 * with what would be requested after placing the pod: cpu and memory from NodeInfo.nonZeroRequested (the scheduler's
 * 100m / 200Mi defaults for containers without requests) or, with `useRequested`, NodeInfo.requested;
 * ephemeral-storage and scalar resources always from `requested`. A scalar resource the pod does not request, or one
 * the node does not have, is left at (0, 0) so the strategy skips it. Pod requests are computed once per pod
 * (`podRequestList`, PreScore) in resource order; `score` reuses two scratch arrays, so it allocates nothing per node.
 */
import { isScalarResourceName, nonZeroRequests, podRequests, Status, type NodeInfo, type Pod, type ScoreOutcome } from '../../framework';
import type { ResourceSpec } from './args';


/** A strategy: requested and allocatable per resource (same order as the resources) → a score in [0, 100]. */
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL = 2;
const SCALAR = 3;
const OTHER = 4;

function kindOf(name: string): number {
  switch (name) {
    case 'cpu':
      return CPU;
    case 'memory':
      return MEMORY;
    case 'ephemeral-storage':
      return EPHEMERAL;
    default:
      return isScalarResourceName(name) ? SCALAR : OTHER;
  }
}

export class ResourceAllocationScorer {
  private readonly kinds: number[];
  private readonly names: string[];
  private readonly requested: number[];
  private readonly allocatable: number[];

  constructor(
    /** The strategy's name (LeastAllocated, …, NodeResourcesBalancedAllocation), for logs. */
    readonly name: string,
    readonly resources: readonly ResourceSpec[],
    private readonly scorer: ResourceScorer,
    /** Use NodeInfo.requested instead of nonZeroRequested for cpu and memory (BalancedAllocation). */
    readonly useRequested = false,
  ) {
    this.names = resources.map((r) => r.name);
    this.kinds = this.names.map(kindOf);
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
  }

  /** calculatePodResourceRequestList: the pod's request of each resource (with the non-zero defaults unless useRequested). */
  podRequestList(pod: Pod): number[] {
    const r = this.useRequested ? podRequests(pod) : nonZeroRequests(pod);
    return this.names.map((n) => r.get(n));
  }

  /** The node's score for a pod whose per-resource requests are `podRequests`. */
  score(nodeInfo: NodeInfo, podRequests: readonly number[]): ScoreOutcome {
    if (this.resources.length === 0) return Status.error('resources not found');
    const requested = this.requested;
    const allocatable = this.allocatable;
    const used = this.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    const alloc = nodeInfo.allocatable;
    for (let i = 0; i < this.kinds.length; i++) {
      const podRequest = podRequests[i] ?? 0;
      let a = 0;
      let r = 0;
      switch (this.kinds[i]) {
        case CPU:
          a = alloc.milliCPU;
          r = used.milliCPU + podRequest;
          break;
        case MEMORY:
          a = alloc.memory;
          r = used.memory + podRequest;
          break;
        case EPHEMERAL:
          a = alloc.ephemeralStorage;
          r = nodeInfo.requested.ephemeralStorage + podRequest;
          break;
        case SCALAR:
          if (podRequest !== 0) {
            const name = this.names[i];
            const v = alloc.scalar.get(name);
            if (v !== undefined) {
              a = v;
              r = (nodeInfo.requested.scalar.get(name) ?? 0) + podRequest;
            }
          }
          break;
        default:
          break;
      }
      // Only fill an entry when the node has some of the resource.
      if (a === 0) {
        allocatable[i] = 0;
        requested[i] = 0;
      } else {
        allocatable[i] = a;
        requested[i] = r;
      }
    }
    return this.scorer(requested, allocatable);
  }
}
