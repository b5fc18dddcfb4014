import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { DEFINITIONS_FILE, generateDefinitions, serializeDefinitions } from '../../../../.ci/gen-openapi';
import { definitions, isBuiltinDefinition, refName } from '../../../../src/api/openapi/definitions';
import type { Schema } from '../../../../src/api/openapi/schema-types';

const defs = definitions();
const def = (name: string): Schema => {
  const d = defs[name];
  assert.ok(d, `missing definition ${name}`);
  return d;
};
const prop = (name: string, field: string): Schema => {
  const p = def(name).properties?.[field];
  assert.ok(p, `missing ${name}.${field}`);
  return p;
};
const core = (t: string): string => `io.k8s.api.core.v1.${t}`;
const meta = (t: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${t}`;

describe('generated definitions', () => {
  it('the checked-in definitions.json is exactly what the generator produces now', () => {
    const fresh = serializeDefinitions(generateDefinitions());
    const checkedIn = fs.readFileSync(DEFINITIONS_FILE, 'utf8');
    assert.ok(fresh === checkedIn, 'definitions.json is stale: run `npx tsx .ci/gen-openapi.ts` and commit the result');
  });

  it('is compact: one definition per line, no indentation', () => {
    const text = fs.readFileSync(DEFINITIONS_FILE, 'utf8');
    assert.equal(text.split('\n').length, Object.keys(defs).length + 3);
    assert.ok(!text.includes('\n '));
  });

  it('every $ref names an existing definition', () => {
    const missing: string[] = [];
    const visit = (v: unknown, at: string): void => {
      if (Array.isArray(v)) v.forEach((x) => visit(x, at));
      else if (v && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) {
          if (k === '$ref' && typeof c === 'string') {
            const n = refName(c as string);
            if (!n || !defs[n]) missing.push(`${at}: ${String(c)}`);
          } else visit(c, at);
        }
      }
    };
    for (const [name, d] of Object.entries(defs)) visit(d, name);
    assert.deepEqual(missing, []);
  });

  it('carries upstream descriptions (what kubectl explain prints)', () => {
    assert.match(prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas').description ?? '', /^Number of desired pods\./);
    assert.match(def('io.k8s.api.apps.v1.Deployment').description ?? '', /^Deployment enables declarative updates for Pods and ReplicaSets\./);
    // Multi-line doc comments keep their paragraphs.
    assert.match(def('io.k8s.apimachinery.pkg.api.resource.Quantity').description ?? '', /accessors\.\n\nThe serialization format is:\n\n/);
    assert.equal(prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy').description, 'The deployment strategy to use to replace existing pods with new ones.');
  });

  it('marks top-level kinds (and lists) with x-kubernetes-group-version-kind', () => {
    const cases: [string, object][] = [
      ['io.k8s.api.apps.v1.Deployment', { group: 'apps', kind: 'Deployment', version: 'v1' }],
      ['io.k8s.api.apps.v1.DeploymentList', { group: 'apps', kind: 'DeploymentList', version: 'v1' }],
      [core('Pod'), { group: '', kind: 'Pod', version: 'v1' }],
      ['io.k8s.api.autoscaling.v1.Scale', { group: 'autoscaling', kind: 'Scale', version: 'v1' }],
      ['io.k8s.api.networking.v1.Ingress', { group: 'networking.k8s.io', kind: 'Ingress', version: 'v1' }],
      ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition', { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', version: 'v1' }],
      [meta('Status'), { group: '', kind: 'Status', version: 'v1' }],
    ];
    for (const [name, gvk] of cases) assert.deepEqual(def(name)['x-kubernetes-group-version-kind'], [gvk], name);
    assert.equal(def(core('PodSpec'))['x-kubernetes-group-version-kind'], undefined);
    const deleteOptions = def(meta('DeleteOptions'))['x-kubernetes-group-version-kind'] ?? [];
    assert.ok(deleteOptions.some((g) => g.group === 'apps' && g.version === 'v1' && g.kind === 'DeleteOptions'));
  });

  it('has upstream patch strategies, merge keys and list types (table from the Go struct tags)', () => {
    type Ext = [string, string, string | undefined, string | undefined, string | undefined, string[] | undefined];
    const cases: Ext[] = [
      [core('PodSpec'), 'containers', 'merge', 'name', 'map', ['name']],
      [core('PodSpec'), 'initContainers', 'merge', 'name', 'map', ['name']],
      [core('PodSpec'), 'ephemeralContainers', 'merge', 'name', 'map', ['name']],
      [core('PodSpec'), 'volumes', 'merge,retainKeys', 'name', 'map', ['name']],
      [core('PodSpec'), 'imagePullSecrets', 'merge', 'name', 'map', ['name']],
      [core('PodSpec'), 'hostAliases', 'merge', 'ip', 'map', ['ip']],
      [core('PodSpec'), 'topologySpreadConstraints', 'merge', 'topologyKey', 'map', ['topologyKey', 'whenUnsatisfiable']],
      [core('PodSpec'), 'resourceClaims', 'merge,retainKeys', 'name', 'map', ['name']],
      [core('PodSpec'), 'schedulingGates', 'merge', 'name', 'map', ['name']],
      [core('PodSpec'), 'tolerations', undefined, undefined, 'atomic', undefined],
      [core('Container'), 'ports', 'merge', 'containerPort', 'map', ['containerPort', 'protocol']],
      [core('Container'), 'env', 'merge', 'name', 'map', ['name']],
      [core('Container'), 'volumeMounts', 'merge', 'mountPath', 'map', ['mountPath']],
      [core('Container'), 'volumeDevices', 'merge', 'devicePath', 'map', ['devicePath']],
      [core('Container'), 'command', undefined, undefined, 'atomic', undefined],
      [core('EphemeralContainer'), 'env', 'merge', 'name', 'map', ['name']],
      [core('ResourceRequirements'), 'claims', undefined, undefined, 'map', ['name']],
      [core('PodStatus'), 'conditions', 'merge', 'type', 'map', ['type']],
      [core('PodStatus'), 'podIPs', 'merge', 'ip', 'map', ['ip']],
      [core('PodStatus'), 'hostIPs', 'merge', 'ip', 'atomic', undefined],
      [core('ServiceSpec'), 'ports', 'merge', 'port', 'map', ['port', 'protocol']],
      [core('ServiceAccount'), 'secrets', 'merge', 'name', 'map', ['name']],
      [core('NodeSpec'), 'podCIDRs', 'merge', undefined, 'set', undefined],
      [core('NodeStatus'), 'addresses', 'merge', 'type', 'map', ['type']],
      [meta('ObjectMeta'), 'finalizers', 'merge', undefined, 'set', undefined],
      [meta('ObjectMeta'), 'ownerReferences', 'merge', 'uid', 'map', ['uid']],
      [meta('ObjectMeta'), 'managedFields', undefined, undefined, 'atomic', undefined],
      ['io.k8s.api.apps.v1.DeploymentStatus', 'conditions', 'merge', 'type', 'map', ['type']],
      ['io.k8s.api.batch.v1.JobStatus', 'conditions', 'merge', 'type', 'atomic', undefined],
      ['io.k8s.api.policy.v1.PodDisruptionBudgetStatus', 'conditions', 'merge', 'type', 'map', ['type']],
      ['io.k8s.api.discovery.v1.Endpoint', 'addresses', undefined, undefined, 'set', undefined],
      ['io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration', 'webhooks', 'merge', 'name', 'map', ['name']],
      ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', 'x-kubernetes-validations', 'merge', 'rule', 'map', ['rule']],
    ];
    for (const [name, field, strategy, key, listType, mapKeys] of cases) {
      const p = prop(name, field);
      const at = `${name}.${field}`;
      assert.equal(p.type, 'array', at);
      assert.equal(p['x-kubernetes-patch-strategy'], strategy, at);
      assert.equal(p['x-kubernetes-patch-merge-key'], key, at);
      assert.equal(p['x-kubernetes-list-type'], listType, at);
      assert.deepEqual(p['x-kubernetes-list-map-keys'], mapKeys, at);
    }
  });

  it('has the non-list extensions: retainKeys/replace structs, atomic maps and structs, defaults', () => {
    const strategy = prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy');
    assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.deepEqual(strategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }]);
    assert.equal(prop('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'selector')['x-kubernetes-patch-strategy'], 'replace');
    assert.equal(prop(core('PodSpec'), 'nodeSelector')['x-kubernetes-map-type'], 'atomic');
    assert.equal(prop(core('ServiceSpec'), 'selector')['x-kubernetes-map-type'], 'atomic');
    assert.equal(def(meta('LabelSelector'))['x-kubernetes-map-type'], 'atomic');
    assert.equal(def(core('LocalObjectReference'))['x-kubernetes-map-type'], 'atomic');
    assert.equal(prop(core('ContainerPort'), 'protocol').default, 'TCP');
    assert.equal(prop(core('ServicePort'), 'protocol').default, 'TCP');
  });

  it('maps the special apimachinery types as upstream publishes them', () => {
    assert.deepEqual(
      { ...def('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), description: undefined },
      { description: undefined, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
    );
    assert.deepEqual(def('io.k8s.apimachinery.pkg.api.resource.Quantity').oneOf, [{ type: 'string' }, { type: 'number' }]);
    assert.equal(def(meta('Time')).type, 'string');
    assert.equal(def(meta('Time')).format, 'date-time');
    assert.equal(def(meta('MicroTime')).format, 'date-time');
    assert.equal(def('io.k8s.apimachinery.pkg.runtime.RawExtension')['x-kubernetes-preserve-unknown-fields'], true);
    assert.equal(def('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON')['x-kubernetes-preserve-unknown-fields'], true);
    assert.equal(def(meta('FieldsV1'))['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(prop('io.k8s.api.apps.v1.RollingUpdateDeployment', 'maxSurge').allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
  });

  it('knows Go integer widths, floats and []byte fields', () => {
    assert.equal(prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas').format, 'int32');
    assert.equal(prop(meta('ObjectMeta'), 'generation').format, 'int64');
    assert.equal(prop(core('PodSpec'), 'terminationGracePeriodSeconds').format, 'int64');
    assert.equal(prop('io.k8s.api.certificates.v1.CertificateSigningRequestSpec', 'expirationSeconds').format, 'int32');
    assert.deepEqual(prop('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', 'maximum'), { type: 'number', format: 'double' });
    assert.deepEqual(prop(core('Secret'), 'data').additionalProperties, { type: 'string', format: 'byte' });
  });

  it('JSONSchemaProps has the x-kubernetes-* fields kubernetes-types leaves out (a CRD must strict-decode)', () => {
    const props = def('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps').properties ?? {};
    for (const f of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations']) {
      assert.ok(props[f], f);
    }
  });

  it('is loaded once, frozen, and recognised as built-in', () => {
    assert.equal(definitions(), defs);
    assert.ok(Object.isFrozen(def(core('Pod')).properties));
    assert.ok(isBuiltinDefinition(def(core('Pod'))));
    assert.ok(!isBuiltinDefinition({ type: 'object' }));
  });
});
