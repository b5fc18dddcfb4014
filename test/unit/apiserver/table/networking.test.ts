import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cells, headers, meta, resource, table } from './fixtures';

describe('ingresses table', () => {
  const ingresses = resource('ingresses');
  const backend = { service: { name: 'web', port: { number: 80 } } };
  const rule = (host?: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });
  it('columns: NAME CLASS HOSTS ADDRESS PORTS AGE', () => {
    assert.deepEqual(headers(table(ingresses, [])), ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
  });
  const cases: [string, Record<string, unknown>, Record<string, unknown>, unknown[]][] = [
    ['one host with TLS and an address', { ingressClassName: 'nginx', rules: [rule('shop.example.com')], tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }] }, { loadBalancer: { ingress: [{ ip: '172.18.0.5' }] } }, ['nginx', 'shop.example.com', '172.18.0.5', '80, 443']],
    ['no class, no host, no address', { defaultBackend: backend, rules: [rule()] }, {}, ['<none>', '*', '', '80']],
    [
      'more than three hosts (rules without a host are skipped)',
      { ingressClassName: 'nginx', rules: [rule('a.example.com'), rule(), rule('b.example.com'), rule('c.example.com'), rule('d.example.com'), rule('e.example.com')] },
      { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '10.0.0.9' }] } },
      ['nginx', 'a.example.com,b.example.com,c.example.com + 3 more...', '10.0.0.9,lb.example.com', '80'],
    ],
  ];
  for (const [name, spec, status, want] of cases) {
    it(name, () => assert.deepEqual(cells(ingresses, { metadata: meta('shop'), spec, status }), ['shop', ...want, '5m']));
  }
});

describe('ingressclasses table', () => {
  const classes = resource('ingressclasses');
  it('CONTROLLER and PARAMETERS', () => {
    const t = table(classes, [
      { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx' } },
      { metadata: meta('alb'), spec: { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb-params' } } },
      { metadata: meta('core'), spec: { controller: 'example.com/x', parameters: { kind: 'ConfigMap', name: 'x-config', scope: 'Namespace', namespace: 'x' } } },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['nginx', 'k8s.io/ingress-nginx', '<none>', '5m'],
      ['alb', 'ingress.k8s.aws/alb', 'IngressClassParams.elbv2.k8s.aws/alb-params', '5m'],
      ['core', 'example.com/x', 'ConfigMap/x-config', '5m'],
    ]);
  });
});

describe('endpointslices table', () => {
  const slices = resource('endpointslices');
  it('ADDRESSTYPE PORTS ENDPOINTS', () => {
    const t = table(slices, [
      {
        metadata: meta('web-abc12'),
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'named' }, {}, { port: 9090 }, { port: 9091 }],
        endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.6', '10.244.2.7'] }, { addresses: ['10.244.3.8'] }],
      },
      { metadata: meta('empty'), addressType: 'IPv6' },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['web-abc12', 'IPv4', '8080,named,* + 2 more...', '10.244.1.5,10.244.2.6,10.244.2.7 + 1 more...', '5m'],
      ['empty', 'IPv6', '<unset>', '<unset>', '5m'],
    ]);
  });
});
