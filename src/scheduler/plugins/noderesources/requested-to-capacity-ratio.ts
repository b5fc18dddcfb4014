/**
 * The RequestedToCapacityRatio scoring strategy of NodeResourcesFit (upstream noderesources/
 * requested_to_capacity_ratio.go and helper/shape_score.go, 1.32): the user's shape points (utilization 0-100 →
 * score 0-10, scaled by MaxNodeScore / 10) define a broken linear function (flat before the first point and after
 * the last, integer interpolation in between, Go's truncating division). Per resource the utilization is
 * requested * 100 / capacity (integer; over capacity or capacity 0 → the function at 100); resources scoring 0 are
 * left out of the weighted mean, which is rounded (math.Round). Resources the node lacks take no part.
 */
import { MAX_NODE_SCORE } from '../../framework';
import { MAX_CUSTOM_PRIORITY_SCORE, type ResourceSpec, type UtilizationShapePoint } from './args';
import type { ResourceScorer } from './resource-allocation-scorer';

const MAX_UTILIZATION = 100;

/** A point of the function, already on the scheduler's score scale. */
export interface FunctionShapePoint {
  utilization: number;
  score: number;
}

/** Go's math.Round: halves away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** BuildBrokenLinearFunction over points sorted by utilization (validation guarantees it). */
export function buildBrokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i].utilization) {
        if (i === 0) return shape[0].score;
        const prev = shape[i - 1];
        return prev.score + Math.trunc(((shape[i].score - prev.score) * (p - prev.utilization)) / (shape[i].utilization - prev.utilization));
      }
    }
    return shape[shape.length - 1].score;
  };
}

export function buildRequestedToCapacityRatioScorerFunction(shape: readonly FunctionShapePoint[], resources: readonly ResourceSpec[]): ResourceScorer {
  const raw = buildBrokenLinearFunction(shape);
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return raw(MAX_UTILIZATION);
    return raw(Math.trunc((requested * MAX_UTILIZATION) / capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i].weight;
      const s = resourceScore(requested[i], allocatable[i]);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : goRound(nodeScore / weightSum);
  };
}

/** requestedToCapacityRatioScorer: scales the user's 0-10 scores to 0-MaxNodeScore. */
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const points = shape.map((p) => ({ utilization: p.utilization, score: p.score * Math.trunc(MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  return buildRequestedToCapacityRatioScorerFunction(points, resources);
}
