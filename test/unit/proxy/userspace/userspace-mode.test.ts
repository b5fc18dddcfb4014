/**
 * The userspace mode forwarding real TCP on loopback: NodePort and cluster IP listeners reach backends attached to
 * pod IPs, load spreads round-robin, ClientIP affinity sticks, not-ready endpoints drop out after one sync, traffic
 * policies and serving-terminating fallbacks pick the endpoints, and the listener table shows it all.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { HostPorts } from '../../../../src/proxy/userspace/host-ports';
import { UserspaceMode } from '../../../../src/proxy/userspace/userspace-mode';
import { backend, closeAll, clusterPort, ep, exchange, freePort, nameAt, newNetwork, node1, node2, state, svc, until, withRig } from './harness';

describe('userspace mode: forwarding', () => {
  it('a test server behind a NodePort receives the bytes sent, and its reply comes back', async () => {
    const network = newNetwork();
    const ports = new HostPorts();
    const mode = new UserspaceMode(node1, { network, ports });
    const echo = await backend(network, '10.244.1.5', 'echo');
    const nodePort = await freePort();
    try {
      const stats = await mode.sync({ state: state([[svc('web', { nodePort }), [ep('10.244.1.5')]]]) });
      assert.deepEqual(stats, { services: 1, touched: 1, skipped: 0, problems: [] });
      const payload = 'x'.repeat(200_000);
      const reply = await exchange(nodePort, payload);
      assert.equal(reply, payload, 'echoed through the proxy after the client half-closed');
      assert.equal(Buffer.concat(echo.received[0]).toString(), payload);
      assert.deepEqual(mode.backends('127.0.0.1', nodePort, 'TCP'), ['10.244.1.5:80']);
      assert.deepEqual(mode.backends(node1.nodeIP, nodePort, 'TCP'), ['10.244.1.5:80']);
      assert.equal(mode.backends(node2.nodeIP, nodePort, 'TCP'), undefined, "another node's IP is not this proxy's");
    } finally {
      await mode.dispose();
      await closeAll([echo]);
    }
  });

  it(
    'spreads connections round-robin over 3 ready endpoints, through the cluster IP listener',
    withRig(async ({ mode, ports, backends }) => {
      await mode.sync({ state: state([[svc('web'), backends.map((b) => ep(b.ip))]]) });
      const port = clusterPort(ports);
      assert.ok(port > 0);
      const names: string[] = [];
      for (let i = 0; i < 9; i++) names.push(await nameAt(port));
      for (const b of backends) assert.equal(names.filter((n) => n === b.ip).length, 3, `${b.ip} got a third`);
      assert.deepEqual(
        mode.listeners().map((l) => [l.service, l.frontend, l.host, l.port]),
        [['default/web', '10.96.0.10:80/TCP', '127.0.0.1', port]],
      );
      assert.deepEqual(mode.backends('10.96.0.10', 80, 'TCP'), ['10.244.1.5:80', '10.244.2.6:80', '10.244.3.7:80']);
      assert.equal(mode.ruleCount(), 1);
    }),
  );

  it(
    'ClientIP affinity sticks every connection from one client to one endpoint until the timeout',
    withRig(async ({ mode, ports, backends, clock }) => {
      await mode.sync({ state: state([[svc('web', { stickySeconds: 30 }), backends.map((b) => ep(b.ip))]]) });
      const port = clusterPort(ports);
      const first = await nameAt(port);
      for (let i = 0; i < 5; i++) assert.equal(await nameAt(port), first);
      clock.advance(31_000);
      const after = await nameAt(port);
      assert.notEqual(after, first, 'the record expired: the next endpoint in round-robin order');
      assert.match(mode.render(), /ClientIP 30s/);
    }),
  );

  it(
    'an endpoint that goes not-ready takes no new connection after one sync; ready again after the next',
    withRig(async ({ mode, ports, backends }) => {
      const s = svc('web');
      await mode.sync({ state: state([[s, backends.map((b) => ep(b.ip))]]) });
      const port = clusterPort(ports);
      const eps = backends.map((b) => ep(b.ip, { ready: b.ip !== '10.244.2.6' }));
      await mode.sync({ state: state([[s, eps]]), changed: new Set([s.key]) });
      const names = new Set<string>();
      for (let i = 0; i < 8; i++) names.add(await nameAt(port));
      assert.deepEqual([...names].sort(), ['10.244.1.5', '10.244.3.7']);
      assert.equal(port, clusterPort(ports), 'the listener stays while the service port does');
      await mode.sync({ state: state([[s, backends.map((b) => ep(b.ip))]]), changed: new Set([s.key]) });
      for (let i = 0; i < 6; i++) names.add(await nameAt(port));
      assert.equal(names.size, 3);
    }),
  );

  it(
    'uses serving-and-terminating endpoints only when none is ready',
    withRig(async ({ mode }) => {
      const s = svc('web');
      await mode.sync({ state: state([[s, [ep('10.244.1.5', { ready: false, serving: true, terminating: true }), ep('10.244.2.6', { ready: false, serving: false })]]]) });
      assert.deepEqual(mode.backends('10.96.0.10', 80, 'TCP'), ['10.244.1.5:80']);
      await mode.sync({ state: state([[s, [ep('10.244.1.5', { ready: false, serving: true, terminating: true }), ep('10.244.3.7')]]]) });
      assert.deepEqual(mode.backends('10.96.0.10', 80, 'TCP'), ['10.244.3.7:80']);
    }),
  );

  it(
    'Local traffic policies use only this node’s endpoints (external for NodePort, internal for the cluster IP)',
    withRig(async ({ mode }) => {
      const nodePort = await freePort();
      const eps = [ep('10.244.1.5', { nodeName: 'node-1' }), ep('10.244.2.6', { nodeName: 'node-2' })];
      await mode.sync({ state: state([[svc('web', { nodePort, externalPolicyLocal: true }), eps]]) });
      assert.deepEqual(mode.backends('127.0.0.1', nodePort, 'TCP'), ['10.244.1.5:80']);
      assert.deepEqual(mode.backends('10.96.0.10', 80, 'TCP'), ['10.244.1.5:80', '10.244.2.6:80']);
      assert.equal(await nameAt(nodePort), '10.244.1.5');
      await mode.sync({ state: state([[svc('web', { internalPolicyLocal: true }), [ep('10.244.2.6', { nodeName: 'node-2' })]]]) });
      assert.deepEqual(mode.backends('10.96.0.10', 80, 'TCP'), [], 'programmed, but rejects');
      assert.equal(mode.backends('127.0.0.1', nodePort, 'TCP'), undefined, 'the NodePort is gone with the type change');
    }),
  );

  it(
    'without usable endpoints the connection is closed; a failed dial tries the next endpoint',
    withRig(async ({ mode, ports, network, backends }) => {
      const s = svc('web');
      await mode.sync({ state: state([[s, []]]) });
      const port = clusterPort(ports);
      assert.equal(await exchange(port, 'GET / HTTP/1.0\r\n\r\n'), '', 'closed with nothing said');
      assert.deepEqual(mode.backends('10.96.0.10', 80, 'TCP'), []);
      // 10.244.9.9 is attached to nothing: every connection dialing it moves on to the live one.
      await mode.sync({ state: state([[s, [ep('10.244.9.9'), ep(backends[0].ip)]]]) });
      assert.equal(network.has('10.244.9.9', 80), false);
      for (let i = 0; i < 4; i++) assert.equal(await nameAt(port), backends[0].ip);
    }),
  );

  it(
    'counts active connections and shows the listener table',
    withRig(async ({ mode, ports, network }) => {
      const echo = await backend(network, '10.244.4.4', 'echo');
      try {
        await mode.sync({ state: state([[svc('echo', { clusterIP: '10.96.0.20', portName: 'tcp', protocol: 'TCP' }), [ep(echo.ip)]]]) });
        const port = clusterPort(ports, '10.96.0.20');
        const s = net.connect(port, '127.0.0.1');
        await new Promise<void>((resolve) => s.once('connect', () => resolve()));
        s.write('hi');
        await new Promise<void>((resolve) => s.once('data', () => resolve()));
        assert.equal(mode.activeConnections(), 1);
        const table = mode.render();
        assert.match(table, /^# userspace proxy on node node-1: 1 listener, 1 active connection\n/);
        assert.match(table, new RegExp(`default/echo:tcp\\s+10\\.96\\.0\\.20:80/TCP\\s+127\\.0\\.0\\.1:${port}\\s+None\\s+10\\.244\\.4\\.4:80\\n`));
        s.destroy();
        await until('the connection to close', () => mode.activeConnections() === 0);
      } finally {
        await closeAll([echo]);
      }
    }),
  );
});
