/**
 * The ProxyMode conformance suite (src/proxy/types.ts): every kube-proxy mode — iptables, ipvs, userspace — runs it
 * through a test/conformance/proxy-mode-<mode>.test.ts that calls `proxyModeConformance(name, make)`.
 *
 * It checks only the contract, through sync / backends / ruleCount / render / dispose: which endpoints traffic to a
 * cluster IP or a nodePort reaches (ready ones; serving-terminating ones when none is ready; only this node's with
 * internalTrafficPolicy Local; all of them with ClientIP affinity), that a removed port answers undefined, that bad
 * data is skipped and counted, that a partial sync ends where a full sync of the same state does, and that sync
 * rejects after dispose. No mode's rule text is looked at.
 *
 * Frontends used: cluster IPs, and nodePorts on the node's IP (`node.nodeIP`; the ipvs mode, like upstream, does not
 * answer nodePorts on 127.0.0.1). TCP only. `make` is called afresh for every test and each mode is disposed before
 * the next is made, and nodePorts are drawn at random from 30000–32767 (distinct within a test), so a mode that
 * binds real listeners (userspace binds nodePorts on 127.0.0.1) can run the suite.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { EndpointInfo, ProxyMode, ProxyNode, ProxyState, ServicePortInfo } from '../../src/proxy/types';
import { readyEndpoint, servicePort } from '../helpers/proxy-state';

const NODE: ProxyNode = { nodeName: 'conformance-node', nodeIP: '192.168.0.2', clusterCIDR: '10.244.0.0/16' };
const T = { timeout: 60_000 };

/** Distinct random nodePorts in 30000–32767. */
function nodePorts(n: number): number[] {
  const base = 30000 + Math.floor(Math.random() * (2768 - n));
  return Array.from({ length: n }, (_, i) => base + i);
}

function port(name: string, o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return servicePort('conformance', name, 'http', { clusterIP: '10.96.100.1', ...o });
}

