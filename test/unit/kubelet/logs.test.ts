/**
 * The kubelet's containerLogs endpoint with the real SimRuntime on a FakeClock: the query options (tailLines,
 * timestamps, sinceSeconds/sinceTime, limitBytes, follow), the 400s worded as upstream's
 * validateContainerLogStatus (pkg/kubelet/kubelet_pods.go), and current/previous selection through the real
 * PodWorker as the LogSource, as `kubectl logs [--previous]` sees a crash-looping container.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeClock } from '../../../src/base/clock';
import { isStatusError } from '../../../src/api/status';
import { containerLogs, type LogSource } from '../../../src/kubelet/logs';
import type { ContainerStatus } from '../../../src/kubelet/runtime/runtime';
import { SimRuntime } from '../../../src/kubelet/runtime/sim/sim-runtime';
import { makePod, sh, T0, workerHarness, type WorkerHarness } from './pod/harness';

const stamp = (s: number) => new Date(T0 + s * 1000).toISOString().replace('Z', '000000Z');

/** A container of pod "web" that writes a (0 s), b (10 s), c (20 s) and then either sleeps or exits. */
async function echoing(script = 'echo a; sleep 10; echo b; sleep 10; echo c; sleep 3600') {
  const clock = new FakeClock(T0);
  const runtime = new SimRuntime({ clock, pullMs: 0 });
  const pulled = runtime.pullImage('busybox:1.36');
  clock.advance(0);
  await pulled;
  const sb = await runtime.createSandbox('uid-1', { ip: '10.244.1.5', name: 'web', namespace: 'default' });
  const id = await runtime.createContainer(sb, { name: 'app', image: 'busybox:1.36', command: ['sh', '-c', script] });
  await runtime.startContainer(id);
  let status: ContainerStatus = await runtime.containerStatus(id);
  const src: LogSource = { instance: (name, previous) => (name === 'app' && !previous ? status : undefined), waitingOf: () => undefined };
  const logs = async (query: string) => {
    status = await runtime.containerStatus(id);
    return containerLogs(runtime, src, 'web', 'app', new URLSearchParams(query), clock.now());
  };
  return { clock, runtime, logs, dispose: () => runtime.dispose() };
}

