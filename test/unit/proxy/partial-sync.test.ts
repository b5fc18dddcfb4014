/**
 * Property: for the iptables and ipvs modes, any sequence of service / endpoint edits synced one key at a time
 * leaves the mode exactly as a fresh full sync of the final state would (same render text, ruleCount and backends),
 * including clashing cluster IPs and nodePorts, skipped bad ports, endpoints left behind by removed services, and
 * crossings of the iptables large-cluster threshold. ruleCount also equals what render shows (iptables: the nat
 * rules in kube-proxy's chains; ipvs: virtual + real servers).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IptablesMode } from '../../../src/proxy/iptables';
import { IpvsMode } from '../../../src/proxy/ipvs';
import type { EndpointInfo, ProxyMode, Protocol, ServicePortInfo } from '../../../src/proxy/types';
import { NODE, TestState, svc, tableLines } from './fixtures';

const KEYS = 5;
const CLUSTER_IPS = ['172.30.0.1', '172.30.0.2', '172.30.0.3', '172.30.0.4'];
const NODE_PORTS = [30001, 30002, 30003];
const EXTERNAL_IPS = ['192.168.99.1', '192.168.99.2'];

const smallEndpoints = fc.array(
  fc.record({
    ip: fc.integer({ min: 1, max: 6 }).map((i) => `10.180.0.${i}`),
    port: fc.constantFrom(80, 8080),
    ready: fc.boolean(),
    serving: fc.boolean(),
    terminating: fc.boolean(),
    nodeName: fc.constantFrom<string | undefined>(NODE.nodeName, 'other-node', undefined),
  }),
  { maxLength: 5 },
);
const bigEndpoints = fc.integer({ min: 300, max: 700 }).map((n) =>
  Array.from({ length: n }, (_, i): EndpointInfo => ({ ip: `10.181.${i >> 8}.${i & 255}`, port: 80, ready: i % 7 !== 0, serving: true, terminating: i % 7 === 0 })),
);
const endpoints = fc.oneof({ arbitrary: smallEndpoints, weight: 6 }, { arbitrary: bigEndpoints, weight: 2 });

const spec = fc.record({
  type: fc.constantFrom<ServicePortInfo['type']>('ClusterIP', 'NodePort', 'LoadBalancer'),
  protocol: fc.constantFrom<Protocol>('TCP', 'TCP', 'UDP'),
  clusterIP: fc.constantFrom(...CLUSTER_IPS, 'not-an-ip'),
  nodePort: fc.constantFrom(...NODE_PORTS),
  externalIPs: fc.subarray(EXTERNAL_IPS),
  lb: fc.boolean(),
  sourceRanges: fc.subarray(['203.0.113.0/25', '192.168.0.0/24']),
  stickySeconds: fc.constantFrom<number | undefined>(undefined, 10800, 60),
  internalPolicyLocal: fc.boolean(),
  externalPolicyLocal: fc.boolean(),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function service(k: number, s: Spec): ServicePortInfo {
  const external = s.type !== 'ClusterIP';
  return svc(`ns${k}`, `svc${k}`, {
    type: s.type,
    protocol: s.protocol,
    clusterIP: s.clusterIP,
    nodePort: external ? s.nodePort : 0,
    externalIPs: s.externalIPs,
    loadBalancerIPs: s.type === 'LoadBalancer' && s.lb ? ['1.2.3.4'] : [],
    loadBalancerSourceRanges: s.sourceRanges,
    stickySeconds: s.stickySeconds,
    internalPolicyLocal: s.internalPolicyLocal,
    externalPolicyLocal: s.externalPolicyLocal,
    healthCheckNodePort: s.type === 'LoadBalancer' ? 30500 + k : 0,
  });
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), k: fc.nat(KEYS - 1), spec, eps: endpoints }),
  fc.record({ kind: fc.constant('endpoints' as const), k: fc.nat(KEYS - 1), eps: endpoints }),
  fc.record({ kind: fc.constant('remove' as const), k: fc.nat(KEYS - 1), keepEndpoints: fc.boolean() }),
);

/** Every frontend the generated services can have. */
function frontends(): [string, number, Protocol][] {
  const out: [string, number, Protocol][] = [];
  for (const proto of ['TCP', 'UDP'] as Protocol[]) {
    for (const ip of [...CLUSTER_IPS, ...EXTERNAL_IPS, '1.2.3.4']) out.push([ip, 80, proto]);
    for (const np of NODE_PORTS) out.push([NODE.nodeIP, np, proto], ['127.0.0.1', np, proto]);
  }
  return out;
}