const ready = (ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo => readyEndpoint(ip, { port: 8080, ...o });
const notReady = (ip: string) => ready(ip, { ready: false, serving: false });
const servingTerminating = (ip: string) => ready(ip, { ready: false, serving: true, terminating: true });

class State implements ProxyState {
  services = new Map<string, ServicePortInfo>();
  endpoints = new Map<string, readonly EndpointInfo[]>();
  set(s: ServicePortInfo, eps: readonly EndpointInfo[]): string {
    this.services.set(s.key, s);
    this.endpoints.set(s.key, eps);
    return s.key;
  }
}

export function proxyModeConformance(name: string, make: (node: ProxyNode) => Promise<ProxyMode>): void {
  /** Runs fn with a fresh mode and disposes it afterwards. */
  const withMode = (fn: (m: ProxyMode) => Promise<void>) => async () => {
    const m = await make(NODE);
    try {
      await fn(m);
    } finally {
      await m.dispose();
    }
  };

  describe(`ProxyMode conformance: ${name}`, () => {
    it('programs a cluster IP: ready endpoints, sorted; stats; undefined for what is not programmed', T, withMode(async (m) => {
      const st = new State();
      st.set(port('web'), [ready('10.244.1.3'), ready('10.244.1.12'), ready('10.244.2.2'), notReady('10.244.3.3')]);
      const stats = await m.sync({ state: st });
      assert.deepEqual([stats.services, stats.touched, stats.skipped], [1, 1, 0]);
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), ['10.244.1.12:8080', '10.244.1.3:8080', '10.244.2.2:8080']);
      assert.equal(m.backends('10.96.100.1', 81, 'TCP'), undefined);
      assert.equal(m.backends('10.96.100.2', 80, 'TCP'), undefined);
      assert.ok(m.ruleCount() > 0, 'ruleCount counts what is programmed');
      assert.equal(typeof m.render(), 'string');
    }));

    it('a port without usable endpoints is programmed but leads nowhere ([])', T, withMode(async (m) => {
      const st = new State();
      st.set(port('empty'), []);
      st.set(port('down', { clusterIP: '10.96.100.2' }), [notReady('10.244.1.3')]);
      await m.sync({ state: st });
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), []);
      assert.deepEqual(m.backends('10.96.100.2', 80, 'TCP'), []);
    }));

    it('endpoints that stop being ready drop out after one partial sync', T, withMode(async (m) => {
      const st = new State();
      const key = st.set(port('web'), [ready('10.244.1.3'), ready('10.244.1.4')]);
      await m.sync({ state: st });
      st.set(port('web'), [ready('10.244.1.3'), notReady('10.244.1.4')]);
      const stats = await m.sync({ state: st, changed: new Set([key]) });
      assert.equal(stats.touched, 1);
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), ['10.244.1.3:8080']);
    }));

    it('with no ready endpoint, serving-terminating ones are used (not terminating non-serving ones)', T, withMode(async (m) => {
      const st = new State();
      const key = st.set(port('web'), [servingTerminating('10.244.1.3'), ready('10.244.1.4', { ready: false, serving: false, terminating: true })]);
      await m.sync({ state: st });
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), ['10.244.1.3:8080']);
      st.set(port('web'), [servingTerminating('10.244.1.3'), ready('10.244.1.5')]);
      await m.sync({ state: st, changed: new Set([key]) });
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), ['10.244.1.5:8080'], 'a ready endpoint wins again');
    }));

    it('internalTrafficPolicy Local: only this node’s endpoints, none when it has none', T, withMode(async (m) => {
      const st = new State();
      const eps = [ready('10.244.1.3', { nodeName: NODE.nodeName }), ready('10.244.2.3', { nodeName: 'other-node' }), ready('10.244.3.3')];
      st.set(port('local', { internalPolicyLocal: true }), eps);
      st.set(port('remote', { clusterIP: '10.96.100.2', internalPolicyLocal: true }), [ready('10.244.2.4', { nodeName: 'other-node' })]);
      await m.sync({ state: st });
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), ['10.244.1.3:8080']);
      assert.deepEqual(m.backends('10.96.100.2', 80, 'TCP'), []);
    }));

    it('ClientIP affinity still lists every backend', T, withMode(async (m) => {
      const st = new State();
      st.set(port('sticky', { stickySeconds: 10800 }), [ready('10.244.1.3'), ready('10.244.1.4')]);
      await m.sync({ state: st });
      assert.deepEqual(m.backends('10.96.100.1', 80, 'TCP'), ['10.244.1.3:8080', '10.244.1.4:8080']);
    }));

    it('a NodePort answers on the node IP with the same backends as its cluster IP', T, withMode(async (m) => {
      const [np] = nodePorts(1);
      const st = new State();
      st.set(port('web', { type: 'NodePort', nodePort: np }), [ready('10.244.1.3'), ready('10.244.2.3', { nodeName: 'other-node' })]);
      await m.sync({ state: st });
      assert.deepEqual(m.backends(NODE.nodeIP, np, 'TCP'), ['10.244.1.3:8080', '10.244.2.3:8080']);
      assert.deepEqual(m.backends(NODE.nodeIP, np, 'TCP'), m.backends('10.96.100.1', 80, 'TCP'));
    }));

    it('a removed service answers undefined (cluster IP and nodePort), after a partial or a full sync', T, withMode(async (m) => {
      const [np1, np2] = nodePorts(2);
      const st = new State();
      const a = st.set(port('a', { type: 'NodePort', nodePort: np1 }), [ready('10.244.1.3')]);
      const b = st.set(port('b', { type: 'NodePort', nodePort: np2, clusterIP: '10.96.100.2' }), [ready('10.244.1.4')]);
      await m.sync({ state: st });
      st.services.delete(a);
      await m.sync({ state: st, changed: new Set([a]) });
      assert.equal(m.backends('10.96.100.1', 80, 'TCP'), undefined);
      assert.equal(m.backends(NODE.nodeIP, np1, 'TCP'), undefined);
      assert.deepEqual(m.backends('10.96.100.2', 80, 'TCP'), ['10.244.1.4:8080'], 'its endpoints left behind do not matter');
      st.services.delete(b);
      const stats = await m.sync({ state: st });
      assert.equal(stats.services, 0);
      assert.equal(m.backends('10.96.100.2', 80, 'TCP'), undefined);
      assert.equal(m.backends(NODE.nodeIP, np2, 'TCP'), undefined);
    }));

    it('bad data is skipped and counted, never thrown; the other ports are programmed', T, withMode(async (m) => {
      const st = new State();
      st.set(port('bad', { clusterIP: 'not-an-ip' }), [ready('10.244.1.3')]);
      st.set(port('good', { clusterIP: '10.96.100.2' }), [ready('10.244.1.4')]);
      const stats = await m.sync({ state: st });
      assert.deepEqual([stats.services, stats.skipped], [1, 1]);
      assert.ok(stats.problems.length >= 1);
      assert.deepEqual(m.backends('10.96.100.2', 80, 'TCP'), ['10.244.1.4:8080']);
    }));

    it('a partial sync leaves the mode as a full sync of the same state does', T, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), async (edits) => {
          const ports = nodePorts(SERVICES);
          const st = new State();
          const partial = await make(NODE);
          let seen: Observation;
          try {
            for (const e of edits) {
              const key = apply(st, e, ports);
              await partial.sync({ state: st, changed: new Set([key]) });
            }
            seen = observe(partial, ports);
          } finally {
            await partial.dispose();
          }
          const full = await make(NODE);
          try {
            await full.sync({ state: st });
            assert.deepEqual(seen, observe(full, ports));
          } finally {
            await full.dispose();
          }
        }),
        { numRuns: 30 },
      );
    });

    it('sync rejects after dispose', T, async () => {
      const m = await make(NODE);
      await m.dispose();
      await assert.rejects(m.sync({ state: new State() }));
    });
  });
}

