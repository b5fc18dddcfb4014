/**
 * Service validation (create, update): DNS-1035 names, ports (names, port and targetPort ranges, protocols,
 * duplicates), node ports, selector labels, session affinity, traffic policies and cluster IPs. The node-port range
 * (30000-32767) is the registry allocator's check, as upstream's, and is not part of these validators.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, texts, variant, type Any, type CreateCase } from './helpers';

const SVC = gvk('', 'Service');
const PORT_NAME_CHARS = 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';

const service = (edit: (s: Any) => void = () => {}): Any =>
  variant({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, SVC, edit);

describe('Service create', () => {
  const cases: CreateCase[] = [
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
      name: 'port 0 (targetPort is defaulted from it)',
      edit: (s) => (s.spec.ports = [{ port: 0 }]),
      want: [`spec.ports[0].port: Invalid value: 0: ${MSG.portRange}`, `spec.ports[0].targetPort: Invalid value: 0: ${MSG.portRange}`],
    },
    {
      name: 'port above 65535',
      edit: (s) => (s.spec.ports = [{ port: 65536, targetPort: 8080 }]),
      want: [`spec.ports[0].port: Invalid value: 65536: ${MSG.portRange}`],
    },
    { name: 'numeric targetPort range', edit: (s) => (s.spec.ports[0].targetPort = 70000), want: [`spec.ports[0].targetPort: Invalid value: 70000: ${MSG.portRange}`] },
    { name: 'named targetPort syntax', edit: (s) => (s.spec.ports[0].targetPort = 'Http_Port'), want: [`spec.ports[0].targetPort: Invalid value: "Http_Port": ${PORT_NAME_CHARS}`] },
    {
      name: 'named targetPort length',
      edit: (s) => (s.spec.ports[0].targetPort = 'a-very-long-port-name'),
      want: ['spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
    },
    {
      name: 'protocol enum',
      edit: (s) => (s.spec.ports[0].protocol = 'HTTP'),
      want: ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    },
    { name: 'port names are DNS-1123 labels', edit: (s) => (s.spec.ports[0].name = 'HTTP'), want: [`spec.ports[0].name: Invalid value: "HTTP": ${MSG.dnsLabel}`] },
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
      name: 'node ports unique per protocol',
      edit: (s) =>
        Object.assign(s.spec, {
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80, nodePort: 30080 },
            { name: 'b', port: 81, nodePort: 30080 },
          ],
        }),
      want: ['spec.ports[1].nodePort: Duplicate value: 30080'],
    },
    {
      name: 'the same node port for TCP and UDP is fine',
      edit: (s) =>
        Object.assign(s.spec, {
          type: 'NodePort',
          ports: [
            { name: 'dns-tcp', port: 53, nodePort: 30053 },
            { name: 'dns-udp', port: 53, protocol: 'UDP', nodePort: 30053 },
          ],
        }),
      want: [],
    },
    { name: 'selector values are label values', edit: (s) => (s.spec.selector = { app: 'a b' }), want: [`spec.selector: Invalid value: "a b": ${MSG.labelValue}`] },
    {
      name: 'ClientIP affinity timeout range',
      edit: (s) => Object.assign(s.spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } }),
      want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400'],
    },
    {
      name: 'healthCheckNodePort only for LoadBalancer with Local traffic',
      edit: (s) => (s.spec.healthCheckNodePort = 30000),
      want: ["spec.healthCheckNodePort: Invalid value: 30000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    },
    {
      name: 'externalTrafficPolicy only for externally-accessible services',
      edit: (s) => (s.spec.externalTrafficPolicy = 'Local'),
      want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    },
    {
      name: 'loadBalancerSourceRanges only for LoadBalancer (upstream spells the path with a capital L)',
      edit: (s) => (s.spec.loadBalancerSourceRanges = ['10.0.0.0/8']),
      want: ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
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
});

describe('Service update', () => {
  const old = stored(service((s) => Object.assign(s.spec, { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })));
  const upd = (edit: (s: Any) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(SVC, n, old));
  };
  it('clusterIP may not change once set', () =>
    assert.deepEqual(
      upd((n) => Object.assign(n.spec, { clusterIP: '10.96.0.6', clusterIPs: ['10.96.0.6'] })),
      ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.6"}: may not change once set'],
    ));
  it('ClusterIP → NodePort with an allocated node port', () =>
    assert.deepEqual(
      upd((n) => {
        n.spec.type = 'NodePort';
        n.spec.externalTrafficPolicy = 'Cluster';
        n.spec.ports[0].nodePort = 30080;
      }),
      [],
    ));
  it('ports are revalidated', () => assert.deepEqual(upd((n) => (n.spec.ports[0].targetPort = 0)), [`spec.ports[0].targetPort: Invalid value: 0: ${MSG.portRange}`]));
});
