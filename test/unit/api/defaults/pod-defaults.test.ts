/** Pod defaulting: the imagePullPolicy table, PodSpec/container/volume/probe defaults, request copying, and idempotency (fast-check). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { defaultObject, defaultPullPolicy } from '../../../../src/api/defaults';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const POD = { group: '', version: 'v1', kind: 'Pod' };
const defaulted = (o: Any): Any => {
  defaultObject(POD, o);
  return o;
};
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('imagePullPolicy default', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['registry.example.com:443/team/app', 'Always'],
    [`repo/app@${DIGEST}`, 'IfNotPresent'],
    [`repo/app:latest@${DIGEST}`, 'Always'],
    ['Upper/Case', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) it(`${JSON.stringify(image)} → ${want}`, () => assert.equal(defaultPullPolicy(image), want));
});

describe('Pod defaults', () => {
  it('fills the PodSpec and container defaults upstream applies', () => {
    const p = defaulted({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] } });
    assert.deepEqual(p.spec, {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: {},
        },
      ],
      enableServiceLinks: true,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
    });
  });

  it('copies limits into missing requests and writes quantities canonically', () => {
    const p = defaulted({ spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1000m', memory: '1.5Gi' }, requests: { cpu: '0.25' } } }] } });
    assert.deepEqual(p.spec.containers[0].resources, { limits: { cpu: '1', memory: '1536Mi' }, requests: { cpu: '250m', memory: '1536Mi' } });
  });

  it('writes the status conditions’ zero times as null (upstream’s typed encoding), copying frozen parts', () => {
    const t = '2026-11-29T00:00:00Z';
    const p = defaulted({ spec: { containers: [{ name: 'c', image: 'x' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True', lastProbeTime: t, lastTransitionTime: t }] } });
    assert.deepEqual(p.status.conditions, [
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null },
      { type: 'PodScheduled', status: 'True', lastProbeTime: t, lastTransitionTime: t },
    ]);
    const kept = Object.freeze({ type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t });
    const bare = Object.freeze({ type: 'Ready', status: 'False' });
    const frozen = defaulted({ spec: { containers: [{ name: 'c', image: 'x' }] }, status: { conditions: Object.freeze([kept, bare]) } });
    assert.equal(frozen.status.conditions[0], kept, 'a complete condition is left as it is');
    assert.deepEqual(frozen.status.conditions[1], { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: null });
    assert.deepEqual(bare, { type: 'Ready', status: 'False' }, 'the frozen original is not changed');
    const status = Object.freeze({ conditions: [{ type: 'Ready', status: 'True' }] });
    assert.deepEqual(defaulted({ spec: { containers: [] }, status }).status.conditions, [{ type: 'Ready', status: 'True' }], 'a frozen status is left');
  });

  it('keeps explicit values', () => {
    const p = defaulted({ spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }] } });
    assert.equal(p.spec.restartPolicy, 'Never');
    assert.equal(p.spec.terminationGracePeriodSeconds, 0);
    assert.equal(p.spec.containers[0].imagePullPolicy, 'Never');
  });

  it('probes, handlers, downward API and volume sources', () => {
    const p = defaulted({
      spec: {
        hostNetwork: true,
        containers: [
          {
            name: 'c',
            image: 'x:1',
            ports: [{ containerPort: 8080 }],
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { grpc: { port: 9000 }, periodSeconds: 3 },
            env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }],
          },
        ],
        volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'host', hostPath: { path: '/x' } }, { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }],
      },
    });
    const c = p.spec.containers[0];
    assert.deepEqual(c.livenessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c.readinessProbe, { grpc: { port: 9000, service: '' }, periodSeconds: 3, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c.env[0].valueFrom.fieldRef, { fieldPath: 'spec.nodeName', apiVersion: 'v1' });
    assert.deepEqual(c.env[1].valueFrom.resourceFieldRef, { resource: 'limits.cpu', divisor: '0' });
    assert.deepEqual(c.ports[0], { containerPort: 8080, hostPort: 8080, protocol: 'TCP' });
    assert.deepEqual(p.spec.volumes, [
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
      { name: 'host', hostPath: { path: '/x', type: '' } },
      { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }], defaultMode: 420 } },
    ]);
  });

  it('is idempotent', () => {
    const container = fc.record(
      {
        name: fc.constantFrom('a', 'b'),
        image: fc.constantFrom('nginx', 'nginx:1', 'busybox:latest'),
        imagePullPolicy: fc.constantFrom('Always', 'Never'),
        ports: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 }),
        resources: fc.record({ limits: fc.record({ cpu: fc.constantFrom('1', '500m', '0.1'), memory: fc.constantFrom('1Gi', '128974848') }) }),
      },
      { requiredKeys: ['name', 'image'] },
    );
    const spec = fc.record({ containers: fc.array(container, { minLength: 1, maxLength: 3 }), hostNetwork: fc.boolean(), restartPolicy: fc.constantFrom('Always', 'Never') }, { requiredKeys: ['containers'] });
    fc.assert(
      fc.property(spec, (s) => {
        const once = defaulted({ spec: structuredClone(s) });
        const twice = defaulted(structuredClone(once));
        assert.deepEqual(twice, once);
      }),
    );
  });
});
