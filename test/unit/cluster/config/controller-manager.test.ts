import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClusterConfig } from '../../../../src/cluster/config';
import { CONFIG_HEAD as HEAD, configErrors as errorsOf } from '../../../helpers/cluster-config';

describe('ClusterConfig controllerManager grace periods', () => {
  it('are Go durations in ms, left out when not given', () => {
    const c = parseClusterConfig(`${HEAD}controllerManager: { nodeMonitorGracePeriod: 20s, nodeStartupGracePeriod: 1m30s }\n`, 'test.yaml').config;
    assert.deepEqual([c.nodeMonitorGracePeriodMs, c.nodeStartupGracePeriodMs], [20_000, 90_000]);
    const d = parseClusterConfig(`${HEAD}controllerManager: {}\n`, 'test.yaml').config;
    assert.equal('nodeMonitorGracePeriodMs' in d || 'nodeStartupGracePeriodMs' in d, false);
  });

  for (const [what, yaml, want] of [
    ['below the kubelet heartbeat', 'controllerManager: { nodeMonitorGracePeriod: 10s }', 'controllerManager.nodeMonitorGracePeriod: must be at least 15s, not "10s": kubelets renew their node Lease every 10s, so a shorter grace period marks healthy nodes NotReady'],
    ['too long', 'controllerManager: { nodeStartupGracePeriod: 25h }', 'controllerManager.nodeStartupGracePeriod: must be at most 24h, not "25h"'],
    ['no duration', 'controllerManager: { nodeMonitorGracePeriod: 40 }', 'controllerManager.nodeMonitorGracePeriod: expected a duration such as "1s" or "500ms", got 40'],
    ['an unknown field', 'controllerManager: { podEvictionTimeout: 5m }', undefined],
  ] as const) {
    it(`refuses ${what}`, () => {
      const errs = errorsOf(yaml);
      assert.equal(errs.length, 1, errs.join('\n'));
      if (want) assert.equal(errs[0], want);
      else assert.match(errs[0], /^controllerManager\.podEvictionTimeout: /);
    });
  }
});
