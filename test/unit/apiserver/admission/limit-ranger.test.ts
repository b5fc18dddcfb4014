/** LimitRanger: defaults and the annotation, Container/Pod/PersistentVolumeClaim min/max/ratio with upstream's wording. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLimitRangerPlugin, LIMIT_RANGER_ANNOTATION } from '../../../../src/apiserver/admission/limit-ranger';
import { runAdmission } from '../../../../src/apiserver/admission/chain';
import { attributes, context, FakeCluster, pod, rejection } from './fake-cluster';

type Item = Record<string, unknown>;

function clusterWith(...limits: Item[][]): FakeCluster {
  const c = new FakeCluster();
  limits.forEach((items, i) => c.add('limitranges', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: `lr${i}`, namespace: 'default' }, spec: { limits: items } }));
  return c;
}

async function admitPod(c: FakeCluster, p: Item) {
  const plugin = createLimitRangerPlugin();
  const attrs = attributes('CREATE', '', 'pods', p);
  await runAdmission({ mutating: [plugin], validating: [plugin] }, attrs, context(c), () => {});
  return attrs.object as unknown as { metadata: { annotations?: Record<string, string> }; spec: { containers: { resources?: Item }[]; initContainers?: { resources?: Item }[] } };
}

describe('LimitRanger defaults', () => {
  it("the article's example: a default memory limit of 512Mi gives every new pod a 512Mi memory limit", async () => {
    const c = clusterWith([{ type: 'Container', default: { memory: '512Mi' } }]);
    const out = await admitPod(c, pod('web'));
    assert.deepEqual(out.spec.containers[0].resources, { limits: { memory: '512Mi' }, requests: { memory: '512Mi' } });
    assert.equal(out.metadata.annotations?.[LIMIT_RANGER_ANNOTATION], 'LimitRanger plugin set: memory request for container web; memory limit for container web');
  });

  const cases: { name: string; items: Item[]; containers: Parameters<typeof pod>[1]; want: Item; note?: string }[] = [
    {
      name: 'default and defaultRequest for cpu and memory',
      items: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }],
      containers: { app: {} },
      want: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      note: 'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app',
    },
    {
      name: 'only missing keys are filled',
      items: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }],
      containers: { app: { requests: { cpu: '200m' }, limits: { cpu: '1' } } },
      want: { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '200m', memory: '128Mi' } },
      note: 'LimitRanger plugin set: memory request for container app; memory limit for container app',
    },
    {
      name: 'a limit given alone keeps its defaulted request (API defaulting copies it before admission)',
      items: [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }],
      containers: { app: { limits: { memory: '1Gi' } } },
      want: { limits: { memory: '1Gi' }, requests: { memory: '1Gi' } },
    },
    {
      name: 'min defaults the request (LimitRange defaulting)',
      items: [{ type: 'Container', min: { cpu: '50m' } }],
      containers: { app: {} },
      want: { requests: { cpu: '50m' } },
      note: 'LimitRanger plugin set: cpu request for container app',
    },
  ];
  for (const tc of cases)
    it(tc.name, async () => {
      const out = await admitPod(clusterWith(tc.items), pod('p', tc.containers));
      assert.deepEqual(out.spec.containers[0].resources, tc.want);
      assert.equal(out.metadata.annotations?.[LIMIT_RANGER_ANNOTATION], tc.note);
    });

  it('init containers are defaulted and named as such', async () => {
    const c = clusterWith([{ type: 'Container', default: { memory: '64Mi' } }]);
    const p = pod('p', { web: { limits: { memory: '128Mi' } } }, { spec: { initContainers: [{ name: 'setup', image: 'busybox' }] } });
    const out = await admitPod(c, p);
    assert.deepEqual(out.spec.initContainers?.[0].resources, { limits: { memory: '64Mi' }, requests: { memory: '64Mi' } });
    assert.equal(out.metadata.annotations?.[LIMIT_RANGER_ANNOTATION], 'LimitRanger plugin set: memory request for init container setup; memory limit for init container setup');
  });

  it('does nothing without LimitRanges, on pod updates, and on subresources', async () => {
    const plugin = createLimitRangerPlugin();
    const out = await admitPod(new FakeCluster(), pod('p'));
    assert.deepEqual(out.spec.containers[0].resources, {});
    assert.equal(out.metadata.annotations, undefined);
    assert.equal(plugin.handles(attributes('UPDATE', '', 'pods', pod('p'), { oldObject: pod('p') })), false);
    assert.equal(plugin.handles(attributes('CREATE', '', 'pods', pod('p'), { subresource: 'binding' })), false);
    assert.equal(plugin.handles(attributes('CREATE', '', 'pods', pod('p'))), true);
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'default' }, spec: {} };
    const dying = { ...claim, metadata: { ...claim.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    assert.equal(plugin.handles(attributes('UPDATE', '', 'persistentvolumeclaims', claim, { oldObject: claim })), true);
    assert.equal(plugin.handles(attributes('UPDATE', '', 'persistentvolumeclaims', claim, { oldObject: dying })), false);
  });
});

describe('LimitRanger validation (403 with upstream wording)', () => {
  const cases: { name: string; items: Item[]; containers: Parameters<typeof pod>[1]; extra?: Item; want: string }[] = [
    {
      name: 'container max on limit',
      items: [{ type: 'Container', max: { memory: '1Gi' } }],
      containers: { web: { limits: { memory: '2Gi' } } },
      want: 'pods "p" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    },
    {
      name: 'several violations aggregate in brackets',
      items: [{ type: 'Container', max: { memory: '1Gi', cpu: '1' } }],
      containers: { web: { limits: { memory: '2Gi', cpu: '2' } } },
      want: 'pods "p" is forbidden: [maximum memory usage per Container is 1Gi, but limit is 2Gi, maximum cpu usage per Container is 1, but limit is 2]',
    },
    {
      name: 'container min on request',
      items: [{ type: 'Container', min: { cpu: '100m' } }],
      containers: { web: { requests: { cpu: '50m' } } },
      want: 'pods "p" is forbidden: minimum cpu usage per Container is 100m, but request is 50m',
    },
    {
      name: 'container min on limit',
      items: [{ type: 'Container', min: { cpu: '100m' } }],
      containers: { web: { requests: { cpu: '200m' }, limits: { cpu: '50m' } } },
      want: 'pods "p" is forbidden: minimum cpu usage per Container is 100m, but limit is 50m',
    },
    {
      name: 'max request above max',
      items: [{ type: 'Container', max: { cpu: '1' }, default: { cpu: '1' } }],
      containers: { web: { requests: { cpu: '2' } } },
      want: 'pods "p" is forbidden: maximum cpu usage per Container is 1, but request is 2',
    },
    {
      name: 'maxLimitRequestRatio',
      items: [{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }],
      containers: { web: { requests: { memory: '100Mi' }, limits: { memory: '300Mi' } } },
      want: 'pods "p" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 3.000000',
    },
    {
      name: 'maxLimitRequestRatio without a limit',
      items: [{ type: 'Container', maxLimitRequestRatio: { cpu: '4' } }],
      containers: { web: { requests: { cpu: '100m' } } },
      want: 'pods "p" is forbidden: cpu max limit to request ratio per Container is 4, but no limit is specified or limit is 0',
    },
    {
      name: 'Pod max over the sum of containers',
      items: [{ type: 'Pod', max: { memory: '1Gi' } }],
      containers: { a: { limits: { memory: '768Mi' } }, b: { limits: { memory: '512Mi' } } },
      want: 'pods "p" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1280Mi',
    },
    {
      name: 'Pod max on requests: only containers with limits add to the pod limit',
      items: [{ type: 'Pod', max: { cpu: '2' } }],
      containers: { a: { limits: { cpu: '1' } }, b: { requests: { cpu: '2' } } },
      want: 'pods "p" is forbidden: maximum cpu usage per Pod is 2, but request is 3',
    },
    {
      name: 'Pod min: a large init container raises the pod request',
      items: [{ type: 'Pod', min: { cpu: '3' } }],
      containers: { a: { requests: { cpu: '1' } } },
      extra: { spec: { initContainers: [{ name: 'init', image: 'busybox', resources: { requests: { cpu: '2' } } }] } },
      want: 'pods "p" is forbidden: minimum cpu usage per Pod is 3, but request is 2',
    },
  ];
  for (const tc of cases)
    it(tc.name, async () => {
      const err = await rejection(() => admitPod(clusterWith(tc.items), pod('p', tc.containers, tc.extra)));
      assert.equal(err.code, 403);
      assert.equal(err.reason, 'Forbidden');
      assert.equal(err.message, tc.want);
    });

  it('pods within limits pass; the name falls back to generateName', async () => {
    await admitPod(clusterWith([{ type: 'Container', max: { memory: '1Gi' }, min: { memory: '64Mi' } }]), pod('ok', { web: { limits: { memory: '512Mi' } } }));
    const p = pod('', { web: { limits: { memory: '2Gi' } } }, { metadata: { generateName: 'web-' } });
    const err = await rejection(() => admitPod(clusterWith([{ type: 'Container', max: { memory: '1Gi' } }]), p));
    assert.equal(err.message, 'pods "web-" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi');
  });

  it('the second LimitRange is checked too', async () => {
    const c = clusterWith([{ type: 'Container', max: { cpu: '4' } }], [{ type: 'Container', max: { memory: '1Gi' } }]);
    const err = await rejection(() => admitPod(c, pod('p', { web: { limits: { memory: '2Gi', cpu: '1' } } })));
    assert.equal(err.message, 'pods "p" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi');
  });
});

describe('LimitRanger on PersistentVolumeClaims', () => {
  const claim = (storage?: string) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: storage ? { requests: { storage } } : {} },
  });
  const lr = [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }];
  const cases: [string, string | undefined, string | undefined][] = [
    ['within bounds', '5Gi', undefined],
    ['below min', '500Mi', 'persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi'],
    ['above max', '20Gi', 'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi'],
    [
      'no request',
      undefined,
      'persistentvolumeclaims "data" is forbidden: [minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified, maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified]',
    ],
  ];
  for (const [name, storage, want] of cases)
    it(name, async () => {
      const plugin = createLimitRangerPlugin();
      for (const op of ['CREATE', 'UPDATE'] as const) {
        const attrs = attributes(op, '', 'persistentvolumeclaims', claim(storage), op === 'UPDATE' ? { oldObject: claim('1Gi') } : {});
        assert.equal(plugin.handles(attrs), true);
        const run = () => plugin.validate(attrs, context(clusterWith(lr)));
        if (want) assert.equal((await rejection(run)).message, want);
        else await run();
      }
    });
});
