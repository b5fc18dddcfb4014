/**
 * The process runtime's I/O with real processes: stdout and stderr in one log in arrival order line by line,
 * timestamps from the injected clock (--timestamps), tail, follow, the bounded buffer, and probes making real
 * connections to 127.0.0.1 (an HTTP server written with `node -e`, a closed port, a container not running).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuntimeError } from '../../../../../src/kubelet/runtime/errors';
import { freePort, nodeSpec, sleep, waitExited, waitLog, withRig } from './harness';

const T = { timeout: 30_000 };

const SERVER = `
const http = require('http');
http.createServer((req, res) => {
  console.log(req.method, req.url, req.headers['user-agent']);
  res.statusCode = req.url === '/healthz' ? 200 : req.url === '/broken' ? 503 : 404;
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));`;

const refusedMessage = (port: number) => `dial tcp 127.0.0.1:${port}: connect: connection refused`;

async function refused(p: Promise<unknown>, port: number): Promise<void> {
  const e = await p.then(() => assert.fail('expected ConnectionRefused'), (err: unknown) => err);
  assert.ok(e instanceof RuntimeError, String(e));
  assert.deepEqual([e.reason, e.message], ['ConnectionRefused', refusedMessage(port)]);
}

describe('process runtime: logs and probes', () => {
  it('stdout and stderr interleave in arrival order, line by line (a partial line waits for its end)', T, withRig(async (r) => {
    const script = `
      const later = (ms) => new Promise((ok) => setTimeout(ok, ms));
      (async () => {
        console.log('out 1'); await later(100);
        console.error('err 1'); await later(100);
        process.stdout.write('par'); await later(100);
        console.error('err 2'); await later(100);
        process.stdout.write('tial\\nno newline at the end');
      })();`;
    const { id } = await r.run(nodeSpec(script));
    await waitExited(r, id);
    assert.equal(await r.runtime.logs(id), 'out 1\nerr 1\nerr 2\npartial\nno newline at the end\n');
  }));

  it('--timestamps stamps each line with the clock time of its first byte; tail counts from the end', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(`console.log('a'); setTimeout(() => console.log('b\\nc'), 600)`));
    await waitLog(r, id, 'a\n');
    r.clock.advance(1_234);
    await waitExited(r, id);
    assert.equal(
      await r.runtime.logs(id, { timestamps: true }),
      '2026-01-01T00:00:00.000000000Z a\n2026-01-01T00:00:01.234000000Z b\n2026-01-01T00:00:01.234000000Z c\n',
    );
    assert.equal(await r.runtime.logs(id, { tail: 2 }), 'b\nc\n');
    assert.equal(await r.runtime.logs(id, { tail: 1, timestamps: true }), '2026-01-01T00:00:01.234000000Z c\n');
    assert.equal(await r.runtime.logs(id, { tail: 0 }), '');
    await assert.rejects(r.runtime.logs(id, { tail: -1 }), /invalid tail/);
  }));

  it('follow streams lines as they come, from the tail on, and ends when the program exits', T, withRig(async (r) => {
    const script = `let i = 0; console.log('line ' + i); const t = setInterval(() => { console.log('line ' + ++i); if (i === 4) clearInterval(t); }, 100);`;
    const { id } = await r.run(nodeSpec(script));
    await waitLog(r, id, 'line 1\n');
    const got: string[] = [];
    for await (const line of await r.runtime.logs(id, { follow: true, tail: 1 })) got.push(line);
    assert.deepEqual(got, ['line 1\n', 'line 2\n', 'line 3\n', 'line 4\n']);
    assert.equal((await r.runtime.containerStatus(id)).state, 'exited');
    const again: string[] = [];
    for await (const line of await r.runtime.logs(id, { follow: true, timestamps: true })) again.push(line);
    assert.equal(again.length, 5, 'following an exited container gives what there is and ends');
  }));

  it('the log keeps the last 10,000 lines', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(`let s = ''; for (let i = 0; i < 10050; i++) s += 'line ' + i + '\\n'; process.stdout.write(s);`));
    await waitExited(r, id);
    const lines = (await r.runtime.logs(id)).split('\n').filter(Boolean);
    assert.deepEqual([lines.length, lines[0], lines.at(-1)], [10_000, 'line 50', 'line 10049']);
  }));

  it('probeHttp makes a real GET to 127.0.0.1:<port> and answers the status code; probeTcp connects', T, withRig(async (r) => {
    const port = await freePort();
    const { id } = await r.run(nodeSpec(SERVER, { env: [{ name: 'PORT', value: String(port) }], ports: [{ containerPort: port }] }));
    await waitLog(r, id, 'listening\n');
    assert.equal(await r.runtime.probeHttp(id, port, '/healthz'), 200);
    assert.equal(await r.runtime.probeHttp(id, port, 'healthz'), 200, 'a path without its leading slash');
    assert.equal(await r.runtime.probeHttp(id, port, '/broken'), 503);
    assert.equal(await r.runtime.probeHttp(id, port, '/missing?x=1'), 404);
    await r.runtime.probeTcp(id, port);
    assert.match(await r.runtime.logs(id), /^GET \/healthz kube-probe\/1\.32$/m, 'as the kubelet\'s prober');

    const closed = await freePort();
    await refused(r.runtime.probeHttp(id, closed, '/'), closed);
    await refused(r.runtime.probeTcp(id, closed), closed);

    await r.runtime.stopContainer(id, 5_000);
    assert.deepEqual([(await r.runtime.containerStatus(id)).exitCode], [0]);
    await refused(r.runtime.probeHttp(id, port, '/healthz'), port);
  }));

  it('a container that is not running is refused without a connection, even when something listens on the port', T, withRig(async (r) => {
    const port = await freePort();
    const server = await r.run(nodeSpec(SERVER, { env: [{ name: 'PORT', value: String(port) }] }));
    await waitLog(r, server.id, 'listening\n');
    const other = await r.create(nodeSpec('0'));
    await refused(r.runtime.probeHttp(other.id, port, '/healthz'), port);
    await refused(r.runtime.probeTcp(other.id, port), port);
    await sleep(50);
    assert.ok(!(await r.runtime.logs(server.id)).includes('GET'), 'the server saw no request');
    await assert.rejects(r.runtime.probeTcp('nope', port), (e: unknown) => e instanceof RuntimeError && e.reason === 'NotFound');
  }));
});
