/**
 * The JSON rules, case by case, on hand-built bodies: Go's encoding/json for the struct gogo decodes (pointer zeros
 * kept, omitempty zeros dropped, absent non-omitempty fields as zero values, structs never omitted, inline structs
 * merged) and gogo's merge rules (last scalar wins, repeated appends, messages merge, packed or not).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobufBody } from '../../../../src/api/protobuf';
import { bytes, double, entry, envelope, int, key, meta, msg, str, varint } from './encoder';

const obj = (body: Buffer): Record<string, unknown> => decodeProtobufBody(body).object;

describe('protobuf → JSON as a Go JSON client would send it', () => {
  it('an empty Pod is Go zero-value JSON', () => {
    assert.deepStrictEqual(obj(envelope('v1', 'Pod')), {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { creationTimestamp: null },
      spec: { containers: null },
      status: {},
    });
  });

  it('drops omitempty zeros gogo sends, keeps pointer zeros and non-omitempty zeros', () => {
    const container = msg(2, str(1, 'c'), msg(6, int(3, 0)), msg(8)); // ports[0].containerPort = 0; resources {}
    const spec = msg(2, container, int(11, false), int(4, 0), int(25, 0), str(3, ''));
    assert.deepStrictEqual(obj(envelope('v1', 'Pod', meta('p'), spec)).spec, {
      containers: [{ name: 'c', ports: [{ containerPort: 0 }], resources: {} }],
      terminationGracePeriodSeconds: 0,
      priority: 0,
    });
  });

  it('merges repeated occurrences the way gogo does', () => {
    const body = envelope('v1', 'Pod', meta('a', entry(11, 'k', str(2, 'v1'))), meta('b', entry(11, 'k', str(2, 'v2')), entry(11, 'j')), msg(2, msg(2, str(1, 'x'))), msg(2, msg(2, str(1, 'y')), str(3, 'Never')));
    const o = obj(body) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    assert.equal(o.metadata.name, 'b');
    assert.deepStrictEqual(o.metadata.labels, { k: 'v2', j: '' });
    assert.deepStrictEqual(o.spec.containers, [{ name: 'x', resources: {} }, { name: 'y', resources: {} }]);
    assert.equal(o.spec.restartPolicy, 'Never');
  });

  it('reads repeated numbers packed and unpacked, and negative varints', () => {
    const psc = msg(14, int(4, 1), bytes(4, Buffer.concat([varint(2), varint(-3)])), int(4, 4));
    const o = obj(envelope('v1', 'Pod', msg(2, psc))) as { spec: { securityContext: unknown } };
    assert.deepStrictEqual(o.spec.securityContext, { supplementalGroups: [1, 2, -3, 4] });
    const pc = obj(envelope('scheduling.k8s.io/v1', 'PriorityClass', meta('low'), int(2, -5)));
    assert.equal(pc.value, -5);
    const empty = obj(envelope('v1', 'Pod', msg(2, msg(14, bytes(4, Buffer.alloc(0)))))) as { spec: { securityContext: unknown } };
    assert.deepStrictEqual(empty.spec.securityContext, {}); // an empty packed list leaves the slice nil
  });

  it('zero-fills map values that are missing from an entry', () => {
    const quota = obj(envelope('v1', 'ResourceQuota', meta('q'), msg(2, entry(1, 'pods'), entry(1, 'cpu', msg(2, str(1, '1000m'))))));
    assert.deepStrictEqual(quota.spec, { hard: { pods: '0', cpu: '1' } });
  });

  it('writes bytes as base64 and keeps odd keys as own properties', () => {
    const secret = obj(envelope('v1', 'Secret', meta('s'), entry(2, 'a', bytes(2, Buffer.from([0xff, 0, 1]))), entry(2, '__proto__', bytes(2, 'x')), entry(2, 'e')));
    const data = secret.data as Record<string, unknown>;
    assert.equal(data.a, '/wAB');
    assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'eA==');
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(data.e, ''); // gogo starts a map's []byte value as []byte{}
  });

  it('IntOrString: the number or the string; a struct, so never omitted', () => {
    const ports = [msg(1, int(3, 80)), msg(1, int(3, 81), msg(4, int(1, 1), str(3, 'http'))), msg(1, int(3, 82), msg(4, int(2, 8082)))];
    const svc = obj(envelope('v1', 'Service', meta('s'), msg(2, ...ports))) as { spec: { ports: unknown } };
    assert.deepStrictEqual(svc.spec.ports, [
      { port: 80, targetPort: 0 },
      { port: 81, targetPort: 'http' },
      { port: 82, targetPort: 8082 },
    ]);
  });

  it('metav1.Time and MicroTime: RFC3339 seconds / micros in UTC; zero or empty → null', () => {
    const ts = (s: number, n = 0) => [int(1, s), int(2, n)];
    const lease = obj(envelope('coordination.k8s.io/v1', 'Lease', meta('l', msg(8, ...ts(1_700_000_000, 999_999_999)), msg(9)), msg(2, msg(4, ...ts(1_700_000_000, 123_456_789)), msg(3))));
    assert.deepStrictEqual(lease.metadata, { name: 'l', creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: null });
    assert.deepStrictEqual(lease.spec, { acquireTime: null, renewTime: '2023-11-14T22:13:20.123456Z' });
    const zero = obj(envelope('v1', 'Pod', meta('p', msg(8, ...ts(-62_135_596_800)))));
    assert.equal((zero.metadata as Record<string, unknown>).creationTimestamp, null);
  });

  it('merges inline structs into their parent (Volume, Probe)', () => {
    const probe = msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, int(2, 8080)))), int(2, 0), int(4, 5));
    const spec = msg(2, msg(1, str(1, 'v'), msg(2, msg(2))), msg(2, str(1, 'c'), probe));
    const pod = obj(envelope('v1', 'Pod', meta('p'), spec)) as { spec: Record<string, unknown> };
    assert.deepStrictEqual(pod.spec.volumes, [{ name: 'v', emptyDir: {} }]);
    assert.deepStrictEqual((pod.spec.containers as Record<string, unknown>[])[0].livenessProbe, { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 });
  });

  it('Eviction and DeleteOptions as kubectl drain sends them', () => {
    const eviction = envelope('policy/v1', 'Eviction', meta('p1', str(3, 'default')), msg(2, int(1, 5)));
    // The JSON kubectl 1.32 drain actually sent for --grace-period=5 (it talks JSON to the eviction subresource).
    assert.deepStrictEqual(obj(eviction), { kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'p1', namespace: 'default', creationTimestamp: null }, deleteOptions: { gracePeriodSeconds: 5 } });
    const del = obj(envelope('apps/v1', 'DeleteOptions', int(1, -1), str(4, 'Foreground'), str(5, 'All')));
    assert.deepStrictEqual(del, { kind: 'DeleteOptions', apiVersion: 'apps/v1', gracePeriodSeconds: -1, propagationPolicy: 'Foreground', dryRun: ['All'] });
  });

  it('Scale and HorizontalPodAutoscaler', () => {
    assert.deepStrictEqual(obj(envelope('autoscaling/v1', 'Scale', meta('web'), msg(2, int(1, 3)))), {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', creationTimestamp: null },
      spec: { replicas: 3 },
      status: { replicas: 0 },
    });
    const target = msg(2, str(1, 'Utilization'), int(4, 80));
    const hpa = obj(envelope('autoscaling/v2', 'HorizontalPodAutoscaler', meta('h'), msg(2, msg(1, str(1, 'Deployment'), str(2, 'web')), int(3, 5), msg(4, str(1, 'Resource'), msg(4, str(1, 'cpu'), target)))));
    assert.deepStrictEqual(hpa.spec, {
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const junk = Buffer.concat([int(99, 7), bytes(98, 'zz'), key(97, 1), Buffer.alloc(8), key(96, 5), Buffer.alloc(4), key(95, 3), int(1, 1), key(95, 4)]);
    assert.deepStrictEqual(obj(envelope('v1', 'Namespace', junk, meta('ns', junk))), { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'ns', creationTimestamp: null }, spec: {}, status: {} });
  });

  it('CustomResourceDefinition schemas: JSON values, schema-or-array/bool/string-array', () => {
    const prop = (name: string, ...schema: Buffer[]) => entry(29, name, msg(2, ...schema));
    const schema = msg(
      1,
      str(5, 'object'),
      prop('size', str(5, 'integer'), double(11, 1), msg(8, bytes(1, '3'))),
      prop('tags', str(5, 'array'), msg(24, msg(1, str(5, 'string')))),
      prop('spec', str(5, 'object'), msg(30, int(1, false)), entry(32, 'a', msg(2, str(2, 'b')))),
      prop('free', msg(30, int(1, true)), msg(20, bytes(1, '"x"')), msg(20, bytes(1, '2'))),
      msg(44, str(1, 'self.size > 0'), str(4, 'FieldValueInvalid')),
      str(3, '#/ref'),
    );
    const version = msg(7, str(1, 'v1'), int(2, true), int(3, true), msg(4, schema));
    const crd = obj(envelope('apiextensions.k8s.io/v1', 'CustomResourceDefinition', meta('ws.example.com'), msg(2, str(1, 'example.com'), msg(3, str(1, 'ws'), str(4, 'W')), str(4, 'Namespaced'), version)));
    assert.deepStrictEqual(crd.spec, {
      group: 'example.com',
      names: { plural: 'ws', kind: 'W' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              $ref: '#/ref',
              type: 'object',
              properties: {
                size: { type: 'integer', default: 3, minimum: 1 },
                tags: { type: 'array', items: { type: 'string' } },
                spec: { type: 'object', additionalProperties: false, dependencies: { a: ['b'] } },
                free: { enum: ['x', 2], additionalProperties: true },
              },
              'x-kubernetes-validations': [{ rule: 'self.size > 0', reason: 'FieldValueInvalid' }],
            },
          },
        },
      ],
    });
    assert.deepStrictEqual(crd.status, { conditions: null, acceptedNames: { plural: '', kind: '' }, storedVersions: null });
  });
});
