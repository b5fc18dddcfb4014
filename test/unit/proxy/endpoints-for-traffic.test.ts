/**
 * CategorizeEndpoints as upstream's pkg/proxy/topology_test.go exercises it (without topology hints): ready first,
 * serving-terminating fallback (independently for Cluster and Local), Local policies restricted to this node.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  categorizeEndpoints,
  endpointsForTraffic,
  externallyAccessible,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from '../../../src/proxy/endpoints-for-traffic';
import type { EndpointInfo } from '../../../src/proxy/types';
import { ep, svc } from './fixtures';

const NODE = 'test-node';
const local = (ip: string, o: Partial<EndpointInfo> = {}) => ep(ip, { nodeName: NODE, ...o });
const remote = (ip: string, o: Partial<EndpointInfo> = {}) => ep(ip, { nodeName: 'other-node', ...o });
const notReady = { ready: false, serving: false, terminating: false };
const servingTerminating = { ready: false, serving: true, terminating: true };
const terminatingNotServing = { ready: false, serving: false, terminating: true };
const ips = (eps: readonly EndpointInfo[]) => eps.map((e) => e.ip);

const cases: {
  name: string;
  svc: ReturnType<typeof svc>;
  eps: EndpointInfo[];
  cluster: string[];
  local: string[];
  all: string[];
  hasAny: boolean;
}[] = [
  {
    name: 'Cluster policy: every ready endpoint',
    svc: svc('ns', 's'),
    eps: [remote('10.0.0.1'), local('10.0.0.2'), remote('10.0.0.3', notReady)],
    cluster: ['10.0.0.1', '10.0.0.2'],
    local: [],
    all: ['10.0.0.1', '10.0.0.2'],
    hasAny: true,
  },
  {
    name: 'Cluster policy: no ready endpoints falls back to serving-terminating ones',
    svc: svc('ns', 's'),
    eps: [remote('10.0.0.1', servingTerminating), remote('10.0.0.2', terminatingNotServing), remote('10.0.0.3', notReady)],
    cluster: ['10.0.0.1'],
    local: [],
    all: ['10.0.0.1'],
    hasAny: true,
  },
  {
    name: 'Cluster policy: nothing usable',
    svc: svc('ns', 's'),
    eps: [remote('10.0.0.1', terminatingNotServing), remote('10.0.0.2', notReady)],
    cluster: [],
    local: [],
    all: [],
    hasAny: false,
  },
  {
    name: 'internalTrafficPolicy Local: only local ready endpoints, no Cluster endpoints for a ClusterIP port',
    svc: svc('ns', 's', { internalPolicyLocal: true }),
    eps: [remote('10.0.0.1'), local('10.0.0.2'), local('10.0.0.3', notReady)],
    cluster: [],
    local: ['10.0.0.2'],
    all: ['10.0.0.2'],
    hasAny: true,
  },
  {
    name: 'internalTrafficPolicy Local: endpoints elsewhere only',
    svc: svc('ns', 's', { internalPolicyLocal: true }),
    eps: [remote('10.0.0.1'), remote('10.0.0.2')],
    cluster: [],
    local: [],
    all: [],
    hasAny: true,
  },
  {
    name: 'internalTrafficPolicy Local: local serving-terminating used although remote ones are ready',
    svc: svc('ns', 's', { internalPolicyLocal: true }),
    eps: [remote('10.0.0.1'), local('10.0.0.2', servingTerminating)],
    cluster: [],
    local: ['10.0.0.2'],
    all: ['10.0.0.2'],
    hasAny: true,
  },
  {
    name: 'externalTrafficPolicy Local: Cluster endpoints kept for short-circuiting, Local ones are this node’s',
    svc: svc('ns', 's', { type: 'NodePort', nodePort: 30001, externalPolicyLocal: true }),
    eps: [remote('10.0.0.1'), local('10.0.0.2')],
    cluster: ['10.0.0.1', '10.0.0.2'],
    local: ['10.0.0.2'],
    all: ['10.0.0.1', '10.0.0.2'],
    hasAny: true,
  },
  {
    name: 'externalTrafficPolicy Local: remote ready, local only serving-terminating → both reachable',
    svc: svc('ns', 's', { type: 'NodePort', nodePort: 30001, externalPolicyLocal: true }),
    eps: [local('10.0.0.9', servingTerminating), remote('10.0.0.1')],
    cluster: ['10.0.0.1'],
    local: ['10.0.0.9'],
    all: ['10.0.0.1', '10.0.0.9'],
    hasAny: true,
  },
  {
    name: 'externalTrafficPolicy Local on a port that is not externally accessible is Cluster',
    svc: svc('ns', 's', { externalPolicyLocal: true }),
    eps: [remote('10.0.0.1'), local('10.0.0.2')],
    cluster: ['10.0.0.1', '10.0.0.2'],
    local: [],
    all: ['10.0.0.1', '10.0.0.2'],
    hasAny: true,
  },
  {
    name: 'both policies Local with a nodePort: Cluster endpoints still computed',
    svc: svc('ns', 's', { type: 'NodePort', nodePort: 30001, externalPolicyLocal: true, internalPolicyLocal: true }),
    eps: [remote('10.0.0.1'), local('10.0.0.2')],
    cluster: ['10.0.0.1', '10.0.0.2'],
    local: ['10.0.0.2'],
    all: ['10.0.0.1', '10.0.0.2'],
    hasAny: true,
  },
];

describe('categorizeEndpoints', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = categorizeEndpoints(c.eps, c.svc, NODE);
      assert.deepEqual(ips(r.cluster), c.cluster, 'cluster');
      assert.deepEqual(ips(r.local), c.local, 'local');
      assert.deepEqual(ips(r.allReachable), c.all, 'allReachable');
      assert.equal(r.hasAnyEndpoints, c.hasAny, 'hasAnyEndpoints');
    });
  }

  it('an endpoint without nodeName is never local', () => {
    const r = categorizeEndpoints([ep('10.0.0.1')], svc('ns', 's', { internalPolicyLocal: true }), NODE);
    assert.deepEqual(r.local, []);
  });
});

describe('service port predicates', () => {
  it('externally accessible through a nodePort, an external IP or a load-balancer IP', () => {
    assert.equal(externallyAccessible(svc('a', 'b')), false);
    assert.equal(externallyAccessible(svc('a', 'b', { nodePort: 30000 })), true);
    assert.equal(externallyAccessible(svc('a', 'b', { externalIPs: ['192.168.99.1'] })), true);
    assert.equal(externallyAccessible(svc('a', 'b', { loadBalancerIPs: ['1.2.3.4'] })), true);
  });

  it('uses Cluster / Local endpoints as upstream serviceport.go says', () => {
    assert.deepEqual([usesClusterEndpoints(svc('a', 'b')), usesLocalEndpoints(svc('a', 'b'))], [true, false]);
    const itpLocal = svc('a', 'b', { internalPolicyLocal: true });
    assert.deepEqual([usesClusterEndpoints(itpLocal), usesLocalEndpoints(itpLocal)], [false, true]);
    const etpLocal = svc('a', 'b', { nodePort: 30000, externalPolicyLocal: true });
    assert.deepEqual([usesClusterEndpoints(etpLocal), usesLocalEndpoints(etpLocal)], [true, true]);
  });
});

describe('endpointsForTraffic', () => {
  it('Local policies with no local endpoint: that traffic gets nothing, the other kind the Cluster endpoints', () => {
    const eps = [remote('10.0.0.1'), remote('10.0.0.2')];
    const etp = endpointsForTraffic(eps, svc('a', 'b', { nodePort: 30000, externalPolicyLocal: true }), NODE);
    assert.deepEqual([ips(etp.internal), ips(etp.external), etp.hasAnyEndpoints], [['10.0.0.1', '10.0.0.2'], [], true]);
    const itp = endpointsForTraffic(eps, svc('a', 'b', { nodePort: 30000, internalPolicyLocal: true }), NODE);
    assert.deepEqual([ips(itp.internal), ips(itp.external)], [[], ['10.0.0.1', '10.0.0.2']]);
  });

  it('no usable endpoint anywhere', () => {
    const r = endpointsForTraffic([remote('10.0.0.1', notReady)], svc('a', 'b'), NODE);
    assert.deepEqual(r, { internal: [], external: [], hasAnyEndpoints: false });
  });
});
