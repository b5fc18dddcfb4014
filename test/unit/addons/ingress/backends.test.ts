/**
 * From an Ingress Service backend to endpoints: Service and port lookup (number or name), EndpointSlices merged by
 * the slice port named like the Service port (so named target ports resolve per slice), session affinity, and the
 * ready / serving-terminating fallback of CategorizeEndpoints.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1';
import { resolveBackend, usableEndpoints } from '../../../../src/addons/ingress/backends';
import type { CachedObject } from '../../../../src/client/informers';
import type { EndpointInfo } from '../../../../src/proxy/types';

const svc = (spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec });
const slice = (name: string, ports: { name?: string; port: number; protocol?: string }[], eps: { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean }[], addressType = 'IPv4'): CachedObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType,
  ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
  endpoints: eps.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } })),
});
const ref = (port: number | string) => ({ namespace: 'ns', service: 'web', port });
const addrs = (r: ReturnType<typeof resolveBackend>) => (r.ok ? r.endpoints.map((e) => `${e.ip}:${e.port}`) : r.reason);

describe('resolveBackend', () => {
  const twoPorts = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'metrics', port: 9090 }] });
  const slices = [
    slice('a', [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], [{ ip: '10.0.0.1' }]),
    // The same named target port resolves to another number in pods of another version.
    slice('b', [{ name: 'http', port: 8081 }], [{ ip: '10.0.0.2' }, { ip: '10.0.0.3', ready: false }]),
    slice('v6', [{ name: 'http', port: 8080 }], [{ ip: 'fd00::1' }], 'IPv6'),
  ];
  const cases: [string, Service | undefined, number | string, string[] | RegExp][] = [
    ['by number', twoPorts, 80, ['10.0.0.1:8080', '10.0.0.2:8081', '10.0.0.3:8081']],
    ['by name', twoPorts, 'http', ['10.0.0.1:8080', '10.0.0.2:8081', '10.0.0.3:8081']],
    ['another port of the same Service', twoPorts, 'metrics', ['10.0.0.1:9090']],
    ['unknown port number', twoPorts, 8080, /does not have port 8080/],
    ['unknown port name', twoPorts, 'grpc', /does not have port "grpc"/],
    ['no Service', undefined, 80, /service ns\/web does not exist/],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }), 80, /ExternalName/],
    ['UDP port', svc({ ports: [{ name: 'http', port: 80, protocol: 'UDP' }] }), 80, /is not TCP/],
  ];
  for (const [name, s, port, want] of cases)
    it(name, () => {
      const got = addrs(resolveBackend(ref(port), s, slices));
      if (want instanceof RegExp) assert.match(got as string, want);
      else assert.deepEqual(got, want);
    });

  it('an unnamed Service port matches the unnamed slice port; key and affinity follow the Service', () => {
    const s = svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP' });
    const r = resolveBackend(ref(80), s, [slice('u', [{ port: 3000 }], [{ ip: '10.0.0.9' }])]);
    assert.ok(r.ok);
    assert.equal(r.key, 'ns/web');
    assert.equal(r.stickySeconds, 10800);
    assert.deepEqual(addrs(r), ['10.0.0.9:3000']);
    const timed = resolveBackend(ref(80), svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }), []);
    assert.ok(timed.ok && timed.stickySeconds === 60);
    const none = resolveBackend(ref('http'), twoPorts, []);
    assert.ok(none.ok && none.key === 'ns/web:http' && none.stickySeconds === undefined && none.endpoints.length === 0);
  });
});

describe('usableEndpoints', () => {
  const ep = (ip: string, ready: boolean, serving: boolean, terminating: boolean): EndpointInfo => ({ ip, port: 80, ready, serving, terminating });
  const cases: [string, EndpointInfo[], string[]][] = [
    ['ready ones only', [ep('1', true, true, false), ep('2', false, false, false), ep('3', false, true, true)], ['1']],
    ['none ready: serving and terminating', [ep('2', false, false, false), ep('3', false, true, true), ep('4', false, false, true)], ['3']],
    ['nothing usable', [ep('2', false, false, false), ep('4', false, false, true)], []],
    ['empty', [], []],
  ];
  for (const [name, eps, want] of cases) it(name, () => assert.deepEqual(usableEndpoints(eps).map((e) => e.ip), want));
});