async function observe(m: ProxyMode) {
  const text = m.render();
  return { text, rules: m.ruleCount(), backends: frontends().map(([ip, port, proto]) => m.backends(ip, port, proto)) };
}

function property(make: () => ProxyMode, extra?: (m: ProxyMode) => void) {
  return fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
    const st = new TestState();
    const m = make();
    const sortedKey = (k: number) => svc(`ns${k}`, `svc${k}`).key;
    for (const o of ops) {
      const key = sortedKey(o.k);
      if (o.kind === 'set') st.set(service(o.k, o.spec), o.eps);
      else if (o.kind === 'endpoints') st.endpoints.set(key, o.eps);
      else {
        st.services.delete(key);
        if (!o.keepEndpoints) st.endpoints.delete(key);
      }
      await m.sync({ state: st, changed: new Set([key]) });
      extra?.(m);
    }
    const full = make();
    await full.sync({ state: st });
    const [a, b] = [await observe(m), await observe(full)];
    assert.equal(a.text, b.text);
    assert.equal(a.rules, b.rules);
    assert.deepEqual(a.backends, b.backends);
    await m.dispose();
    await full.dispose();
  });
}

describe('partial sync equals full sync', () => {
  it('iptables', async () => {
    const natRules = (m: ProxyMode) => {
      const own = tableLines(m.render(), 'nat').filter((l) => l.startsWith('-A KUBE-'));
      assert.equal(m.ruleCount(), own.length, 'ruleCount counts the nat rules');
    };
    await fc.assert(property(() => new IptablesMode(NODE), natRules), { numRuns: 80 });
  });

  it('iptables, around the large-cluster threshold (1,000 endpoints)', async () => {
    // Two ports with 490–510 endpoints each and a small one: edits cross the threshold back and forth.
    const around = fc.record({ k: fc.nat(2), n: fc.integer({ min: 0, max: 510 }) });
    const prop = fc.asyncProperty(fc.array(around, { minLength: 1, maxLength: 10 }), async (edits) => {
      const st = new TestState();
      const eps = (k: number, n: number) => Array.from({ length: n }, (_, i): EndpointInfo => ({ ip: `10.18${k}.${i >> 8}.${i & 255}`, port: 80, ready: true, serving: true, terminating: false }));
      const keys = [0, 1, 2].map((k) => st.set(svc(`ns${k}`, `svc${k}`, { clusterIP: CLUSTER_IPS[k] }), eps(k, k === 2 ? 1 : 495)));
      const m = new IptablesMode(NODE);
      await m.sync({ state: st });
      m.render();
      for (const e of edits) {
        st.endpoints.set(keys[e.k], eps(e.k, e.k === 2 ? e.n % 20 : 490 + (e.n % 21)));
        await m.sync({ state: st, changed: new Set([keys[e.k]]) });
        const full = new IptablesMode(NODE);
        await full.sync({ state: st });
        assert.equal(m.render(), full.render());
      }
    });
    await fc.assert(prop, { numRuns: 25 });
  });

  it('ipvs', async () => {
    const tableRows = (m: ProxyMode) => {
      const rows = m.render().split('\n').slice(3).filter(Boolean);
      assert.equal(m.ruleCount(), rows.length, 'ruleCount counts virtual and real servers');
    };
    await fc.assert(property(() => new IpvsMode(NODE), tableRows), { numRuns: 80 });
  });
});
