/**
 * Runs upstream's per-strategy score tables (least_allocated_test.go, most_allocated_test.go,
 * requested_to_capacity_ratio_test.go) against NodeResourcesFit built from internal args: an expected validation
 * error, or the scores per node (and Error codes when the resources are empty).
 */
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Node, Pod } from '../../../../../src/scheduler/framework';
import { NodeResourcesFit } from '../../../../../src/scheduler/plugins/node-resources-fit';
import { runScore, snapshot, strategyArgs } from './fixtures';

export interface StrategyCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  resources: { name: string; weight: number }[];
  shape?: [number, number][];
  scores?: number[];
  /** The thrown aggregate message (validation). */
  error?: string;
  wantStatusCode?: string;
}

export function runStrategyCases(type: string, cases: StrategyCase[]): void {
  for (const tc of cases) {
    it(tc.name, () => {
      const build = () => new NodeResourcesFit(strategyArgs(type, tc.resources, tc.shape));
      if (tc.error) {
        assert.throws(build, { message: tc.error });
        return;
      }
      const { scores, codes } = runScore(build(), tc.pod, snapshot(tc.nodes, tc.existing ?? []));
      assert.deepEqual(scores, tc.nodes.map((n, i) => [n.metadata?.name, tc.scores![i]]));
      assert.deepEqual(codes.slice(1), tc.nodes.map(() => tc.wantStatusCode ?? 'Success'));
    });
  }
}
