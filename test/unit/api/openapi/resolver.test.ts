import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitions } from '../../../../src/api/openapi/definitions';
import { schemaResolver } from '../../../../src/api/openapi/resolver';
import type { Schema } from '../../../../src/api/openapi/schema-types';

describe('schemaResolver', () => {
  const r = schemaResolver();

  it('finds kinds by x-kubernetes-group-version-kind', () => {
    assert.equal(r.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' }), definitions()['io.k8s.api.apps.v1.Deployment']);
    assert.equal(r.forKind({ group: '', version: 'v1', kind: 'Pod' }), definitions()['io.k8s.api.core.v1.Pod']);
    assert.equal(r.forKind({ group: 'apps', version: 'v1', kind: 'DeleteOptions' }), definitions()['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']);
    assert.equal(r.forKind({ group: 'apps', version: 'v2', kind: 'Deployment' }), undefined);
    assert.equal(r.forKind({ group: '', version: 'v1', kind: 'PodSpec' }), undefined);
  });

  it('follows $ref and single-element allOf, and leaves concrete schemas alone', () => {
    const spec = r.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' })!.properties!.spec;
    assert.ok(spec.allOf);
    assert.equal(r.resolve(spec), definitions()['io.k8s.api.apps.v1.DeploymentSpec']);
    assert.equal(r.resolve({ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }), definitions()['io.k8s.api.core.v1.PodSpec']);
    const concrete: Schema = { type: 'string' };
    assert.equal(r.resolve(concrete), concrete);
    const unknown: Schema = { $ref: '#/components/schemas/nope' };
    assert.equal(r.resolve(unknown), unknown);
    assert.equal(r.nameOf(spec), 'io.k8s.api.apps.v1.DeploymentSpec');
  });

  it('adds extra schemas, which win for the same kind; without extra it is one shared instance', () => {
    const foo: Schema = { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Foo' }] };
    const pod: Schema = { type: 'object', 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }] };
    const withExtra = schemaResolver({ 'com.example.v1.Foo': foo, 'x.Pod': pod, 'x.Ref': { $ref: '#/components/schemas/com.example.v1.Foo' } });
    assert.equal(withExtra.forKind({ group: 'example.com', version: 'v1', kind: 'Foo' }), foo);
    assert.equal(withExtra.forKind({ group: '', version: 'v1', kind: 'Pod' }), pod);
    assert.equal(withExtra.resolve({ $ref: '#/components/schemas/com.example.v1.Foo' }), foo);
    assert.equal(withExtra.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' }), definitions()['io.k8s.api.apps.v1.Deployment']);
    assert.equal(schemaResolver(), schemaResolver({}));
    assert.equal(r.forKind({ group: 'example.com', version: 'v1', kind: 'Foo' }), undefined);
  });
});
