/**
 * The checked-in wire descriptor: regenerates byte for byte from the machine's kubectl 1.32 (when it is there),
 * covers every kind KubeLab serves and every body kind its subresources take, and is closed (every referenced
 * message exists).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { ANTHOSCLI, DESCRIPTOR_FILE, KUBECTL_132, generateDescriptor } from '../../../../.ci/gen-protobuf-descriptor';
import { builtinResources } from '../../../../src/api/resources';
import { isScalar, isSpecial, kindMessage, message, messageNames } from '../../../../src/api/protobuf/descriptor';
import { specialMessage } from '../../../../src/api/protobuf/special';

const apiVersion = (g: string, v: string): string => (g ? `${g}/${v}` : v);

describe('protobuf wire descriptor', () => {
  const binaries = fs.existsSync(KUBECTL_132) && fs.existsSync(ANTHOSCLI);
  it('is exactly what the generator derives from kubectl 1.32 now', { skip: binaries ? false : `needs ${KUBECTL_132} and ${ANTHOSCLI}` }, () => {
    const fresh = generateDescriptor().text;
    assert.ok(fresh === fs.readFileSync(DESCRIPTOR_FILE, 'utf8'), 'descriptor.json is stale: run `npx tsx .ci/gen-protobuf-descriptor.ts`');
  });

  it('has a message for every served kind and every subresource body kind', () => {
    const missing: string[] = [];
    for (const r of builtinResources()) {
      if (!kindMessage(apiVersion(r.group, r.version), r.kind)) missing.push(`${r.group}/${r.version} ${r.kind}`);
      for (const s of r.subresources) {
        if (['proxy', 'log', 'exec', 'attach', 'portforward'].includes(s.name)) continue; // no request body (query parameters or a stream)
        if (!kindMessage(apiVersion(s.kind.group, s.kind.version), s.kind.kind)) missing.push(`${r.resource}/${s.name} ${s.kind.kind}`);
      }
    }
    for (const [av, k] of [['policy/v1', 'Eviction'], ['v1', 'Binding'], ['autoscaling/v1', 'Scale'], ['authentication.k8s.io/v1', 'TokenRequest'], ['v1', 'DeleteOptions'], ['apps/v1', 'DeleteOptions'], ['meta.k8s.io/v1', 'DeleteOptions']]) {
      if (!kindMessage(av, k)) missing.push(`${av} ${k}`);
    }
    assert.deepEqual(missing, []);
    assert.equal(kindMessage('example.com/v1', 'DeleteOptions'), undefined);
    assert.equal(kindMessage('v1', 'toString'), undefined);
  });

  it('is closed: every field type is a scalar, a known special or a message in the file', () => {
    const bad: string[] = [];
    for (const name of messageNames()) {
      for (const f of message(name).fields) {
        try {
          if (isSpecial(f.type)) specialMessage(f.type);
          else if (!isScalar(f.type)) message(f.type);
        } catch (e) {
          bad.push(`${name}.${f.json}: ${(e as Error).message}`);
        }
        if (f.inline && (isScalar(f.type) || f.repeated || f.map)) bad.push(`${name}: inline ${f.type}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('carries the Go facts that decide the JSON', () => {
    const field = (m: string, json: string) => message(m).fields.find((f) => f.json === json)!;
    assert.deepEqual([field('apps/v1.DeploymentSpec', 'replicas').pointer, field('apps/v1.DeploymentSpec', 'replicas').omitempty], [true, true]);
    assert.deepEqual([field('core/v1.PodSpec', 'hostNetwork').pointer, field('core/v1.PodSpec', 'hostNetwork').omitempty], [false, true]);
    assert.equal(field('core/v1.ContainerPort', 'containerPort').omitempty, false);
    assert.equal(field('core/v1.Secret', 'data').type, 'bytes');
    assert.equal(field('core/v1.Secret', 'data').map, true);
    assert.equal(field('meta/v1.ObjectMeta', 'creationTimestamp').type, '@Time');
    assert.equal(message('core/v1.Volume').fields[1].inline, true);
    // Stale struct tags upstream (`bytes` on an int32, `opt` on a list) do not leak into the descriptor.
    assert.equal(field('core/v1.SecretVolumeSource', 'defaultMode').type, 'int32');
    assert.equal(field('core/v1.ISCSIVolumeSource', 'portals').repeated, true);
    assert.equal(field('core/v1.ServiceAccountTokenProjection', 'audience').repeated, false);
    assert.equal(field('apiextensions/v1.ValidationRule', 'optionalOldSelf').pointer, true);
  });
});
