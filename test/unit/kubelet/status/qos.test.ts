/** podQOSClass / computePodQOS: upstream's TestComputePodQOS table (pkg/apis/core/v1/helper/qos), plus GetPodQOS. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computePodQOS, podQOSClass } from '../../../../src/kubelet/status/qos';

const list = (cpu: string, memory: string, extra: Record<string, string> = {}) => ({ ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}), ...extra });
const c = (name: string, req: Record<string, string>, lim: Record<string, string>) => ({ name, resources: { requests: req, limits: lim } });
const pod = (containers: unknown[], initContainers: unknown[] = []) => ({ metadata: { name: 'p' }, spec: { containers, initContainers } });

const cases: [string, Record<string, unknown>, string][] = [
  ['guaranteed', pod([c('guaranteed', list('100m', '100Mi'), list('100m', '100Mi'))]), 'Guaranteed'],
  ['guaranteed-guaranteed', pod([c('a', list('100m', '100Mi'), list('100m', '100Mi')), c('b', list('100m', '100Mi'), list('100m', '100Mi'))]), 'Guaranteed'],
  ['best-effort-best-effort', pod([c('a', {}, {}), c('b', {}, {})]), 'BestEffort'],
  ['best-effort', pod([c('best-effort', {}, {})]), 'BestEffort'],
  ['best-effort-burstable', pod([c('a', {}, {}), c('b', list('1', ''), list('2', ''))]), 'Burstable'],
  ['best-effort-guaranteed', pod([c('a', {}, {}), c('b', list('10m', '100Mi'), list('10m', '100Mi'))]), 'Burstable'],
  ['burstable-cpu-guaranteed-memory', pod([c('a', list('', '100Mi'), list('', '100Mi'))]), 'Burstable'],
  ['burstable-no-limits', pod([c('a', list('100m', '100Mi'), {})]), 'Burstable'],
  ['burstable-guaranteed', pod([c('a', list('1', '100Mi'), list('2', '100Mi')), c('b', list('100m', '100Mi'), list('100m', '100Mi'))]), 'Burstable'],
  ['burstable-unbounded-but-requests-match-limits', pod([c('a', list('100m', '100Mi'), list('200m', '200Mi')), c('b', list('100m', '100Mi'), {})]), 'Burstable'],
  ['burstable-1', pod([c('a', list('10m', '100Mi'), list('100m', '200Mi'))]), 'Burstable'],
  ['burstable-2', pod([c('a', list('0', '0'), list('100m', '200Mi'))]), 'Burstable'],
  ['best-effort-hugepages', pod([c('a', list('0', '0', { 'hugepages-2Mi': '1Gi' }), list('0', '0', { 'hugepages-2Mi': '1Gi' }))]), 'BestEffort'],
  ['init-container', pod([c('a', {}, {})], [c('init', list('10m', '100Mi'), list('100m', '200Mi'))]), 'Burstable'],
  ['guaranteed with a guaranteed init container', pod([c('a', list('1', '1Gi'), list('1', '1Gi'))], [c('init', list('500m', '1Gi'), list('500m', '1Gi'))]), 'Guaranteed'],
  ['guaranteed init container, best-effort container', pod([c('a', {}, {})], [c('init', list('1', '1Gi'), list('1', '1Gi'))]), 'Burstable'],
  ['equal quantities written differently', pod([c('a', list('1000m', '1024Mi'), list('1', '1Gi'))]), 'Guaranteed'],
  ['only limits (requests not defaulted)', pod([c('a', {}, list('1', '1Gi'))]), 'Burstable'],
  ['ephemeral-storage only', pod([c('a', { 'ephemeral-storage': '1Gi' }, {})]), 'BestEffort'],
];

describe('computePodQOS', () => {
  for (const [name, p, want] of cases) it(name, () => assert.equal(computePodQOS(p), want));
});

describe('podQOSClass (GetPodQOS)', () => {
  it('the class the API server persisted wins (it is immutable)', () => {
    assert.equal(podQOSClass({ ...pod([c('a', {}, {})]), status: { qosClass: 'Burstable' } }), 'Burstable');
  });
  it('computed when the status has none', () => {
    assert.equal(podQOSClass({ ...pod([c('a', list('1', '1Gi'), list('1', '1Gi'))]), status: {} }), 'Guaranteed');
  });
});
