/**
 * Exec into simulated containers (ContainerRuntime.exec, CRI ExecSync): the container's environment and file system
 * shared with its program, output and exit codes, time on the clock, timeouts, containers that are not running or
 * stop underneath, and a fresh file system for every new container.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../../src/base/clock';
import { RuntimeError } from '../../../../../src/kubelet/runtime/errors';
import type { ContainerSpec } from '../../../../../src/kubelet/runtime/runtime';
import { SimRuntime } from '../../../../../src/kubelet/runtime/sim/sim-runtime';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

async function harness() {
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock, pullMs: 0 });
  const pulled = runtime.pullImage('busybox:1.36');
  clock.advance(0);
  await pulled;
  const sandboxId = await runtime.createSandbox('pod-1', { ip: '10.244.1.5', name: 'p', namespace: 'default', hostname: 'p' });
  const advance = async (ms: number) => {
    for (let done = 0; done < ms; done += 100) {
      clock.advance(Math.min(100, ms - done));
      await flush();
    }
  };
  const start = async (script: string, extra: Partial<ContainerSpec> = {}) => {
    const id = await runtime.createContainer(sandboxId, { name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script], ...extra });
    await runtime.startContainer(id);
    return id;
  };
  /** Exec while letting clock time pass; returns the settled outcome and how long it took. */
  const exec = async (id: string, argv: string[], timeoutMs = 0, maxMs = 60_000) => {
    const t0 = clock.now();
    let outcome: { exitCode: number; output: string } | RuntimeError | undefined;
    runtime.exec(id, argv, timeoutMs).then(
      (r) => (outcome = r),
      (e: RuntimeError) => (outcome = e),
    );
    await flush();
    for (let waited = 0; !outcome && waited < maxMs; waited += 100) await advance(100);
    return { outcome, ms: clock.now() - t0 };
  };
  return { clock, runtime, sandboxId, advance, start, exec };
}

