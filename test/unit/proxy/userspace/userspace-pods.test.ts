/**
 * The userspace mode in front of real runtimes, the way `curl 127.0.0.1:<nodePort>` uses it: sim HTTP-server pods
 * answer their pod names through a NodePort (spread over the pods, a stopped pod's address refused and skipped), and
 * a process-runtime pod's real program answers through one.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { ProcessRuntime } from '../../../../src/kubelet/runtime/process/process-runtime';
import { SimRuntime } from '../../../../src/kubelet/runtime/sim/sim-runtime';
import { HostPorts } from '../../../../src/proxy/userspace/host-ports';
import { UserspaceMode } from '../../../../src/proxy/userspace/userspace-mode';
import { ep, freePort, newNetwork, node1, sleep, state, svc } from './harness';

/** curl -s http://127.0.0.1:<port>/ (a fresh connection each time). */
function curl(port: number, p = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('userspace mode in front of pods', () => {
  it('sim nginx pods answer their names through a NodePort; a stopped pod is skipped', async () => {
    const network = newNetwork();
    const clock = new FakeClock();
    const runtime = new SimRuntime({ clock, network, pullMs: 0 });
    const mode = new UserspaceMode(node1, { network, ports: new HostPorts(), dialTimeoutsMs: [200, 200] });
    try {
      const pulled = runtime.pullImage('nginx:1.27');
      clock.advance(1);
      await pulled;
      const pods: { ip: string; name: string; id: string }[] = [];
      for (const [ip, name] of [['10.244.1.10', 'web-5f8d7-abcde'], ['10.244.2.11', 'web-5f8d7-fghij']]) {
        const sb = await runtime.createSandbox(`uid-${name}`, { ip, name, namespace: 'default' });
        const id = await runtime.createContainer(sb, { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] });
        await runtime.startContainer(id);
        pods.push({ ip, name, id });
      }
      const nodePort = await freePort();
      const st = state([[svc('web', { nodePort }), pods.map((p) => ep(p.ip))]]);
      assert.deepEqual((await mode.sync({ state: st })).problems, []);
      const answers = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const r = await curl(nodePort);
        assert.equal(r.status, 200);
        answers.add(r.body);
      }
      assert.deepEqual([...answers].sort(), ['web-5f8d7-abcde\n', 'web-5f8d7-fghij\n']);
      assert.equal((await curl(nodePort, '/nope')).status, 404, "nginx's static site");
      // The first pod stops; until the endpoint controller says so, the proxy still picks it — the dial is refused
      // and the next endpoint answers.
      await runtime.stopContainer(pods[0].id, 0);
      for (let i = 0; i < 3; i++) assert.equal((await curl(nodePort)).body, 'web-5f8d7-fghij\n');
    } finally {
      await mode.dispose();
      runtime.dispose();
    }
  });

  it('a process-runtime pod’s real program answers through a NodePort', async () => {
    const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-userspace-process-'));
    const network = newNetwork();
    const runtime = new ProcessRuntime({ clock: new FakeClock(), rootDir, network });
    const mode = new UserspaceMode(node1, { network, ports: new HostPorts() });
    try {
      const podPort = await freePort();
      await runtime.pullImage('busybox');
      const sb = await runtime.createSandbox('uid-1', { ip: '10.244.3.5', name: 'hello' });
      const script = `require('http').createServer((q, s) => s.end('hello from pid ' + process.pid + '\\n')).listen(${podPort}, '127.0.0.1')`;
      const id = await runtime.createContainer(sb, { name: 'hello', image: 'busybox', command: [process.execPath, '-e', script], ports: [{ containerPort: podPort }] });
      await runtime.startContainer(id);
      const nodePort = await freePort();
      await mode.sync({ state: state([[svc('hello', { nodePort, port: podPort }), [ep('10.244.3.5', { port: podPort })]]]) });
      let body = '';
      for (let i = 0; i < 200 && !body; i++) body = await curl(nodePort).then((r) => r.body, () => sleep(25).then(() => ''));
      assert.match(body, /^hello from pid \d+\n$/);
    } finally {
      await mode.dispose();
      runtime.dispose();
      fs.rmSync(rootDir, { recursive: true, force: true });
    }
  });
});