async function badRequest(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isStatusError(e), `a StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail('expected a 400');
}

async function collect(it: string | AsyncIterable<string>, onLine?: (n: number) => Promise<void>): Promise<string[]> {
  assert.notEqual(typeof it, 'string', 'follow gives a stream');
  const out: string[] = [];
  for await (const piece of it as AsyncIterable<string>) {
    out.push(piece);
    await onLine?.(out.length);
  }
  return out;
}

describe('containerLogs: query options', () => {
  const cases: [string, string][] = [
    ['', 'a\nb\nc\n'],
    ['tailLines=2', 'b\nc\n'],
    ['tailLines=0', ''],
    ['tailLines=10', 'a\nb\nc\n'],
    ['timestamps=true', `${stamp(0)} a\n${stamp(10)} b\n${stamp(20)} c\n`],
    ['sinceSeconds=10', 'c\n'],
    ['sinceSeconds=20', 'b\nc\n'],
    ['sinceSeconds=15&timestamps=true', `${stamp(10)} b\n${stamp(20)} c\n`],
    [`sinceTime=${encodeURIComponent(new Date(T0 + 10_000).toISOString())}`, 'b\nc\n'],
    ['limitBytes=3', 'a\nb'],
    ['tailLines=2&limitBytes=3', 'b\nc'],
    ['tailLines=1&timestamps=true', `${stamp(20)} c\n`],
    ['previous=false', 'a\nb\nc\n'],
  ];
  for (const [q, want] of cases) {
    it(`?${q} (at 25 s) → ${JSON.stringify(want)}`, async () => {
      const e = await echoing();
      e.clock.advance(25_000);
      assert.equal(await e.logs(q), want);
      e.dispose();
    });
  }

  for (const q of ['tailLines=abc', 'limitBytes=1.5', 'sinceSeconds=x']) {
    it(`?${q} → 400`, async () => {
      const e = await echoing();
      await badRequest(e.logs(q));
      e.dispose();
    });
  }

  it('follow: the lines so far, then each new one, ending when the container exits', async () => {
    const e = await echoing('echo a; sleep 10; echo b; sleep 10; echo c');
    const got = await collect(await e.logs('follow=true'), async () => e.clock.advance(10_000));
    assert.deepEqual(got, ['a\n', 'b\n', 'c\n']);
    e.dispose();
  });

  it('follow with tailLines, timestamps and limitBytes', async () => {
    const e = await echoing('echo a; sleep 10; echo bb; sleep 10; echo cc');
    e.clock.advance(10_000);
    const got = await collect(await e.logs('follow=true&tailLines=1&timestamps=true'), async () => e.clock.advance(10_000));
    assert.deepEqual(got, [`${stamp(10)} bb\n`, `${stamp(20)} cc\n`]);
    const e2 = await echoing('echo aaa; sleep 10; echo bbb; sleep 10; echo ccc');
    const limited = await collect(await e2.logs('follow=true&limitBytes=6'), async () => e2.clock.advance(10_000));
    assert.equal(limited.join(''), 'aaa\nbb');
    e.dispose();
    e2.dispose();
  });
});

describe('containerLogs: the 400s (validateContainerLogStatus)', () => {
  const waiting = (reason: string | undefined): LogSource => ({ instance: () => undefined, waitingOf: () => reason });
  const rt = () => new SimRuntime({ clock: new FakeClock(T0) });
  const q = (s = '') => new URLSearchParams(s);

  it('--previous with no terminated instance', async () => {
    assert.equal(await badRequest(containerLogs(rt(), waiting(undefined), 'web', 'app', q('previous=true'), T0)), 'previous terminated container "app" in pod "web" not found');
  });

  const cases: [string | undefined, string, string?][] = [
    [undefined, 'container "app" in pod "web" is waiting to start: ContainerCreating'],
    ['ContainerCreating', 'container "app" in pod "web" is waiting to start: ContainerCreating'],
    ['PodInitializing', 'container "app" in pod "web" is waiting to start: PodInitializing'],
    ['CreateContainerConfigError', 'container "app" in pod "web" is waiting to start: CreateContainerConfigError'],
    ['ErrImagePull', 'container "app" in pod "web" is waiting to start: image can\'t be pulled'],
    ['ImagePullBackOff', 'container "app" in pod "web" is waiting to start: trying and failing to pull image'],
  ];
  for (const [reason, want, todo] of cases) {
    it(`waiting ${reason ?? '(no reason known)'} → ${want}`, todo ? { todo } : {}, async () => {
      assert.equal(await badRequest(containerLogs(rt(), waiting(reason), 'web', 'app', q(), T0)), want);
    });
  }
});

describe('containerLogs through the PodWorker: current and previous instances', () => {
  let h: WorkerHarness;
  afterEach(() => h?.dispose());
  /** Instances start at 0, 5 (at once), 20 (after 10 s), 45 (after 20 s); each logs "run" and exits 5 s later. */
  const crashing = async () => {
    h = workerHarness();
    const w = await h.start(makePod([sh('app', 'echo run; sleep 5; exit 1')]));
    const logs = (query: string) => containerLogs(h.runtime, w, 'web', 'app', new URLSearchParams(query), h.clock.now());
    return { w, logs };
  };

  it('while an instance runs: logs are its own, --previous the one before', async () => {
    const { logs } = await crashing();
    await h.advance(22_000);
    assert.equal(await logs('timestamps=true'), `${stamp(20)} run\n`);
    assert.equal(await logs('previous=true&timestamps=true'), `${stamp(5)} run\n`);
  });

  it('a pod that ran to completion (Never): logs of the terminated container; no previous', async () => {
    h = workerHarness();
    const w = await h.start(makePod([sh('app', 'echo done')], { restartPolicy: 'Never' }));
    assert.equal(await containerLogs(h.runtime, w, 'web', 'app', new URLSearchParams(), h.clock.now()), 'done\n');
    assert.equal(await badRequest(containerLogs(h.runtime, w, 'web', 'app', new URLSearchParams('previous=true'), h.clock.now())), 'previous terminated container "app" in pod "web" not found');
  });

  it('in CrashLoopBackOff: logs show the instance that just crashed (lastState)', async () => {
    const { logs } = await crashing();
    await h.advance(27_000);
    assert.equal(await logs('timestamps=true'), `${stamp(20)} run\n`);
  });

  it('in CrashLoopBackOff: --previous is lastState.terminated, the instance that just crashed', async () => {
    const { logs } = await crashing();
    await h.advance(27_000);
    assert.equal(await logs('previous=true&timestamps=true'), `${stamp(20)} run\n`);
  });

  it('an image that cannot be pulled: the worker\'s waiting reason reaches the message', async () => {
    h = workerHarness();
    const w = await h.start(makePod([{ name: 'app', image: 'Nginx:1' }]));
    assert.equal(await badRequest(containerLogs(h.runtime, w, 'web', 'app', new URLSearchParams(), h.clock.now())), 'container "app" in pod "web" is waiting to start: InvalidImageName');
  });
});
