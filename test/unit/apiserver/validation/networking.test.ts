/** Service, Endpoints, EndpointSlice and Ingress validation with exact messages. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { gvk, stored, texts, variant, type Any } from './helpers';

const SVC = gvk('', 'Service');
const EP = gvk('', 'Endpoints');
const ES = gvk('discovery.k8s.io', 'EndpointSlice');
const ING = gvk('networking.k8s.io', 'Ingress');

const service = (edit: (s: Any) => void = () => {}): Any =>
  variant({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, SVC, edit);

describe('Service', () => {
  const cases: { name: string; edit: (s: Any) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    {
      name: 'name is a DNS-1035 label',
      edit: (s) => (s.metadata.name = '1web'),
      want: [
        "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    },
    { name: 'ports required', edit: (s) => (s.spec.ports = []), want: ['spec.ports: Required value'] },
    {
      name: 'port names required with several ports; duplicates',
      edit: (s) => (s.spec.ports = [{ port: 80 }, { name: 'a', port: 80 }, { name: 'a', port: 81, protocol: 'TCP' }]),
      want: [
        'spec.ports[0].name: Required value',
        'spec.ports[2].name: Duplicate value: "a"',
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    },
    {
      name: 'type enum',
      edit: (s) => (s.spec.type = 'Internal'),
      want: ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    },
    { name: 'nodePort not for ClusterIP', edit: (s) => (s.spec.ports[0].nodePort = 30080), want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"] },
    {
      name: 'ClientIP affinity timeout range',
      edit: (s) => Object.assign(s.spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } }),
      want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400'],
    },
    {
      name: 'ExternalName needs a name and no cluster IPs',
      edit: (s) => Object.assign(s.spec, { type: 'ExternalName', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] }),
      want: ['spec.clusterIPs: Forbidden: may not be set for ExternalName services', 'spec.externalName: Required value'],
    },
    {
      name: 'clusterIPs must follow clusterIP',
      edit: (s) => Object.assign(s.spec, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.2'] }),
      want: ['spec.clusterIPs: Invalid value: []string{"10.0.0.2"}: first value must match `clusterIP`'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(SVC, service(c.edit))), c.want));

  it('clusterIP may not change once set', () => {
    const old = stored(service((s) => Object.assign(s.spec, { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] })));
    const n = JSON.parse(JSON.stringify(old));
    Object.assign(n.spec, { clusterIP: '10.96.0.6', clusterIPs: ['10.96.0.6'] });
    assert.deepEqual(texts(validateUpdate(SVC, n, old)), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.6"}: may not change once set']);
  });
});

describe('Endpoints and EndpointSlice', () => {
  it('Endpoints subsets', () => {
    const ep = variant({ metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 0 }] }, {}] }, EP);
    assert.deepEqual(texts(validateCreate(EP, ep)), [
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    ]);
  });
  it('EndpointSlice address type, addresses and ports', () => {
    const es = variant(
      {
        metadata: { name: 'web-abc', namespace: 'default' },
        addressType: 'IPv4',
        endpoints: [{ addresses: [] }, { addresses: ['::1'] }],
        ports: [{ name: 'http', protocol: 'TCP' }, { name: 'http' }],
      },
      ES,
    );
    assert.deepEqual(texts(validateCreate(ES, es)), [
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
      'ports[1].name: Duplicate value: "http"',
    ]);
    assert.deepEqual(texts(validateCreate(ES, { ...es, addressType: 'IPv5' })).slice(0, 1), [
      'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
  });
});

describe('Ingress', () => {
  const ing = (rules: unknown): Any => variant({ metadata: { name: 'web', namespace: 'default' }, spec: { rules } }, ING);
  it('valid', () =>
    assert.deepEqual(
      validateCreate(ING, ing([{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }])),
      [],
    ));
  it('rules or defaultBackend', () =>
    assert.deepEqual(texts(validateCreate(ING, ing(undefined))), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']));
  it('hosts, path types, paths and backends', () =>
    assert.deepEqual(
      texts(
        validateCreate(
          ING,
          ing([
            {
              host: '10.0.0.1',
              http: {
                paths: [
                  { path: '/a', backend: { service: { name: 'web', port: { number: 80 } } } },
                  { path: 'a//b', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80, name: 'http' } } } },
                  { path: '/', pathType: 'Regex', backend: { service: { name: 'Web', port: {} } } },
                ],
              },
            },
          ]),
        ),
      ),
      [
        'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
        'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
        'spec.rules[0].http.paths[1].path: Invalid value: "a//b": must be an absolute path',
        "spec.rules[0].http.paths[1].path: Invalid value: \"a//b\": must not contain '//'",
        'spec.rules[0].http.paths[1].backend: Invalid value: "": cannot set both port name & port number',
        'spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
        "spec.rules[0].http.paths[2].backend.service.name: Invalid value: \"Web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        'spec.rules[0].http.paths[2].backend: Required value: port name or number is required',
      ],
    ));
});
