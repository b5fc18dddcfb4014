/**
 * HostPorts, the loopback port table all nodes' proxies share: real listeners, NodePort keys on their own port,
 * other keys on a stable ephemeral port, shared claims served round-robin, Go-worded bind failures, upstream's
 * port-conflict wording, and release of the last claim closing the listener.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { HostPorts, bindPortOf, clusterKey, nodePortKey } from '../../../../src/proxy/userspace/host-ports';
import { exchange, freePort } from './harness';

const answer = (text: string) => (s: net.Socket) => {
  s.on('error', () => undefined);
  s.end(text);
};

describe('HostPorts', () => {
  it('binds a NodePort key on its own port and any other key on an ephemeral one', () => {
    assert.equal(bindPortOf('nodeport:TCP:30080'), 30080);
    assert.equal(bindPortOf('cluster:TCP:10.96.0.1:443'), 0);
    assert.equal(bindPortOf('nodeport:TCP:x'), 0);
  });

  it('opens a real listener on the first claim, shares it with later claims (round-robin), closes it after the last release', async () => {
    const ports = new HostPorts();
    try {
      const key = clusterKey('TCP', '10.96.0.12', 80);
      const a = await ports.claim(key, answer('a'));
      const b = await ports.claim(key, answer('b'));
      assert.equal(a.port, b.port, 'one listener, one port');
      assert.ok(a.port > 0);
      assert.deepEqual(ports.list(), [{ key, host: '127.0.0.1', port: a.port, claimants: 2 }]);
      const got = [await exchange(a.port), await exchange(a.port), await exchange(a.port), await exchange(a.port)];
      assert.deepEqual(got, ['a', 'b', 'a', 'b']);
      a.release();
      a.release();
      assert.equal(await exchange(a.port), 'b', 'the remaining claimant gets every connection');
      assert.equal(ports.portOf(key), a.port, 'the port stays while claimed');
      b.release();
      assert.deepEqual(ports.list(), []);
      await assert.rejects(exchange(a.port), /ECONNREFUSED/);
    } finally {
      await ports.close();
    }
  });

  it('concurrent first claims share one bind', async () => {
    const ports = new HostPorts();
    try {
      const nodePort = await freePort();
      const [a, b] = await Promise.all([ports.claim(nodePortKey('TCP', nodePort), answer('a')), ports.claim(nodePortKey('TCP', nodePort), answer('b'))]);
      assert.equal(a.port, nodePort);
      assert.equal(b.port, nodePort);
      assert.equal(ports.list()[0].claimants, 2);
    } finally {
      await ports.close();
    }
  });

  it('rejects a bind failure in Go’s words and leaves nothing open', async () => {
    const ports = new HostPorts();
    const squatter = net.createServer();
    const nodePort = await freePort();
    await new Promise<void>((resolve) => squatter.listen(nodePort, '127.0.0.1', resolve));
    try {
      await assert.rejects(ports.claim(nodePortKey('TCP', nodePort), answer('x')), {
        message: `listen tcp 127.0.0.1:${nodePort}: bind: address already in use`,
        code: 'EADDRINUSE',
      });
      assert.deepEqual(ports.list(), []);
    } finally {
      squatter.close();
      await ports.close();
    }
  });

  it('refuses a claim by another owner with upstream’s port-conflict wording', async () => {
    const ports = new HostPorts();
    try {
      const nodePort = await freePort();
      const key = nodePortKey('TCP', nodePort);
      await ports.claim(key, answer('a'), 'default/a');
      await ports.claim(key, answer('a2'), 'default/a');
      await assert.rejects(ports.claim(key, answer('b'), 'default/b'), {
        message: `Port conflict detected on port 127.0.0.1:${nodePort}/TCP.  default/b vs default/a`,
      });
      assert.equal(ports.list()[0].claimants, 2);
    } finally {
      await ports.close();
    }
  });
});
