/**
 * One probe attempt through the runtime, table-driven with the outputs upstream's probers produce (pkg/probe/http,
 * tcp, grpc, exec and the cri-client's exec timeout) — against the SimRuntime, and against a runtime that never
 * answers for the timeouts.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/base/clock';
import { goDuration, probeUrl, runAction, type ActionResult } from '../../../../src/kubelet/prober/probe-action';
import { probeSpecOf, type ContainerLike } from '../../../../src/kubelet/prober/probe-spec';
import type { ContainerRuntime } from '../../../../src/kubelet/runtime/runtime';
import { SimRuntime } from '../../../../src/kubelet/runtime/sim/sim-runtime';

const IP = '10.244.1.5';
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run one readiness probe of `container` against `runtime`, advancing the clock until it settles. */
async function attempt(clock: FakeClock, runtime: ContainerRuntime, container: ContainerLike, containerId: string) {
  const spec = probeSpecOf(container, 'readiness')!;
  let r: ActionResult | undefined;
  const t0 = clock.now();
  void runAction(runtime, clock, { spec, container, containerId, podIP: IP, podDescription: 'web_default(uid-1)' }).then((x) => (r = x));
  await flush();
  for (let i = 0; !r && i < 200; i++) {
    clock.advance(100);
    await flush();
  }
  return { ...r!, error: r!.error?.message, ms: clock.now() - t0 };
}

describe('probe actions against the sim runtime', () => {
  const ports = [{ name: 'web', containerPort: 8080 }, { name: 'grpc', containerPort: 9090 }];
  const cases: [what: string, image: string, env: Record<string, string>, probe: object, want: Partial<Awaited<ReturnType<typeof attempt>>>][] = [
    ['httpGet 200', 'nginx', {}, { httpGet: { port: 80, path: '/' } }, { result: 'success', output: '', ms: 0 }],
    ['httpGet by port name', 'nginx', {}, { httpGet: { port: 'web', path: '/index.html' } }, { result: 'success' }],
    ['httpGet 404', 'nginx', {}, { httpGet: { port: 80, path: '/healthz' } }, { result: 'failure', output: 'HTTP probe failed with statuscode: 404' }],
    ['httpGet 503 (KUBELAB_SIM_HTTP_STATUS)', 'nginx', { KUBELAB_SIM_HTTP_STATUS: '503' }, { httpGet: { port: 80 } }, { result: 'failure', output: 'HTTP probe failed with statuscode: 503' }],
    ['httpGet 301: a warning, counted as success', 'nginx', { KUBELAB_SIM_HTTP_STATUS: '301' }, { httpGet: { port: 80 } }, { result: 'warning', output: 'Probe terminated redirects, Response body: ' }],
    ['httpGet 204 is success', 'nginx', { KUBELAB_SIM_HTTP_STATUS: '204' }, { httpGet: { port: 80 } }, { result: 'success' }],
    ['httpGet 400 is the first failure', 'nginx', { KUBELAB_SIM_HTTP_STATUS: '400' }, { httpGet: { port: 80 } }, { result: 'failure', output: 'HTTP probe failed with statuscode: 400' }],
    ['httpGet nothing listening', 'nginx', {}, { httpGet: { port: 9999, path: 'healthz' } }, { result: 'failure', output: `Get "http://${IP}:9999/healthz": dial tcp ${IP}:9999: connect: connection refused` }],
    ['httpGet https with a host', 'nginx', {}, { httpGet: { port: 9999, scheme: 'HTTPS', host: '10.0.0.9', path: '/x?y=1' } }, { result: 'failure', output: 'Get "https://10.0.0.9:9999/x?y=1": dial tcp 10.0.0.9:9999: connect: connection refused' }],
    ['httpGet unknown port name: an error', 'nginx', {}, { httpGet: { port: 'nope' } }, { result: 'unknown', error: 'strconv.Atoi: parsing "nope": invalid syntax' }],
    ['tcpSocket listening', 'nginx', {}, { tcpSocket: { port: 'web' } }, { result: 'success' }],
    ['tcpSocket refused', 'nginx', {}, { tcpSocket: { port: 5432 } }, { result: 'failure', output: `dial tcp ${IP}:5432: connect: connection refused` }],
    ['grpc serving (the sim: listening on the port)', 'registry.example.com/app', {}, { grpc: { port: 9090 } }, { result: 'success', output: 'service healthy' }],
    ['grpc not listening: the dial blocks until the timeout', 'registry.example.com/app', {}, { grpc: { port: 7070 }, timeoutSeconds: 3 }, { result: 'failure', output: `timeout: failed to connect service "${IP}:7070" within 3s: context deadline exceeded`, ms: 3000 }],
    ['exec success with output', 'busybox', { A: 'x' }, { exec: { command: ['sh', '-c', 'echo ok $A'] } }, { result: 'success', output: 'ok x\n' }],
    ['exec $(VAR) expansion', 'busybox', { A: 'x' }, { exec: { command: ['echo', '$(A)'] } }, { result: 'success', output: 'x\n' }],
    ['exec failure', 'busybox', {}, { exec: { command: ['cat', '/tmp/healthy'] } }, { result: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory\n" }],
    ['exec timeout', 'busybox', {}, { exec: { command: ['sleep', '5'] }, timeoutSeconds: 2 }, { result: 'failure', output: 'command "sleep 5" timed out', ms: 2000 }],
    ['no handler', 'busybox', {}, {}, { result: 'unknown', error: 'missing probe handler for web_default(uid-1):c' }],
  ];
  for (const [what, image, env, probe, want] of cases) {
    it(what, async () => {
      const clock = new FakeClock();
      const runtime = new SimRuntime({ clock, pullMs: 0 });
      const pulled = runtime.pullImage(image);
      clock.advance(0);
      await pulled;
      const sb = await runtime.createSandbox('uid-1', { ip: IP });
      const command = image === 'busybox' ? ['sleep', '3600'] : undefined;
      const id = await runtime.createContainer(sb, { name: 'c', image, command, ports, env: Object.entries(env).map(([name, value]) => ({ name, value })) });
      await runtime.startContainer(id);
      const container: ContainerLike = { name: 'c', ports, env: Object.entries(env).map(([name, value]) => ({ name, value })), readinessProbe: probe };
      const got = await attempt(clock, runtime, container, id);
      assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof typeof got]])), want);
      runtime.dispose();
    });
  }

  it('exec against a container that is not running is an error (upstream: the result is thrown away)', async () => {
    const clock = new FakeClock();
    const runtime = new SimRuntime({ clock, pullMs: 0, preloaded: ['busybox'] });
    const sb = await runtime.createSandbox('uid-1', { ip: IP });
    const id = await runtime.createContainer(sb, { name: 'c', image: 'busybox', command: ['true'] });
    const got = await attempt(clock, runtime, { name: 'c', readinessProbe: { exec: { command: ['true'] } } }, id);
    assert.deepEqual([got.result, got.error], ['unknown', 'rpc error: code = FailedPrecondition desc = failed to exec in container: container is in CONTAINER_CREATED state']);
    runtime.dispose();
  });
});

