import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { crdDefinitions } from '../../../../src/api/openapi/crd-definitions';
import { cannotBeHandledMessage, decodeErrorMessage, strictDecodingMessage } from '../../../../src/api/openapi/decode-errors';
import { createFieldValidator, pruneUnknown, validateFields } from '../../../../src/api/openapi/field-validator';
import { schemaResolver } from '../../../../src/api/openapi/resolver';
import type { Schema } from '../../../../src/api/openapi/schema-types';

const validator = createFieldValidator(schemaResolver());
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

const deployment = (spec: unknown, metadata: unknown = { name: 'web' }): Record<string, unknown> => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec });
const podSpec = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }, { name: 'side', ...container }], ...extra } },
});

const typicalPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'x' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true }] },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.1, memory: '64Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
      },
    ],
    volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }], startTime: '2024-01-01T00:00:00Z' },
};

describe('field validation of built-in kinds (Go strict decoding)', () => {
  it('accepts a typical Pod and Deployment', () => {
    assert.deepEqual(validator.validate(POD, typicalPod), { unknownFields: [], errors: [] });
    assert.deepEqual(validator.validate(DEPLOY, deployment(podSpec({ image: 'busybox' }))), { unknownFields: [], errors: [] });
  });

  it('reports unknown fields with upstream paths (nested lists, maps, metadata), in document order', () => {
    const cases: [unknown, string[]][] = [
      [deployment({ replicaz: 3 }), ['spec.replicaz']],
      [deployment(podSpec({ imagez: 'x' })), ['spec.template.spec.containers[1].imagez']],
      [deployment(podSpec({ ports: [{ containerPort: 80 }, { containerPort: 81, hostname: 'h' }] })), ['spec.template.spec.containers[1].ports[1].hostname']],
      [deployment(podSpec({}, { volumes: [{ name: 'v', emptyDir: { medium: '', sizeLimt: '1Gi' } }] })), ['spec.template.spec.volumes[0].emptyDir.sizeLimt']],
      [deployment({ template: { metadata: { labelz: {} } } }, { name: 'x', spec: {} }), ['metadata.spec', 'spec.template.metadata.labelz']],
      [deployment({ selector: { matchLabels: { a: 'b' }, matchLabel: {} } }), ['spec.selector.matchLabel']],
      [{ ...deployment({}), extra: 1, status: { replica: 1 } }, ['extra', 'status.replica']],
    ];
    for (const [obj, unknown] of cases) {
      const r = validator.validate(DEPLOY, obj);
      assert.deepEqual(r.unknownFields, unknown);
      assert.deepEqual(r.errors, []);
    }
  });

  it('walks into maps of structs with `.key` paths and leaves RawExtension, JSON and FieldsV1 alone', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'foos.example.com', managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { anything: 1 } } }] },
      spec: {
        group: 'example.com',
        names: { plural: 'foos', kind: 'Foo' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { spec: { type: 'object', default: { free: ['form'] }, propertiez: {} } } } },
          },
        ],
      },
    };
    const r = validator.validate({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }, crd);
    assert.deepEqual(r.unknownFields, ['spec.versions[0].schema.openAPIV3Schema.properties.spec.propertiez']);
    const rev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { whatever: { nested: true } } };
    assert.deepEqual(validator.validate({ group: 'apps', version: 'v1', kind: 'ControllerRevision' }, rev).unknownFields, []);
  });

  it('reports wrong JSON types as Go decode errors (errors[0] is what upstream returns)', () => {
    const cases: [unknown, string, string][] = [
      [deployment({ replicas: 'three' }), 'spec.replicas', 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
      [deployment({ replicas: 1.5 }), 'spec.replicas', 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
      [deployment({ replicas: 3000000000 }), 'spec.replicas', 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32'],
      [deployment({ paused: 'yes' }), 'spec.paused', 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool'],
      [deployment([]), 'spec', 'json: cannot unmarshal array into Go struct field Deployment.spec of type v1.DeploymentSpec'],
      [deployment({}, 'web'), 'metadata', 'json: cannot unmarshal string into Go struct field Deployment.metadata of type v1.ObjectMeta'],
      [deployment({}, { name: 'x', labels: { a: 1 } }), 'metadata.labels.a', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
      [deployment({}, { name: 'x', finalizers: 'f' }), 'metadata.finalizers', 'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string'],
      [deployment(podSpec({ image: 5 })), 'spec.template.spec.containers[1].image', 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string'],
      [deployment(podSpec({ ports: [{ containerPort: '80' }] })), 'spec.template.spec.containers[1].ports[0].containerPort', 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32'],
      [deployment({ template: { spec: { containers: ['web'] } } }), 'spec.template.spec.containers[0]', 'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container'],
      [deployment({ template: { spec: { containers: { name: 'web' } } } }), 'spec.template.spec.containers', 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'],
      [deployment({ strategy: { rollingUpdate: { maxSurge: true } } }), 'spec.strategy.rollingUpdate.maxSurge', 'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32'],
      [deployment({ template: { spec: { terminationGracePeriodSeconds: 'x' } } }), 'spec.template.spec.terminationGracePeriodSeconds', 'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64'],
      [deployment(podSpec({ resources: { limits: 'x' } })), 'spec.template.spec.containers[1].resources.limits', 'json: cannot unmarshal string into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList'],
      [deployment({}, { name: 'x', creationTimestamp: 5 }), 'metadata.creationTimestamp', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string'],
      [deployment(podSpec({ resources: { limits: { cpu: 'lots' } } })), 'spec.template.spec.containers[1].resources.limits.cpu', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
      [deployment(podSpec({ resources: { limits: { cpu: true } } })), 'spec.template.spec.containers[1].resources.limits.cpu', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ];
    for (const [obj, field, detail] of cases) {
      const r = validator.validate(DEPLOY, obj);
      assert.equal(r.errors.length, 1, detail);
      assert.equal(r.errors[0].type, 'FieldValueTypeInvalid');
      assert.equal(r.errors[0].field, field);
      assert.equal(r.errors[0].detail, detail);
      assert.equal(r.decodeError, detail);
    }
  });

  it('accepts what the Go decoder accepts: null anywhere, IntOrString as int or string, quantities as numbers', () => {
    const ok = deployment({ replicas: null, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 2, memory: '1Gi' } } }] } } });
    assert.deepEqual(validator.validate(DEPLOY, ok), { unknownFields: [], errors: [] });
  });

  it('checks base64 in []byte fields as Go does', () => {
    const secret = (data: Record<string, string>): unknown => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    const SECRET = { group: '', version: 'v1', kind: 'Secret' };
    const cases: [string, string | undefined][] = [
      ['YWJj', undefined],
      ['YWI=', undefined],
      ['YQ==', undefined],
      ['YWJj\nZGVm', undefined],
      ['abc$', 'illegal base64 data at input byte 3'],
      ['abc', 'illegal base64 data at input byte 0'],
      ['YWJjZA', 'illegal base64 data at input byte 4'],
      ['Y===', 'illegal base64 data at input byte 1'],
      ['YQ=', 'illegal base64 data at input byte 3'],
      ['YQ==YQ==', 'illegal base64 data at input byte 4'],
    ];
    for (const [value, err] of cases) assert.equal(validator.validate(SECRET, secret({ k: value })).errors[0]?.detail, err, value);
  });

  it('builds the BadRequest messages kube-apiserver sends', () => {
    assert.equal(
      decodeErrorMessage(DEPLOY, validator.validate(DEPLOY, deployment({ replicaz: 1, template: { spec: { containers: [{ namez: 'x' }] } } }))),
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz", unknown field "spec.template.spec.containers[0].namez"',
    );
    assert.equal(
      decodeErrorMessage(DEPLOY, validator.validate(DEPLOY, deployment({ replicaz: 1, replicas: '1' }))),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    assert.equal(decodeErrorMessage(DEPLOY, validator.validate(DEPLOY, deployment({ replicaz: 1 })), false), undefined);
    assert.equal(decodeErrorMessage(DEPLOY, validator.validate(DEPLOY, deployment({}))), undefined);
    assert.equal(strictDecodingMessage(['a']), 'strict decoding error: unknown field "a"');
    assert.equal(cannotBeHandledMessage({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, 'x'), 'CronTab in version "v1" cannot be handled as a CronTab: x');
  });

  it('knows nothing about unknown kinds', () => {
    assert.deepEqual(validator.validate({ group: 'nope', version: 'v1', kind: 'Nope' }, { a: 1 }), { unknownFields: [], errors: [] });
  });

  it('costs well under 0.1 ms for a typical Pod', () => {
    for (let i = 0; i < 500; i++) validator.validate(POD, typicalPod);
    const n = 5000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) validator.validate(POD, typicalPod);
    const perPodMs = Number(process.hrtime.bigint() - start) / 1e6 / n;
    assert.ok(perPodMs < 0.1, `validation took ${perPodMs} ms per Pod`);
  });

  it('finds any single misspelled field added anywhere in a valid Pod (property)', () => {
    const paths: string[][] = [];
    const collect = (v: unknown, at: string[]): void => {
      if (Array.isArray(v)) v.forEach((x, i) => collect(x, [...at, `[${i}]`]));
      else if (v && typeof v === 'object') {
        const parent = at.join('.');
        if (!/labels|annotations|limits|requests$/.test(parent)) paths.push(at);
        for (const [k, c] of Object.entries(v)) collect(c, [...at, k]);
      }
    };
    collect(typicalPod, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.stringMatching(/^zz[a-z]{1,6}$/), (at, key) => {
        const pod = structuredClone(typicalPod) as Record<string, unknown>;
        let target: Record<string, unknown> = pod;
        for (const seg of at) target = (seg.startsWith('[') ? (target as unknown as unknown[])[Number(seg.slice(1, -1))] : target[seg]) as Record<string, unknown>;
        target[key] = 1;
        const expected = [...at, key].join('.').replace(/\.\[/g, '[');
        assert.deepEqual(validator.validate(POD, pod).unknownFields, [expected]);
      }),
    );
  });
});

const CRONTAB: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        cronSpec: { type: 'string' },
        replicas: { type: 'integer' },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        labels: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        opaque: { type: 'object' },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

describe('custom resources (structural pruning)', () => {
  const GVK = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
  const resolver = schemaResolver(crdDefinitions('stable.example.com', 'v1', { CronTab: CRONTAB }));
  const crValidator = createFieldValidator(resolver);
  const cr = (spec: unknown, metadata: unknown = { name: 'c' }): Record<string, unknown> => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata, spec });

  it('reports what pruning would drop, sorted, and no type errors', () => {
    const obj = cr({
      cronSpec: 5,
      replicaz: 1,
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labelz: 1 }, spec: { x: 'a', y: 'b' } },
      free: { anything: { deep: 1 }, known: { a: 'x', b: 'y' } },
      labels: { k: { v: 'x', w: 'y' } },
      items: [{ name: 'a' }, { name: 'b', nam: 'c' }],
      port: { weird: true },
      opaque: { gone: 1 },
    }, { name: 'c', labelz: {} });
    const r = crValidator.validate(GVK, obj);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.unknownFields, [
      'metadata.labelz',
      'spec.free.known.b',
      'spec.items[1].nam',
      'spec.labels.k.w',
      'spec.opaque.gone',
      'spec.replicaz',
      'spec.template.metadata.labelz',
      'spec.template.spec.y',
    ]);
  });

  it('pruneUnknown removes exactly those fields and reports them', () => {
    const obj = cr({ replicaz: 1, items: [{ name: 'a', nam: 'b' }], free: { x: 1 } }, { name: 'c', labelz: {} });
    const into: string[] = [];
    const pruned = pruneUnknown(CRONTAB, obj, into);
    assert.deepEqual(pruned, ['metadata.labelz', 'spec.replicaz', 'spec.items[0].nam']);
    assert.deepEqual(into, pruned);
    assert.deepEqual(obj, cr({ items: [{ name: 'a' }], free: { x: 1 } }, { name: 'c' }));
  });

  it('keeps everything under a root that preserves unknown fields, except unknown metadata', () => {
    const schema: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    assert.deepEqual(validateFields(schema, cr({ a: { b: 1 } }, { name: 'c', x: 1 })).unknownFields, ['metadata.x']);
  });

  it('after pruning nothing is unknown, and pruning again removes nothing (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('cronSpec', 'replicas', 'free', 'labels', 'items', 'opaque', 'junk', 'template'), fc.jsonValue()), (spec) => {
        const obj = cr(spec);
        pruneUnknown(CRONTAB, obj);
        assert.deepEqual(validateFields(CRONTAB, obj).unknownFields, []);
        assert.deepEqual(pruneUnknown(CRONTAB, obj), []);
      }),
    );
  });
});
