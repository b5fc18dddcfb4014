/** podRequests / nonZeroRequests: computed once per distinct set of inputs, and never shared across different ones. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nonZeroRequests, podRequests } from '../../../src/scheduler/framework';

const pod = (spec: Record<string, unknown>) => JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec })) as object;
const c = (requests?: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'i', ...(requests ? { resources: { requests } } : {}), ...extra });

describe('pod requests memo', () => {
  it('pods with the same inputs share one computation; the values are right', () => {
    const a = pod({ containers: [c({ cpu: '250m', memory: '1Gi' })] });
    const b = pod({ containers: [c({ cpu: '250m', memory: '1Gi' })], nodeName: 'n1' });
    assert.equal(podRequests(a), podRequests(b));
    assert.equal(podRequests(a).milliCPU, 250);
    assert.equal(podRequests(a).memory, 2 ** 30);
    assert.equal(nonZeroRequests(a), nonZeroRequests(b));
  });

  it('any input that changes the result gives its own computation', () => {
    const base = podRequests(pod({ containers: [c({ cpu: '250m' })] }));
    const variants = [
      pod({ containers: [c({ cpu: '300m' })] }),
      pod({ containers: [c({ cpu: '250m' }), c({ cpu: '250m' })] }),
      pod({ containers: [c({ cpu: '250m' })], initContainers: [c({ cpu: '1' })] }),
      pod({ containers: [c({ cpu: '250m' })], initContainers: [c({ cpu: '1' }, { restartPolicy: 'Always' })] }),
      pod({ containers: [c({ cpu: '250m' })], overhead: { cpu: '50m' } }),
    ];
    const cpus = variants.map((v) => podRequests(v).milliCPU);
    assert.deepEqual(cpus, [300, 500, 1000, 1250, 300]);
    for (const v of variants) assert.notEqual(podRequests(v), base);
    // Plain init container vs sidecar: same requests, different restartPolicy, different results.
    assert.notEqual(podRequests(variants[2]), podRequests(variants[3]));
  });

  it('nonZeroRequests fills the defaults for containers without requests, apart from podRequests', () => {
    const p = pod({ containers: [c()] });
    assert.equal(podRequests(p).milliCPU, 0);
    assert.equal(nonZeroRequests(p).milliCPU, 100);
    assert.equal(nonZeroRequests(p).memory, 200 * 2 ** 20);
  });

  it('a spec of an unexpected shape is computed on its own, not shared', () => {
    const odd = { spec: { containers: 'nope' } };
    assert.equal(podRequests(odd).milliCPU, 0);
    assert.equal(podRequests({}).milliCPU, 0);
  });
});
