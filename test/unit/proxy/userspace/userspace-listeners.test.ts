/**
 * The userspace mode's listeners: NodePort bind conflicts are problems (retried on later syncs), two nodes' proxies
 * share one NodePort, partial syncs end where full ones do, bad data is skipped, external and load-balancer IPs get
 * listeners, and dispose closes every listener and connection.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { HostPorts, nodePortKey } from '../../../../src/proxy/userspace/host-ports';
import { UserspaceMode } from '../../../../src/proxy/userspace/userspace-mode';
import { backend, closeAll, ep, exchange, freePort, nameAt, newNetwork, node1, node2, sleep, state, svc, withRig } from './harness';

describe('userspace mode: listeners', () => {
  it('reports a NodePort bind conflict as a problem, keeps the rest, and binds on a later sync once free', async () => {
    const network = newNetwork();
    const ports = new HostPorts();
    const mode = new UserspaceMode(node1, { network, ports });
    const squatter = net.createServer();
    const nodePort = await freePort();
    await new Promise<void>((resolve) => squatter.listen(nodePort, '127.0.0.1', resolve));
    try {
      const st = state([[svc('web', { nodePort }), [ep('10.244.1.5')]]]);
      const stats = await mode.sync({ state: st });
      assert.deepEqual(stats.problems, [`can't open node port for 127.0.0.1:${nodePort}/TCP: listen tcp 127.0.0.1:${nodePort}: bind: address already in use`]);
      assert.equal(stats.services, 1);
      assert.equal(mode.ruleCount(), 1, 'the cluster IP listener is open');
      assert.deepEqual(mode.backends('127.0.0.1', nodePort, 'TCP'), ['10.244.1.5:80'], 'programmed even so');
      assert.match(mode.render(), new RegExp(`nodePort ${nodePort}/TCP\\s+<bind failed>`));
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
      const again = await mode.sync({ state: st, changed: new Set() });
      assert.deepEqual(again.problems, []);
      assert.equal(mode.ruleCount(), 2);
      assert.equal(ports.portOf(nodePortKey('TCP', nodePort)), nodePort);
    } finally {
      squatter.close();
      await mode.dispose();
    }
  });

  it('two nodes’ proxies share one NodePort listener; it closes when the last releases it', async () => {
    const network = newNetwork();
    const ports = new HostPorts();
    const a = new UserspaceMode(node1, { network, ports });
    const b = new UserspaceMode(node2, { network, ports });
    const backends = await Promise.all(['10.244.1.5', '10.244.2.6'].map((ip) => backend(network, ip)));
    const nodePort = await freePort();
    try {
      const st = state([[svc('web', { nodePort }), backends.map((x) => ep(x.ip))]]);
      assert.deepEqual((await a.sync({ state: st })).problems, []);
      assert.deepEqual((await b.sync({ state: st })).problems, []);
      assert.deepEqual(
        ports.list().map((e) => [e.key, e.claimants]),
        [
          ['cluster:TCP:10.96.0.10:80', 2],
          [`nodeport:TCP:${nodePort}`, 2],
        ],
      );
      const names = new Set<string>();
      for (let i = 0; i < 6; i++) names.add(await nameAt(nodePort));
      assert.equal(names.size, 2);
      await a.dispose();
      assert.equal(await nameAt(nodePort).then(() => 'open'), 'open', 'still served by node-2');
      await b.sync({ state: state([]) });
      assert.deepEqual(ports.list(), []);
      await assert.rejects(exchange(nodePort), /ECONNREFUSED/);
    } finally {
      await a.dispose();
      await b.dispose();
      await closeAll(backends);
    }
  });

  it(
    'a partial sync leaves what a full sync of the same state leaves',
    withRig(async ({ mode, backends }) => {
      const nodePort = await freePort();
      const s1 = svc('web', { nodePort });
      const s2 = svc('api', { clusterIP: '10.96.0.11', portName: 'http', stickySeconds: 60 });
      const s3 = svc('dns', { clusterIP: '10.96.0.12', port: 53, protocol: 'UDP' });
      const full = state([
        [s1, [ep(backends[0].ip)]],
        [s2, [ep(backends[1].ip), ep(backends[2].ip)]],
        [s3, [ep(backends[2].ip, { port: 53 })]],
      ]);
      await mode.sync({ state: state([[s1, [ep(backends[1].ip)]]]) });
      await mode.sync({ state: full, changed: new Set([s1.key, s2.key, s3.key]) });
      const partial = { render: mode.render(), count: mode.ruleCount() };
      await mode.sync({ state: full });
      assert.deepEqual({ render: mode.render(), count: mode.ruleCount() }, partial);
      assert.deepEqual(mode.backends('10.96.0.12', 53, 'UDP'), ['10.244.3.7:53']);
      assert.match(mode.render(), /default\/dns\s+10\.96\.0\.12:53\/UDP\s+<none>/, 'UDP is programmed without a listener');
      assert.equal(mode.ruleCount(), 3);
    }),
  );

  it(
    'skips service ports with bad data and counts them',
    withRig(async ({ mode }) => {
      const stats = await mode.sync({ state: state([[svc('bad', { clusterIP: 'None' }), []], [svc('ok', { clusterIP: '10.96.0.30' }), []]]) });
      assert.equal(stats.skipped, 1);
      assert.deepEqual(stats.problems, ['skipping service port "default/bad": invalid cluster IP "None"']);
      assert.equal(stats.services, 1);
    }),
  );

  it('external IPs and load-balancer IPs get listeners of their own, with the external policy', async () => {
    const network = newNetwork();
    const ports = new HostPorts();
    const mode = new UserspaceMode(node1, { network, ports });
    const b = await backend(network, '10.244.1.5');
    try {
      const s = svc('lb', { type: 'LoadBalancer', externalIPs: ['203.0.113.7'], loadBalancerIPs: ['198.51.100.1', '203.0.113.7'] });
      await mode.sync({ state: state([[s, [ep(b.ip)]]]) });
      assert.equal(mode.ruleCount(), 3);
      assert.deepEqual(mode.backends('198.51.100.1', 80, 'TCP'), ['10.244.1.5:80']);
      assert.equal(mode.backends('198.51.100.1', 81, 'TCP'), undefined);
      assert.equal(await nameAt(ports.portOf('external:TCP:203.0.113.7:80')!), '10.244.1.5');
    } finally {
      await mode.dispose();
      await closeAll([b]);
    }
  });

  it('dispose closes every listener and open connection; sync then rejects', async () => {
    const network = newNetwork();
    const ports = new HostPorts();
    const mode = new UserspaceMode(node1, { network, ports });
    const echo = await backend(network, '10.244.1.5', 'echo');
    const nodePort = await freePort();
    try {
      await mode.sync({ state: state([[svc('web', { nodePort }), [ep(echo.ip)]]]) });
      const s = net.connect(nodePort, '127.0.0.1');
      s.on('error', () => undefined);
      s.write('ping');
      await new Promise<void>((resolve) => s.once('data', () => resolve()));
      const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
      await mode.dispose();
      await closed;
      assert.deepEqual(ports.list(), []);
      assert.equal(mode.ruleCount(), 0);
      await assert.rejects(exchange(nodePort), /ECONNREFUSED/);
      await assert.rejects(mode.sync({ state: state([]) }), /disposed/);
      await sleep(10);
      assert.equal(echo.connections, 1);
    } finally {
      await closeAll([echo]);
    }
  });
});
