/**
 * The EndpointSlice reconciler's plan (upstream reconciler_test cases, adapted): slices filled up to the limit,
 * existing endpoints kept in their slice, the fullest updated slice filled first, the best-fitting unchanged slice
 * used for a few new endpoints, the placeholder slice, slices of another owner replaced by reusing their names,
 * label changes, and ports ordered as NewPortMapKey orders them.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { planAddressType, type DesiredGroup } from '../../../../src/controllers/endpointslice/reconcile-plan';
import { endpointKey, newEndpointSlice, portMapKey, sliceLabels, sortPorts, type EndpointSlice, type SliceEndpoint, type SlicePort } from '../../../../src/controllers/endpointslice/slice-model';

const svc: CachedObject = { metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { team: 'a' } }, spec: { clusterIP: '10.0.0.1', selector: { app: 'web' } } };
const PORTS: SlicePort[] = [{ name: 'http', protocol: 'TCP', port: 80 }];

function ep(i: number, ready = true): SliceEndpoint {
  return { addresses: [`10.1.${Math.floor(i / 250)}.${i % 250}`], conditions: { ready, serving: ready, terminating: false }, targetRef: { kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` }, nodeName: 'n1' };
}

function desired(ids: number[], ports = PORTS): Map<string, DesiredGroup> {
  return new Map([[portMapKey(ports), { ports, endpoints: new Map(ids.map((i) => [endpointKey(ep(i)), ep(i)])) }]]);
}

let seq = 0;
function existing(ids: number[], o: { name?: string; ports?: SlicePort[]; owner?: string } = {}): EndpointSlice {
  const s = newEndpointSlice(svc, o.ports ?? PORTS, 'IPv4');
  s.metadata.name = o.name ?? `web-${++seq}`;
  s.metadata.resourceVersion = '1';
  if (o.owner) s.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: o.owner, controller: true }];
  s.endpoints = ids.map((i) => ep(i));
  return s;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const counts = (ss: EndpointSlice[]) => ss.map((s) => s.endpoints.length);

describe('planAddressType', () => {
  it('creates slices of at most 100 endpoints', () => {
    const plan = planAddressType(svc, [], desired(range(0, 250)), 'IPv4', 100);
    assert.deepEqual(counts(plan.create), [100, 100, 50]);
    assert.deepEqual([plan.update.length, plan.delete.length], [0, 0]);
    assert.equal(plan.create[0].metadata.generateName, 'web-');
    assert.deepEqual(plan.create[0].metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  });

  it('changes nothing when the slices already hold the desired endpoints', () => {
    const plan = planAddressType(svc, [existing(range(0, 100)), existing(range(100, 150))], desired(range(0, 150)), 'IPv4', 100);
    assert.deepEqual([plan.create.length, plan.update.length, plan.delete.length], [0, 0, 0]);
  });

  it('puts one new endpoint in a new slice when the only slice is full', () => {
    const plan = planAddressType(svc, [existing(range(0, 100))], desired(range(0, 101)), 'IPv4', 100);
    assert.deepEqual([counts(plan.create), plan.update.length], [[1], 0]);
  });

  it('fills the slice being updated anyway before touching others', () => {
    const a = existing(range(0, 60));
    const b = existing(range(60, 90));
    const plan = planAddressType(svc, [a, b], desired([...range(1, 90), ...range(200, 205)]), 'IPv4', 100);
    assert.deepEqual(plan.update.map((s) => [s.metadata.name, s.endpoints.length]), [[a.metadata.name, 64]]);
    assert.deepEqual([plan.create.length, plan.delete.length], [0, 0]);
  });

  it('puts a few new endpoints into the unchanged slice they fit best', () => {
    const a = existing(range(0, 90));
    const b = existing(range(90, 100));
    const plan = planAddressType(svc, [a, b], desired([...range(0, 100), ...range(200, 205)]), 'IPv4', 100);
    assert.deepEqual(plan.update.map((s) => [s.metadata.name, s.endpoints.length]), [[a.metadata.name, 95]]);
  });

  it('updates an endpoint in place when its conditions change, and deletes slices left empty', () => {
    const a = existing([1, 2]);
    const b = existing([3]);
    const want = desired([1, 2]);
    const e2 = ep(2, false);
    want.get(portMapKey(PORTS))!.endpoints.set(endpointKey(e2), e2);
    const plan = planAddressType(svc, [a, b], want, 'IPv4', 100);
    assert.deepEqual(plan.update.map((s) => s.endpoints.map((e) => e.conditions.ready)), [[true, false]]);
    assert.deepEqual(plan.delete.map((s) => s.metadata.name), [b.metadata.name]);
  });

  it('keeps one placeholder slice for a Service without endpoints', () => {
    const plan = planAddressType(svc, [], new Map(), 'IPv4', 100);
    assert.deepEqual(counts(plan.create), [0]);
    assert.deepEqual(plan.create[0].ports, []);
    const again = planAddressType(svc, [{ ...plan.create[0], metadata: { ...plan.create[0].metadata, name: 'web-ph' } }], new Map(), 'IPv4', 100);
    assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
  });

  it('reuses the placeholder name when endpoints arrive, and a foreign slice name for new slices', () => {
    const ph = { ...newEndpointSlice(svc, [], 'IPv4'), metadata: { ...newEndpointSlice(svc, [], 'IPv4').metadata, name: 'web-ph' } };
    const plan = planAddressType(svc, [ph], desired([1]), 'IPv4', 100);
    assert.deepEqual([plan.create.length, plan.delete.length, plan.update.map((s) => s.metadata.name)], [0, 0, ['web-ph']]);
    const foreign = existing([1], { owner: 'old-svc-uid', name: 'web-old' });
    const p2 = planAddressType(svc, [foreign], desired([1]), 'IPv4', 100);
    // The slice of another Service with the same name is deleted, not taken over.
    assert.deepEqual([p2.create.length, p2.update.length, p2.delete.map((s) => s.metadata.name)], [1, 0, ['web-old']]);
  });

  it('updates slices whose labels no longer match the Service', () => {
    const a = existing([1]);
    a.metadata.labels = { ...a.metadata.labels, team: 'b' };
    const plan = planAddressType(svc, [a], desired([1]), 'IPv4', 100);
    assert.deepEqual(plan.update.map((s) => s.metadata.labels?.team), ['a']);
    assert.equal(sliceLabels(plan.update[0], svc).changed, false);
  });

  it('orders ports by their Go hash, independent of input order', () => {
    const ports: SlicePort[] = [{ name: 'a', protocol: 'TCP', port: 1 }, { name: 'b', protocol: 'TCP', port: 2 }, { name: 'c', protocol: 'UDP', port: 3 }];
    assert.deepEqual(sortPorts([...ports].reverse()), sortPorts(ports));
    assert.equal(portMapKey([...ports].reverse()), portMapKey(ports));
  });
});