describe('sim runtime: exec', () => {
  it('the classic liveness example: touch, sleep 30, rm — cat succeeds, then fails with busybox\'s words', async () => {
    const h = await harness();
    const id = await h.start('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600');
    await h.advance(5_000);
    assert.deepEqual((await h.exec(id, ['cat', '/tmp/healthy'])).outcome, { exitCode: 0, output: '' });
    await h.advance(26_000);
    assert.deepEqual((await h.exec(id, ['cat', '/tmp/healthy'])).outcome, { exitCode: 1, output: "cat: can't open '/tmp/healthy': No such file or directory\n" });
    h.runtime.dispose();
  });

  it('execs share the container\'s file system and environment, not its log', async () => {
    const h = await harness();
    const id = await h.start('echo started; sleep 3600', { env: [{ name: 'GREETING', value: 'hello' }], workingDir: '/app' });
    assert.deepEqual((await h.exec(id, ['sh', '-c', 'echo $GREETING > greeting; mkdir -p /data; echo out; echo err >&2'])).outcome, { exitCode: 0, output: 'out\nerr\n' });
    assert.deepEqual((await h.exec(id, ['cat', '/app/greeting'])).outcome, { exitCode: 0, output: 'hello\n' });
    assert.deepEqual((await h.exec(id, ['sh', '-c', 'test -d /data && hostname && pwd'])).outcome, { exitCode: 0, output: 'p\n/app\n' });
    assert.equal(await h.runtime.logs(id), 'started\n');
    h.runtime.dispose();
  });

  it('the container\'s program sees what execs wrote (and the other way round)', async () => {
    const h = await harness();
    const id = await h.start('until [ -f /tmp/go ]; do sleep 1; done; echo go; exit 3');
    await h.advance(5_000);
    assert.equal((await h.runtime.containerStatus(id)).state, 'running');
    await h.exec(id, ['touch', '/tmp/go']);
    await h.advance(1_000);
    const s = await h.runtime.containerStatus(id);
    assert.deepEqual([s.state, s.exitCode, await h.runtime.logs(id)], ['exited', 3, 'go\n']);
    h.runtime.dispose();
  });

  it('exit codes, sleeps on the clock, and a binary the sim does not know (exit 0)', async () => {
    const h = await harness();
    const id = await h.start('sleep 3600');
    assert.deepEqual((await h.exec(id, ['sh', '-c', 'exit 4'])).outcome, { exitCode: 4, output: '' });
    const slow = await h.exec(id, ['sh', '-c', 'sleep 2; echo done']);
    assert.deepEqual([slow.outcome, slow.ms], [{ exitCode: 0, output: 'done\n' }, 2000]);
    assert.deepEqual((await h.exec(id, ['/bin/grpc_health_probe', '-addr=:9090'])).outcome, { exitCode: 0, output: '' });
    assert.deepEqual((await h.exec(id, ['sh', '-c', 'redis-cli ping'])).outcome, { exitCode: 127, output: 'sh: redis-cli: not found\n' });
    h.runtime.dispose();
  });

  it('a command running past its timeout is stopped: DeadlineExceeded in containerd\'s words, no timer left', async () => {
    const h = await harness();
    const id = await h.start('sleep 3600');
    const timersBefore = h.clock.pendingTimers();
    const r = await h.exec(id, ['sleep', '5'], 1000);
    assert.ok(r.outcome instanceof RuntimeError);
    assert.deepEqual([r.outcome.reason, r.outcome.message, r.ms], [
      'DeadlineExceeded',
      'rpc error: code = DeadlineExceeded desc = failed to exec in container: timeout 1s exceeded: context deadline exceeded',
      1000,
    ]);
    assert.equal(h.clock.pendingTimers(), timersBefore);
    assert.deepEqual((await h.exec(id, ['true'], 1000)).outcome, { exitCode: 0, output: '' });
    assert.equal(h.clock.pendingTimers(), timersBefore, 'a finished exec clears its deadline');
    h.runtime.dispose();
  });

  it('rejects for a container that is not running, NotFound for an unknown one', async () => {
    const h = await harness();
    const created = await h.runtime.createContainer(h.sandboxId, { name: 'x', image: 'busybox:1.36', command: ['true'] });
    const e1 = (await h.exec(created, ['true'])).outcome as RuntimeError;
    assert.deepEqual([e1.reason, e1.message], ['FailedPrecondition', 'rpc error: code = FailedPrecondition desc = failed to exec in container: container is in CONTAINER_CREATED state']);
    await h.runtime.startContainer(created);
    await h.advance(100);
    const e2 = (await h.exec(created, ['true'])).outcome as RuntimeError;
    assert.match(e2.message, /container is in CONTAINER_EXITED state$/);
    const e3 = (await h.exec('nope', ['true'])).outcome as RuntimeError;
    assert.equal(e3.reason, 'NotFound');
    h.runtime.dispose();
  });

  it('a container that stops under an exec takes the exec with it (137)', async () => {
    const h = await harness();
    const id = await h.start('sleep 3600');
    let outcome: unknown;
    void h.runtime.exec(id, ['sh', '-c', 'echo begun; sleep 60'], 0).then((r) => (outcome = r));
    await h.advance(1_000);
    await h.runtime.stopContainer(id, 0);
    await flush();
    assert.deepEqual(outcome, { exitCode: 137, output: 'begun\n' });
    h.runtime.dispose();
  });

  it('a new container (a restart) starts from a fresh file system', async () => {
    const h = await harness();
    const first = await h.start('echo data > /tmp/state; sleep 3600');
    assert.deepEqual((await h.exec(first, ['cat', '/tmp/state'])).outcome, { exitCode: 0, output: 'data\n' });
    await h.runtime.stopContainer(first, 0);
    const second = await h.start('sleep 3600');
    assert.deepEqual((await h.exec(second, ['cat', '/tmp/state'])).outcome, { exitCode: 1, output: "cat: can't open '/tmp/state': No such file or directory\n" });
    h.runtime.dispose();
  });

  it('the program\'s own redirections keep output out of the log', async () => {
    const h = await harness();
    const id = await h.start('echo hidden > /tmp/x; echo shown; cat /tmp/x; cat /nope 2>/dev/null; sleep 3600');
    await h.advance(100);
    assert.equal(await h.runtime.logs(id), 'shown\nhidden\n');
    h.runtime.dispose();
  });
});
