/**
 * The sim runtime's real HTTP listener: a sim nginx pod answers its pod name through the pod network, statuses follow
 * ./behaviour, keep-alive works, non-HTTP applications that listen answer too, interpreted commands listen nowhere,
 * and stopping, removing or disposing detaches. Also the process runtime's attachment of declared containerPorts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../../src/base/clock';
import { PodNetwork } from '../../../../../src/addons/cni/pod-network';
import { ProcessRuntime } from '../../../../../src/kubelet/runtime/process/process-runtime';
import type { ContainerSpec } from '../../../../../src/kubelet/runtime/runtime';
import { SimHttpListener } from '../../../../../src/kubelet/runtime/sim/http-listener';
import { behaviourOf } from '../../../../../src/kubelet/runtime/sim/behaviour';
import { SimRuntime } from '../../../../../src/kubelet/runtime/sim/sim-runtime';

interface Reply {
  status: number;
  body: string;
  raw: string;
}

/** Sends raw HTTP/1.1 requests on one connection and parses each response (Content-Length framed). */
async function http(network: PodNetwork, ip: string, port: number, paths: string[], method = 'GET'): Promise<Reply[]> {
  const s = await network.connect(ip, port, { sourceIP: '10.244.9.9', sourcePort: 50000 });
  const replies: Reply[] = [];
  let buf = '';
  return new Promise<Reply[]>((resolve, reject) => {
    const sendNext = () => {
      const p = paths[replies.length];
      const last = replies.length === paths.length - 1;
      s.write(`${method} ${p} HTTP/1.1\r\nHost: ${ip}\r\n${last ? 'Connection: close\r\n' : ''}\r\n`);
    };
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      for (;;) {
        const headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buf.slice(0, headEnd);
        const len = method === 'HEAD' ? 0 : Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < headEnd + 4 + len) return;
        replies.push({ status: Number(head.split(' ')[1]), body: buf.slice(headEnd + 4, headEnd + 4 + len), raw: head });
        buf = buf.slice(headEnd + 4 + len);
        if (replies.length < paths.length) sendNext();
      }
    });
    s.on('close', () => resolve(replies));
    s.on('error', reject);
    sendNext();
  });
}

const spec = (o: Partial<ContainerSpec>): ContainerSpec => ({ name: 'c', image: 'nginx', ...o });

async function simPod(runtime: SimRuntime, ip: string, name: string, s: ContainerSpec): Promise<{ sandboxId: string; id: string }> {
  const pulled = runtime.pullImage(s.image);
  clocks.get(runtime)?.advance(1);
  await pulled;
  const sandboxId = await runtime.createSandbox(`uid-${name}`, { ip, name, namespace: 'default' });
  const id = await runtime.createContainer(sandboxId, s);
  await runtime.startContainer(id);
  return { sandboxId, id };
}

const clocks = new WeakMap<SimRuntime, FakeClock>();

const withSim = (fn: (r: { runtime: SimRuntime; network: PodNetwork; clock: FakeClock }) => Promise<void>) => async () => {
  const network = new PodNetwork();
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock, network, pullMs: 0 });
  clocks.set(runtime, clock);
  try {
    await fn({ runtime, network, clock });
  } finally {
    runtime.dispose();
  }
};

