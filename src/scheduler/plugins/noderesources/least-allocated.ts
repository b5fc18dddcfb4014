/**
 * The LeastAllocated scoring strategy of NodeResourcesFit (upstream noderesources/least_allocated.go, 1.32): per
 * resource the share left free after placing the pod, ((capacity - requested) * 100) / capacity in integer
 * arithmetic (0 when requested exceeds capacity), averaged with the resources' weights (integer division). Resources
 * the node lacks (allocatable 0) take no part; no resource at all scores 0.
 */
import { MAX_NODE_SCORE as FRAMEWORK_MAX_NODE_SCORE } from '../../framework';
import type { ResourceSpec } from './args';
import type { ResourceScorer } from './resource-allocation-scorer';

/** Read once: imports are getters under the CommonJS transform, and scoring runs per node. */
const MAX_NODE_SCORE = FRAMEWORK_MAX_NODE_SCORE;

/** leastRequestedScore: the unused capacity on a 0-100 scale. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i].weight;
      nodeScore += leastRequestedScore(requested[i], allocatable[i]) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}
