/** Quota evaluators and computeQuotaUsage: upstream usage cases, scopes, and fast-check properties against per-pod sums. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatResourceList, parseResourceList } from '../../../../../src/api/quantity-math';
import { computeQuotaUsage, evaluatorFor, trackedResources, type QuotaObject } from '../../../../../src/apiserver/admission/resource-quota';

type Obj = Record<string, unknown>;
const NOW = new Date('2024-06-01T00:00:00Z');

function podObj(containers: { cpu?: string; memory?: string; limCpu?: string; limMemory?: string }[], extra: { phase?: string; deadline?: number; spec?: Obj; metadata?: Obj } = {}): Obj {
  return {
    metadata: { name: 'p', namespace: 'ns', ...extra.metadata },
    spec: {
      containers: containers.map((c, i) => ({
        name: `c${i}`,
        resources: {
          requests: { ...(c.cpu ? { cpu: c.cpu } : {}), ...(c.memory ? { memory: c.memory } : {}) },
          limits: { ...(c.limCpu ? { cpu: c.limCpu } : {}), ...(c.limMemory ? { memory: c.limMemory } : {}) },
        },
      })),
      ...(extra.deadline !== undefined ? { activeDeadlineSeconds: extra.deadline } : {}),
      ...extra.spec,
    },
    status: { phase: extra.phase ?? 'Running' },
  };
}

const usageOf = (group: string, resource: string, obj: Obj) => formatResourceList(evaluatorFor(group, resource)!.usage(obj, NOW));

describe('pod usage (PodUsageFunc)', () => {
  it('charges requests, limits and the pod; cpu/memory mirror requests', () => {
    assert.deepEqual(usageOf('', 'pods', podObj([{ cpu: '100m', memory: '64Mi', limMemory: '128Mi' }, { cpu: '150m', memory: '64Mi' }])), {
      'count/pods': '1',
      pods: '1',
      cpu: '250m',
      'requests.cpu': '250m',
      memory: '128Mi',
      'requests.memory': '128Mi',
      'limits.memory': '128Mi',
    });
  });

  it('init containers raise requests to their largest step; sidecars add; overhead adds', () => {
    const pod = podObj([{ cpu: '100m' }], {
      spec: {
        initContainers: [
          { name: 'big', resources: { requests: { cpu: '1' } } },
          { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
        ],
        overhead: { cpu: '10m' },
      },
    });
    assert.equal(usageOf('', 'pods', pod)['requests.cpu'], '1010m');
  });

  const notCharged: [string, Obj][] = [
    ['Succeeded', podObj([{ cpu: '1' }], { phase: 'Succeeded' })],
    ['Failed', podObj([{ cpu: '1' }], { phase: 'Failed' })],
    ['deleted past its grace period', podObj([{ cpu: '1' }], { metadata: { deletionTimestamp: '2024-05-31T23:59:00Z', deletionGracePeriodSeconds: 30 } })],
  ];
  for (const [name, pod] of notCharged)
    it(`${name}: only count/pods`, () => assert.deepEqual(usageOf('', 'pods', pod), { 'count/pods': '1' }));

  it('a pod still within its grace period is charged', () => {
    const pod = podObj([{ cpu: '1' }], { metadata: { deletionTimestamp: '2024-05-31T23:59:50Z', deletionGracePeriodSeconds: 30 } });
    assert.equal(usageOf('', 'pods', pod).pods, '1');
  });

  it('hugepages and extended resources', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { 'hugepages-2Mi': '4Mi', 'example.com/gpu': '2' } } }] } };
    const u = usageOf('', 'pods', pod);
    assert.equal(u['hugepages-2Mi'], '4Mi');
    assert.equal(u['requests.hugepages-2Mi'], '4Mi');
    assert.equal(u['requests.example.com/gpu'], '2');
  });
});

describe('service and claim usage', () => {
  const svc = (spec: Obj) => ({ metadata: { name: 's' }, spec });
  const ports = [{ port: 80 }, { port: 443, nodePort: 30443 }];
  const cases: [string, Obj, Obj][] = [
    ['ClusterIP', svc({ ports }), { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '0' }],
    ['NodePort', svc({ type: 'NodePort', ports }), { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '2' }],
    ['LoadBalancer', svc({ type: 'LoadBalancer', ports }), { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '2' }],
    [
      'LoadBalancer without node port allocation counts explicit node ports only',
      svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports }),
      { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '1' },
    ],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(usageOf('', 'services', obj), want));

  it('claims charge storage, also per storage class', () => {
    const pvc = { metadata: { name: 'd' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '1.5Gi' } } } };
    assert.deepEqual(usageOf('', 'persistentvolumeclaims', pvc), {
      persistentvolumeclaims: '1',
      'count/persistentvolumeclaims': '1',
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'requests.storage': '1536Mi',
      'fast.storageclass.storage.k8s.io/requests.storage': '1536Mi',
    });
  });

  it('other resources count objects; legacy names alias core ones', () => {
    assert.deepEqual(usageOf('apps', 'deployments', {}), { 'count/deployments.apps': '1' });
    assert.deepEqual(usageOf('', 'secrets', {}), { 'count/secrets': '1', secrets: '1' });
    assert.equal(evaluatorFor('', 'events'), undefined);
  });

  it('trackedResources maps hard names to what must be listed', () => {
    assert.deepEqual(trackedResources(['pods', 'requests.storage', 'count/deployments.apps', 'services.nodeports', 'configmaps', 'count/widgets.example.com', 'bogus']), [
      { group: '', resource: 'pods' },
      { group: '', resource: 'persistentvolumeclaims' },
      { group: 'apps', resource: 'deployments' },
      { group: '', resource: 'services' },
      { group: '', resource: 'configmaps' },
      { group: 'example.com', resource: 'widgets' },
    ]);
  });
});

describe('computeQuotaUsage', () => {
  const quota = (hard: Record<string, string>, spec: Obj = {}): Obj => ({ metadata: { name: 'q', namespace: 'ns' }, spec: { hard, ...spec } });
  const objs = (pods: Obj[]): QuotaObject[] => pods.map((object) => ({ group: '', resource: 'pods', object }));

  it('zero for tracked names without objects; unknown names left out', () => {
    assert.deepEqual(formatResourceList(computeQuotaUsage(quota({ pods: '5', 'requests.cpu': '1', 'not-a-resource': '1' }), [])), { pods: '0', 'requests.cpu': '0' });
  });

  it('Terminating / NotTerminating scopes', () => {
    const pods = objs([podObj([{ cpu: '1' }], { deadline: 60 }), podObj([{ cpu: '2' }]), podObj([{ cpu: '3' }])]);
    assert.deepEqual(formatResourceList(computeQuotaUsage(quota({ 'requests.cpu': '10' }, { scopes: ['Terminating'] }), pods, NOW)), { 'requests.cpu': '1' });
    assert.deepEqual(formatResourceList(computeQuotaUsage(quota({ 'requests.cpu': '10' }, { scopes: ['NotTerminating'] }), pods, NOW)), { 'requests.cpu': '5' });
  });

  it('objects of other namespaces are not counted', () => {
    const other = podObj([{ cpu: '1' }], { metadata: { namespace: 'other' } });
    assert.deepEqual(formatResourceList(computeQuotaUsage(quota({ pods: '5' }), objs([other, podObj([])]), NOW)), { pods: '1' });
  });

  const milli = fc.integer({ min: 0, max: 4000 }).map((n) => `${n}m`);
  const mebi = fc.integer({ min: 1, max: 2048 }).map((n) => `${n}Mi`);
  const containerArb = fc.record({ cpu: fc.option(milli, { nil: undefined }), memory: fc.option(mebi, { nil: undefined }), limMemory: fc.option(mebi, { nil: undefined }) });
  const podArb = fc.record({
    containers: fc.array(containerArb, { maxLength: 3 }),
    phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed'),
    deadline: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  }).map((p) => podObj(p.containers, { phase: p.phase, deadline: p.deadline }));
  const HARD = { pods: '100', 'count/pods': '100', 'requests.cpu': '100', 'requests.memory': '100Gi', 'limits.memory': '100Gi', memory: '100Gi' };

  it('property: equals the sum of per-pod usages (masked to the quota, zero when none)', () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 8 }), fc.constantFrom<string[]>([], ['Terminating'], ['NotTerminating'], ['BestEffort'], ['NotBestEffort']), (pods, scopes) => {
        const q = quota(HARD, { scopes });
        const ev = evaluatorFor('', 'pods')!;
        const expected = new Map(Object.keys(HARD).map((k) => [k, 0n]));
        for (const p of pods) {
          if (!scopes.every((s) => ev.matchesScope({ scopeName: s, operator: 'Exists' }, p))) continue;
          for (const [k, v] of ev.usage(p, NOW)) if (expected.has(k)) expected.set(k, expected.get(k)! + v.milliValue());
        }
        const got = computeQuotaUsage(q, objs(pods), NOW);
        assert.deepEqual([...got.keys()].sort(), Object.keys(HARD).sort());
        for (const [k, v] of got) assert.equal(v.milliValue(), expected.get(k), k);
      }),
    );
  });

  it('property: matches an independent count of pods, cpu requests and memory limits', () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 8 }), (pods) => {
        const got = computeQuotaUsage(quota(HARD), objs(pods), NOW);
        const live = pods.filter((p) => !['Succeeded', 'Failed'].includes((p.status as Obj).phase as string));
        const containers = live.flatMap((p) => (p.spec as { containers: { resources: { requests: Obj; limits: Obj } }[] }).containers);
        const sum = (pick: (c: (typeof containers)[number]) => unknown, unit: bigint) =>
          containers.reduce((acc, c) => {
            const v = pick(c);
            return typeof v === 'string' ? acc + BigInt(parseInt(v, 10)) * unit : acc;
          }, 0n);
        assert.equal(got.get('count/pods')!.value(), BigInt(pods.length));
        assert.equal(got.get('pods')!.value(), BigInt(live.length));
        assert.equal(got.get('requests.cpu')!.milliValue(), sum((c) => c.resources.requests.cpu, 1n));
        assert.equal(got.get('limits.memory')!.value(), sum((c) => c.resources.limits.memory, 1n << 20n));
        assert.deepEqual(parseResourceList(formatResourceList(got)).size, got.size);
      }),
    );
  });
});