describe('sim runtime: the real HTTP listener', () => {
  it(
    'a sim nginx pod answers its pod name via network.connect, on port 80 and its declared ports',
    withSim(async ({ runtime, network }) => {
      await simPod(runtime, '10.244.1.5', 'web-7d4b9-x2x8k', spec({ ports: [{ containerPort: 8080 }] }));
      assert.deepEqual(network.list(), ['10.244.1.5:80', '10.244.1.5:8080']);
      const [r] = await http(network, '10.244.1.5', 80, ['/']);
      assert.equal(r.status, 200);
      assert.equal(r.body, 'web-7d4b9-x2x8k\n');
      assert.match(r.raw, /content-type: text\/plain; charset=utf-8/i);
      assert.equal((await http(network, '10.244.1.5', 8080, ['/index.html']))[0].body, 'web-7d4b9-x2x8k\n');
    }),
  );

  it(
    'statuses follow ./behaviour: nginx’s 404 off / and /index.html (the body still names the pod), KUBELAB_SIM_HTTP_STATUS, HEAD',
    withSim(async ({ runtime, network }) => {
      await simPod(runtime, '10.244.1.5', 'web-a', spec({}));
      await simPod(runtime, '10.244.1.6', 'echo-b', spec({ image: 'hashicorp/http-echo' }));
      await simPod(runtime, '10.244.1.7', 'sad-c', spec({ env: [{ name: 'KUBELAB_SIM_HTTP_STATUS', value: '503' }] }));
      const replies = await http(network, '10.244.1.5', 80, ['/', '/missing', '/index.html?x=1']);
      assert.deepEqual(
        replies.map((r) => [r.status, r.body]),
        [
          [200, 'web-a\n'],
          [404, 'web-a\n'],
          [200, 'web-a\n'],
        ],
        'three requests on one keep-alive connection',
      );
      assert.equal((await http(network, '10.244.1.6', 80, ['/anything']))[0].status, 200);
      assert.equal((await http(network, '10.244.1.7', 80, ['/']))[0].status, 503);
      const [head] = await http(network, '10.244.1.5', 80, ['/'], 'HEAD');
      assert.equal(head.status, 200);
    }),
  );

  it(
    'an application the sim cannot interpret listens on its declared ports and answers HTTP; interpreted commands listen nowhere',
    withSim(async ({ runtime, network }) => {
      await simPod(runtime, '10.244.2.1', 'redis-0', spec({ image: 'redis:7', ports: [{ containerPort: 6379 }, { containerPort: 53, protocol: 'UDP' }] }));
      await simPod(runtime, '10.244.2.2', 'sleeper', spec({ image: 'busybox', command: ['sleep', '3600'], ports: [{ containerPort: 80 }] }));
      assert.deepEqual(network.list(), ['10.244.2.1:6379']);
      assert.equal((await http(network, '10.244.2.1', 6379, ['/']))[0].body, 'redis-0\n');
    }),
  );

  it(
    'stopping the container detaches it and closes its open connections; removal and dispose detach too',
    withSim(async ({ runtime, network, clock }) => {
      const a = await simPod(runtime, '10.244.3.1', 'a', spec({}));
      const b = await simPod(runtime, '10.244.3.2', 'b', spec({}));
      const open = await network.connect('10.244.3.1', 80);
      open.on('error', () => undefined);
      open.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
      await new Promise<void>((resolve) => open.once('data', () => resolve()));
      const closed = new Promise<void>((resolve) => open.once('close', () => resolve()));
      const stopping = runtime.stopContainer(a.id, 30_000);
      clock.advance(200); // nginx exits on SIGTERM after the default 100 ms
      await stopping;
      await closed;
      await assert.rejects(network.connect('10.244.3.1', 80), { code: 'ECONNREFUSED' });
      assert.deepEqual(network.list(), ['10.244.3.2:80']);
      await runtime.removeSandbox(b.sandboxId);
      assert.deepEqual(network.list(), []);
      await simPod(runtime, '10.244.3.3', 'c', spec({}));
      runtime.dispose();
      assert.deepEqual(network.list(), []);
    }),
  );

  it('closes a connection whose PROXY header is missing or names an address nothing is attached to', async () => {
    const listener = new SimHttpListener();
    const network = new PodNetwork();
    try {
      listener.attach(network, '10.244.4.1', 80, { name: 'x', behaviour: behaviourOf(spec({})) });
      await network.connect('10.244.4.1', 80).then((s) => s.destroy());
      const addr = listener.address()!;
      for (const header of ['GET / HTTP/1.1\r\n\r\n', 'PROXY TCP4 1.2.3.4 10.244.4.2 1 80\r\nGET / HTTP/1.1\r\n\r\n']) {
        const got = await new Promise<string>((resolve) => {
          const s = net.connect(addr.port, addr.host);
          let out = '';
          s.on('data', (d: Buffer) => (out += d.toString()));
          s.on('close', () => resolve(out));
          s.on('error', () => undefined);
          s.write(header);
        });
        assert.equal(got, '', JSON.stringify(header));
      }
    } finally {
      await listener.close();
    }
  });
});

describe('process runtime: declared containerPorts on the pod network', () => {
  it('attaches podIP:port → 127.0.0.1:port while the process runs', async () => {
    const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-process-net-'));
    const network = new PodNetwork();
    const runtime = new ProcessRuntime({ clock: new FakeClock(), rootDir, network });
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    try {
      await runtime.pullImage('busybox');
      const sandboxId = await runtime.createSandbox('uid-1', { ip: '10.244.5.1', name: 'srv' });
      const script = `require('net').createServer((s) => s.end('real process\\n')).listen(${port}, '127.0.0.1')`;
      const id = await runtime.createContainer(sandboxId, { name: 'srv', image: 'busybox', command: [process.execPath, '-e', script], ports: [{ containerPort: port }] });
      await runtime.startContainer(id);
      assert.deepEqual(network.list(), [`10.244.5.1:${port}`]);
      let text = '';
      for (let i = 0; i < 200 && !text; i++) {
        text = await network.connect('10.244.5.1', port).then(
          (s) => new Promise<string>((resolve) => {
            let out = '';
            s.on('data', (d: Buffer) => (out += d.toString()));
            s.on('close', () => resolve(out));
          }),
          () => new Promise<string>((resolve) => setTimeout(() => resolve(''), 25)),
        );
      }
      assert.equal(text, 'real process\n');
      await runtime.stopContainer(id, 0);
      assert.deepEqual(network.list(), []);
    } finally {
      runtime.dispose();
      fs.rmSync(rootDir, { recursive: true, force: true });
    }
  });
});
