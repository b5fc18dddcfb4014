/**
 * The Endpoints controller's pure parts: which pods and ports make addresses (upstream endpoints_controller_test
 * cases), truncation over 1000 addresses and the capacity annotation check, FindPort, which pod changes matter, and
 * the last-change trigger time.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { capacityAnnotationSetCorrectly, desiredSubsets, endpointsObject, truncateSubsets } from '../../../../src/controllers/endpoint/desired-endpoints';
import { findPort, podEndpointsChanged } from '../../../../src/controllers/endpoint/pod-endpoints';
import type { EndpointSubset } from '../../../../src/controllers/endpoint/repack-subsets';
import { rfc3339Nano, TriggerTimeTracker } from '../../../../src/controllers/endpoint/trigger-time-tracker';

function pod(name: string, ip: string, o: { ready?: boolean; phase?: string; deleting?: boolean; ports?: unknown[]; readyAt?: string; initContainers?: unknown[] } = {}): CachedObject {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1', ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', ports: o.ports ?? [{ name: 'http', containerPort: 8080 }] }], initContainers: o.initContainers },
    status: { phase: o.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readyAt }] },
  };
}

const svc = (spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): CachedObject => ({ metadata: { name: 's', namespace: 'ns', creationTimestamp: created }, spec: { selector: { app: 'x' }, ...spec } });
const ips = (s: EndpointSubset[]) => s.map((x) => ({ ready: (x.addresses ?? []).map((a) => a.ip), notReady: (x.notReadyAddresses ?? []).map((a) => a.ip), ports: (x.ports ?? []).map((p) => p.port) }));

describe('desiredSubsets', () => {
  const cases: [string, CachedObject, CachedObject[], ReturnType<typeof ips>][] = [
    ['ready and not ready', svc({ ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }), [pod('a', '1.1.1.1'), pod('b', '1.1.1.2', { ready: false })], [{ ready: ['1.1.1.1'], notReady: ['1.1.1.2'], ports: [8080] }]],
    ['pods without an IP or finished are left out', svc({ ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', ''), pod('b', '1.1.1.2', { phase: 'Failed' }), pod('c', '1.1.1.3', { phase: 'Succeeded' })], []],
    ['terminating pods are left out', svc({ ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', '1.1.1.1', { deleting: true })], []],
    ['publishNotReadyAddresses: terminating and unready pods are ready', svc({ publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', '1.1.1.1', { deleting: true }), pod('b', '1.1.1.2', { ready: false })], [{ ready: ['1.1.1.1', '1.1.1.2'], notReady: [], ports: [8080] }]],
    ['a named port the pod lacks skips that port only', svc({ ports: [{ port: 80, targetPort: 'web' }, { port: 81, targetPort: 9000 }] }), [pod('a', '1.1.1.1')], [{ ready: ['1.1.1.1'], notReady: [], ports: [9000] }]],
    ['headless without ports: port-less subsets', svc({ clusterIP: 'None' }), [pod('a', '1.1.1.1')], [{ ready: ['1.1.1.1'], notReady: [], ports: [] }]],
    ['not headless without ports: nothing', svc({ clusterIP: '10.0.0.1' }), [pod('a', '1.1.1.1')], []],
    ['an IPv6 Service takes the IPv6 address', svc({ ipFamilies: ['IPv6'], ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', '1.1.1.1'), { ...pod('b', ''), status: { phase: 'Running', podIPs: [{ ip: '1.1.1.2' }, { ip: 'fd00::2' }], conditions: [{ type: 'Ready', status: 'True' }] } }], [{ ready: ['fd00::2'], notReady: [], ports: [8080] }]],
  ];
  for (const [name, s, pods, want] of cases) it(name, () => assert.deepEqual(ips(desiredSubsets(s, pods).subsets), want));

  it('counts ready and not-ready endpoints per port', () => {
    const r = desiredSubsets(svc({ ports: [{ port: 80, targetPort: 8080 }, { port: 81, targetPort: 8081 }] }), [pod('a', '1.1.1.1'), pod('b', '1.1.1.2', { ready: false })]);
    assert.deepEqual([r.ready, r.notReady], [2, 2]);
  });
});

describe('truncateSubsets and the capacity annotation', () => {
  const addrs = (n: number, base: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.${base}.${Math.floor(i / 250)}.${i % 250}` }));
  const sizes = (s: EndpointSubset[]) => s.map((x) => [x.addresses?.length ?? 0, x.notReadyAddresses?.length ?? 0]);
  const cases: [string, EndpointSubset[], boolean, number[][]][] = [
    ['under capacity', [{ addresses: addrs(999, 1) }], false, [[999, 0]]],
    ['exactly 1000', [{ addresses: addrs(600, 1), notReadyAddresses: addrs(400, 2) }], false, [[600, 400]]],
    ['ready over capacity: ready truncated, not ready dropped', [{ addresses: addrs(1001, 1), notReadyAddresses: addrs(5, 2) }], true, [[1000, 0]]],
    ['ready over capacity in two subsets: in proportion', [{ addresses: addrs(600, 1) }, { addresses: addrs(600, 2) }], true, [[500, 0], [500, 0]]],
    ['not ready over what is left: not ready truncated', [{ addresses: addrs(500, 1), notReadyAddresses: addrs(600, 2) }], true, [[500, 500]]],
    ['not ready spread over subsets', [{ addresses: addrs(100, 1), notReadyAddresses: addrs(300, 2) }, { notReadyAddresses: addrs(900, 3) }], true, [[100, 225], [0, 675]]],
  ];
  for (const [name, subsets, truncated, want] of cases) {
    it(name, () => {
      assert.equal(truncateSubsets(subsets), truncated);
      assert.deepEqual(sizes(subsets), want);
    });
  }

  it('is correct only when under capacity and not annotated', () => {
    assert.equal(capacityAnnotationSetCorrectly(undefined, [{ addresses: addrs(10, 1) }]), true);
    assert.equal(capacityAnnotationSetCorrectly({ 'endpoints.kubernetes.io/over-capacity': 'truncated' }, [{ addresses: addrs(10, 1) }]), false);
    assert.equal(capacityAnnotationSetCorrectly(undefined, [{ addresses: addrs(1001, 1) }]), false);
  });
});

describe('findPort and podEndpointsChanged', () => {
  it('resolves named ports by name and protocol, including sidecar init containers, and numbers as they are', () => {
    const p = pod('a', '1.1.1.1', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }], initContainers: [{ name: 'side', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }, { name: 'init', ports: [{ name: 'once', containerPort: 1 }] }] });
    assert.equal(findPort(p, { targetPort: 'dns', protocol: 'UDP' }), 53);
    assert.equal(findPort(p, { targetPort: 'dns', protocol: 'TCP' }), undefined);
    assert.equal(findPort(p, { targetPort: 'proxy' }), 15001);
    assert.equal(findPort(p, { targetPort: 'once' }), undefined);
    assert.equal(findPort(p, { targetPort: 7000 }), 7000);
    assert.equal(findPort(p, { port: 80 }), 80);
  });

  it('tells endpoint changes from membership changes', () => {
    const base = pod('a', '1.1.1.1');
    const relabel = { ...base, metadata: { ...base.metadata, labels: { app: 'y' } } };
    assert.deepEqual(podEndpointsChanged(base, { ...base, metadata: { ...base.metadata, annotations: { x: 'y' } } }), [false, false]);
    assert.deepEqual(podEndpointsChanged(base, relabel), [false, true]);
    assert.deepEqual(podEndpointsChanged(base, pod('a', '1.1.1.1', { ready: false })), [true, false]);
    assert.deepEqual(podEndpointsChanged(base, pod('a', '1.1.1.9')), [true, false]);
    assert.deepEqual(podEndpointsChanged(base, pod('a', '1.1.1.1', { deleting: true })), [true, false]);
  });
});

describe('TriggerTimeTracker', () => {
  it('uses the creation time for a new Service, then the earliest changed readiness time, else nothing', () => {
    const tr = new TriggerTimeTracker();
    const s = svc({});
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(tr.compute('ns', s, [pod('a', '1.1.1.1', { readyAt: '2026-01-01T00:00:05Z' })]), t0);
    assert.equal(tr.compute('ns', s, [pod('a', '1.1.1.1', { readyAt: '2026-01-01T00:00:05Z' })]), 0);
    const later = [pod('a', '1.1.1.1', { readyAt: '2026-01-01T00:00:09Z' }), pod('b', '1.1.1.2', { readyAt: '2026-01-01T00:00:07Z' })];
    assert.equal(tr.compute('ns', s, later), Date.parse('2026-01-01T00:00:07Z'));
    tr.deleteService('ns', 's');
    assert.equal(tr.compute('ns', s, later), t0);
  });

  it('prints RFC 3339 with trimmed nanoseconds', () => {
    assert.equal(rfc3339Nano(Date.parse('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00Z');
    assert.equal(rfc3339Nano(Date.parse('2026-01-01T00:00:00.120Z')), '2026-01-01T00:00:00.12Z');
  });
});

describe('endpointsObject', () => {
  const many = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.9.${Math.floor(i / 250)}.${i % 250}` }));

  it('marks truncated subsets over capacity and stamps the trigger time', () => {
    const o = endpointsObject(svc({ clusterIP: '10.0.0.1' }), undefined, [{ addresses: many, ports: [{ port: 80, protocol: 'TCP' }] }], Date.parse('2026-01-01T00:00:03Z'));
    assert.deepEqual(o.metadata, {
      name: 's',
      namespace: 'ns',
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:03Z', 'endpoints.kubernetes.io/over-capacity': 'truncated' },
    });
    assert.equal((o.subsets as EndpointSubset[])[0].addresses?.length, 1000);
  });

  it('clears both annotations and adds the headless label when they no longer apply', () => {
    const current = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's', namespace: 'ns', resourceVersion: '7', labels: { stale: 'x' }, annotations: { 'endpoints.kubernetes.io/over-capacity': 'truncated', 'endpoints.kubernetes.io/last-change-trigger-time': 'old', keep: 'y' } } };
    const s = { ...svc({ clusterIP: 'None' }), metadata: { name: 's', namespace: 'ns', labels: { app: 'x' } } };
    const o = endpointsObject(s, current, [], 0);
    assert.deepEqual(o.metadata, { name: 's', namespace: 'ns', resourceVersion: '7', labels: { app: 'x', 'service.kubernetes.io/headless': '' }, annotations: { keep: 'y' } });
  });
});