describe('probe actions: timeouts against a runtime that never answers', () => {
  const hanging = { probeHttp: () => new Promise<number>(() => undefined), probeTcp: () => new Promise<void>(() => undefined), exec: () => new Promise(() => undefined) } as unknown as ContainerRuntime;
  const cases: [object, string][] = [
    [{ httpGet: { port: 80, path: '/healthz' } }, `Get "http://${IP}:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`],
    [{ tcpSocket: { port: 80 } }, `dial tcp ${IP}:80: i/o timeout`],
    [{ exec: { command: ['cat', '/x'] } }, 'command "cat /x" timed out'],
  ];
  for (const [probe, output] of cases) {
    it(output, async () => {
      const clock = new FakeClock();
      const got = await attempt(clock, hanging, { name: 'c', readinessProbe: { ...probe, timeoutSeconds: 4 } }, 'id');
      assert.deepEqual([got.result, got.output, got.ms, clock.pendingTimers()], ['failure', output, 4000, 0]);
    });
  }

  it('a runtime without the optional probe methods: an error, not a failure', async () => {
    const got = await attempt(new FakeClock(), {} as ContainerRuntime, { name: 'c', readinessProbe: { exec: { command: ['true'] } } }, 'id');
    assert.deepEqual([got.result, got.error], ['unknown', 'exec probes are not supported by this container runtime']);
  });
});

describe('probe action formatting', () => {
  it('URLs as Go prints them; durations as time.Duration', () => {
    assert.equal(probeUrl('http', '10.0.0.1', 80, 'healthz'), 'http://10.0.0.1:80/healthz');
    assert.equal(probeUrl('https', 'fd00::1', 443, '/'), 'https://[fd00::1]:443/');
    assert.equal(probeUrl('http', '', 8080, '/'), 'http://:8080/');
    assert.deepEqual([1, 59, 60, 90, 3600, 3725].map(goDuration), ['1s', '59s', '1m0s', '1m30s', '1h0m0s', '1h2m5s']);
  });
});
