/** Endpoints, EndpointSlice and Ingress validation with exact messages (Services: services.test.ts). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate } from '../../../../src/apiserver/validation';
import { gvk, texts, variant, type Any } from './helpers';

const EP = gvk('', 'Endpoints');
const ES = gvk('discovery.k8s.io', 'EndpointSlice');
const ING = gvk('networking.k8s.io', 'Ingress');

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
