/**
 * The MostAllocated scoring strategy of NodeResourcesFit (upstream noderesources/most_allocated.go, 1.32): per
 * resource the share in use after placing the pod, (requested * 100) / capacity in integer arithmetic with requested
 * capped at capacity (pods without requests count the scheduler's defaults and may overshoot), averaged with the
 * resources' weights (integer division). Resources the node lacks take no part; no resource at all scores 0.
 */
import { MAX_NODE_SCORE as FRAMEWORK_MAX_NODE_SCORE } from '../../framework';
import type { ResourceSpec } from './args';
import type { ResourceScorer } from './resource-allocation-scorer';

/** Read once: imports are getters under the CommonJS transform, and scoring runs per node. */
const MAX_NODE_SCORE = FRAMEWORK_MAX_NODE_SCORE;

/** mostRequestedScore: the used capacity on a 0-100 scale. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  const r = requested > capacity ? capacity : requested;
  return Math.trunc((r * MAX_NODE_SCORE) / capacity);
}

export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i].weight;
      nodeScore += mostRequestedScore(requested[i], allocatable[i]) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}
