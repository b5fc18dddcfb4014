import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cells, headers, meta, resource, table } from './fixtures';

const services = resource('services');
const endpoints = resource('endpoints');

function svc(spec: Record<string, unknown>, status: Record<string, unknown> = {}): Record<string, unknown> {
  return { metadata: meta('web'), spec: { selector: { app: 'web', tier: 'fe' }, ...spec }, status };
}

describe('services table', () => {
  it('columns: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE + SELECTOR', () => {
    assert.deepEqual(headers(table(services, [])), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', '+SELECTOR']);
  });
  const http = { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' };
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ['ClusterIP', svc({ type: 'ClusterIP', clusterIP: '10.96.12.7', clusterIPs: ['10.96.12.7'], ports: [http] }), ['ClusterIP', '10.96.12.7', '<none>', '80/TCP']],
    [
      'ClusterIP with external IPs and two ports',
      svc({ type: 'ClusterIP', clusterIP: '10.96.12.7', externalIPs: ['203.0.113.10', '203.0.113.11'], ports: [http, { port: 53, protocol: 'UDP' }] }),
      ['ClusterIP', '10.96.12.7', '203.0.113.10,203.0.113.11', '80/TCP,53/UDP'],
    ],
    ['headless', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [] }), ['ClusterIP', 'None', '<none>', '<none>']],
    ['NodePort', svc({ type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ ...http, nodePort: 30080 }] }), ['NodePort', '10.96.0.20', '<none>', '80:30080/TCP']],
    ['NodePort with an external IP', svc({ type: 'NodePort', clusterIP: '10.96.0.20', externalIPs: ['198.51.100.1'], ports: [{ ...http, nodePort: 30080 }] }), ['NodePort', '10.96.0.20', '198.51.100.1', '80:30080/TCP']],
    ['LoadBalancer pending', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.30', ports: [{ ...http, nodePort: 31000 }] }), ['LoadBalancer', '10.96.0.30', '<pending>', '80:31000/TCP']],
    [
      'LoadBalancer with sorted, unique ingress addresses (never clipped on the server)',
      svc(
        { type: 'LoadBalancer', clusterIP: '10.96.0.30', ports: [{ ...http, nodePort: 31000 }] },
        { loadBalancer: { ingress: [{ ip: '192.0.2.20' }, { hostname: 'a1b2c3d4e5f6.elb.example.com' }, { ip: '192.0.2.3' }, { ip: '192.0.2.20' }] } },
      ),
      ['LoadBalancer', '10.96.0.30', '192.0.2.20,192.0.2.3,a1b2c3d4e5f6.elb.example.com', '80:31000/TCP'],
    ],
    [
      'LoadBalancer ingress followed by external IPs',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.0.30', externalIPs: ['198.51.100.9'], ports: [http] }, { loadBalancer: { ingress: [{ ip: '192.0.2.3' }] } }),
      ['LoadBalancer', '10.96.0.30', '192.0.2.3,198.51.100.9', '80/TCP'],
    ],
    ['LoadBalancer pending with external IPs', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.30', externalIPs: ['198.51.100.9'], ports: [http] }), ['LoadBalancer', '10.96.0.30', '198.51.100.9', '80/TCP']],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['ExternalName', '<none>', 'db.example.com', '<none>']],
    ['dual-stack: the first cluster IP', svc({ type: 'ClusterIP', clusterIPs: ['fd00:10:96::a', '10.96.0.10'], ports: [http] }), ['ClusterIP', 'fd00:10:96::a', '<none>', '80/TCP']],
    ['unknown type', svc({ type: 'Weird', clusterIP: '10.0.0.1', ports: [http] }), ['Weird', '10.0.0.1', '<unknown>', '80/TCP']],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      const row = cells(services, obj);
      assert.deepEqual(row.slice(1, 5), want);
      assert.equal(row[5], '5m');
    });
  }
  it('SELECTOR: sorted k=v, <none> without a selector', () => {
    assert.equal(cells(services, svc({ type: 'ClusterIP' }))[6], 'app=web,tier=fe');
    assert.equal(cells(services, { metadata: meta('ext'), spec: { type: 'ClusterIP', clusterIP: '10.0.0.2' } })[6], '<none>');
  });
});

describe('endpoints table', () => {
  const ep = (subsets: unknown) => cells(endpoints, { metadata: meta('web'), subsets });
  it('columns', () => assert.deepEqual(headers(table(endpoints, [])), ['NAME', 'ENDPOINTS', 'AGE']));
  it('no subsets: <none>', () => assert.deepEqual(ep(undefined), ['web', '<none>', '5m']));
  it('host:port per address and port, up to three, then + N more...', () => {
    const subsets = [
      { addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.6' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] },
      { addresses: [{ ip: '10.244.3.7' }], ports: [{ port: 8080 }] },
    ];
    assert.deepEqual(ep(subsets), ['web', '10.244.1.5:8080,10.244.2.6:8080,10.244.1.5:9090 + 2 more...', '5m']);
  });
  it('headless without ports lists IPs; IPv6 hosts are bracketed', () => {
    assert.equal(ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }])[1], '10.0.0.1,10.0.0.2');
    assert.equal(ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 443 }] }])[1], '[fd00::1]:443');
  });
  it('a subset with only not-ready addresses prints empty', () => {
    assert.equal(ep([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }])[1], '');
  });
});
