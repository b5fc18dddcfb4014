import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyChanges } from '../../../src/proxy/change-tracker';
import { servicePortsOf } from '../../../src/proxy/service-ports';
import type { CachedObject } from '../../../src/client/informers';

const svc = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): CachedObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', ...extra }, spec }) as CachedObject;

const slice = (name: string, service: string, endpoints: unknown[], ports: unknown[] = [{ name: 'http', port: 8080, protocol: 'TCP' }], addressType = 'IPv4'): CachedObject =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    addressType,
    endpoints,
    ports,
  }) as CachedObject;

const ep = (ip: string, ready: boolean | undefined = true, extra: Record<string, unknown> = {}) => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready }, ...extra });

describe('servicePortsOf', () => {
  it('keys ports by upstream ServicePortName and skips what kube-proxy skips', () => {
    const ports = servicePortsOf(svc('web', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
    assert.deepEqual(ports.map((p) => [p.key, p.protocol, p.nodePort]), [['default/web:http', 'TCP', 30080], ['default/web:dns', 'UDP', 0]]);
    assert.equal(servicePortsOf(svc('one', { clusterIP: '10.96.0.21', ports: [{ port: 80 }] }))[0].key, 'default/one');
    assert.deepEqual(servicePortsOf(svc('h', { clusterIP: 'None', ports: [{ port: 80 }] })), []);
    assert.deepEqual(servicePortsOf(svc('x', { type: 'ExternalName', externalName: 'example.com' })), []);
    assert.deepEqual(servicePortsOf(svc('o', { clusterIP: '10.96.0.22', ports: [{ port: 80 }] }, { labels: { 'service.kubernetes.io/service-proxy-name': 'other' } })), []);
  });

  it('reads ClientIP affinity (default 10800 s) and traffic policies', () => {
    const [p] = servicePortsOf(svc('s', { type: 'NodePort', clusterIP: '10.96.0.23', sessionAffinity: 'ClientIP', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30001 }] }));
    assert.equal(p.stickySeconds, 10800);
    assert.equal(p.externalPolicyLocal, true);
    assert.equal(p.internalPolicyLocal, true);
    const [q] = servicePortsOf(svc('t', { clusterIP: '10.96.0.24', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }));
    assert.equal(q.stickySeconds, 60);
    assert.equal(q.externalPolicyLocal, false, 'a ClusterIP Service has no external traffic');
  });
});

describe('ProxyChanges', () => {
  it('records the changed keys and nothing for no-op updates', () => {
    const c = new ProxyChanges();
    const s = svc('web', { clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 80 }] });
    c.setService(s);
    assert.deepEqual([...c.take()], ['default/web:http']);
    c.setService({ ...s, status: { loadBalancer: {} } } as CachedObject);
    assert.equal(c.hasChanges(), false, 'a status-only change programs nothing');
    c.setSlice(slice('web-abc', 'web', [ep('10.244.1.2'), ep('10.244.2.3', false)]));
    assert.deepEqual([...c.take()], ['default/web:http']);
    const eps = c.state.endpoints.get('default/web:http')!;
    assert.deepEqual(eps.map((e) => [e.ip, e.port, e.ready, e.serving]), [['10.244.1.2', 8080, true, true], ['10.244.2.3', 8080, false, false]]);
    c.setSlice(slice('web-abc', 'web', [ep('10.244.1.2'), ep('10.244.2.3', false)]));
    assert.equal(c.hasChanges(), false, 'the same endpoints rewritten change nothing');
    assert.equal(c.endpointChanges, 1);
  });

  it('merges the slices of a service and dedupes by address, preferring a ready copy', () => {
    const c = new ProxyChanges();
    c.setSlice(slice('a', 'web', [ep('10.244.1.2', false), ep('10.244.1.10')]));
    c.setSlice(slice('b', 'web', [ep('10.244.1.2', true), ep('10.244.1.3', undefined)]));
    const eps = c.state.endpoints.get('default/web:http')!;
    assert.deepEqual(eps.map((e) => `${e.ip}:${e.ready}`), ['10.244.1.10:true', '10.244.1.2:true', '10.244.1.3:true']);
    c.take();
    c.deleteSlice(slice('b', 'web', []));
    assert.deepEqual([...c.take()], ['default/web:http']);
    assert.deepEqual(c.state.endpoints.get('default/web:http')!.map((e) => `${e.ip}:${e.ready}`), ['10.244.1.10:true', '10.244.1.2:false']);
    c.deleteSlice(slice('a', 'web', []));
    assert.equal(c.state.endpoints.has('default/web:http'), false);
  });

  it('ignores IPv6 and unlabelled slices; a deleted service removes its keys', () => {
    const c = new ProxyChanges();
    c.setSlice(slice('v6', 'web', [ep('fd00::1')], undefined, 'IPv6'));
    assert.equal(c.hasChanges(), false);
    const s = svc('web', { clusterIP: '10.96.0.31', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] });
    c.setService(s);
    c.take();
    c.setService(svc('web', { clusterIP: '10.96.0.31', ports: [{ name: 'http', port: 80 }] }));
    assert.deepEqual([...c.take()], ['default/web:https']);
    assert.deepEqual([...c.state.services.keys()], ['default/web:http']);
    c.deleteService(s);
    assert.deepEqual([...c.take()], ['default/web:http']);
    assert.equal(c.state.services.size, 0);
    assert.equal(c.serviceChanges, 3);
  });
});