const SERVICES = 4;
const CLUSTER_IPS = ['10.96.100.1', '10.96.100.2', '10.96.100.3', '10.96.100.4'];

const edit = fc.record({
  k: fc.nat(SERVICES - 1),
  remove: fc.boolean(),
  nodePort: fc.boolean(),
  local: fc.boolean(),
  sticky: fc.boolean(),
  eps: fc.array(
    fc.record({
      i: fc.integer({ min: 1, max: 5 }),
      state: fc.constantFrom('ready', 'notReady', 'servingTerminating'),
      onNode: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
});
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function apply(st: State, e: Edit, ports: number[]): string {
  const s = port(`svc${e.k}`, {
    clusterIP: CLUSTER_IPS[e.k],
    type: e.nodePort ? 'NodePort' : 'ClusterIP',
    nodePort: e.nodePort ? ports[e.k] : 0,
    internalPolicyLocal: e.local,
    stickySeconds: e.sticky ? 10800 : undefined,
  });
  if (e.remove) {
    st.services.delete(s.key);
    st.endpoints.delete(s.key);
    return s.key;
  }
  const eps = e.eps.map((x) => {
    const ip = `10.244.${e.k}.${x.i}`;
    const o = { nodeName: x.onNode ? NODE.nodeName : 'other-node' };
    return x.state === 'ready' ? ready(ip, o) : x.state === 'notReady' ? { ...notReady(ip), ...o } : { ...servingTerminating(ip), ...o };
  });
  const unique = [...new Map(eps.map((x) => [x.ip, x])).values()];
  return st.set(s, unique);
}

interface Observation {
  ruleCount: number;
  backends: (readonly string[] | undefined)[];
}

function observe(m: ProxyMode, ports: number[]): Observation {
  const backends = [
    ...CLUSTER_IPS.map((ip) => m.backends(ip, 80, 'TCP')),
    ...ports.map((p) => m.backends(NODE.nodeIP, p, 'TCP')),
  ].map((b) => (b ? [...b] : b));
  return { ruleCount: m.ruleCount(), backends };
}
