/**
 * The process runtime's signals and limits with real processes: SIGTERM handled (exit 0) or ignored (SIGKILL at the
 * grace period on the injected clock → 137), dying of a signal (143, 130), the whole process group killed (and what
 * a program leaves behind when it exits), OOMKilled by the memory sampler, and dispose killing everything.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { memoryLimitsSupported } from '../../../../../src/kubelet/runtime/process/memory-sampler';
import { alive, nodeSpec, sleep, waitExited, waitFor, waitLog, withRig } from './harness';

const T = { timeout: 30_000 };
const FOREVER = 'setInterval(() => {}, 1000);';
const hasSetsid = ['/usr/bin/setsid', '/bin/setsid'].some((p) => fs.existsSync(p));

describe('process runtime: signals and limits', () => {
  it('a program that exits on SIGTERM ends Completed with 0 before the grace period', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(`process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('ready'); ${FOREVER}`));
    await waitLog(r, id, 'ready\n');
    await r.runtime.stopContainer(id, 30_000);
    const s = await r.runtime.containerStatus(id);
    assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 0, 'Completed']);
    assert.equal(await r.runtime.logs(id), 'ready\nbye\n');
  }));

  it('a program that ignores SIGTERM is SIGKILLed when the grace period passes on the clock: 137', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(`process.on('SIGTERM', () => console.log('ignored')); console.log('ready'); ${FOREVER}`));
    await waitLog(r, id, 'ready\n');
    let done = false;
    const stop = r.runtime.stopContainer(id, 30_000).then(() => (done = true));
    await waitLog(r, id, 'ignored\n');
    await sleep(300);
    assert.deepEqual([done, (await r.runtime.containerStatus(id)).state], [false, 'running'], 'real time does not end the grace period');
    r.clock.advance(29_999);
    await sleep(100);
    assert.equal(done, false);
    r.clock.advance(1);
    await stop;
    const s = await r.runtime.containerStatus(id);
    assert.deepEqual([s.exitCode, s.reason], [137, 'Error']);
  }));

  it('dying of the stop signal reports 128 + its number: SIGTERM 143, SIGINT 130, SIGQUIT 131', T, withRig(async (r) => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGQUIT', 131]] as const) {
      const { id } = await r.run({ command: ['sleep', '3600'] });
      await r.runtime.stopContainer(id, 30_000, signal);
      const s = await r.runtime.containerStatus(id);
      assert.deepEqual([s.exitCode, s.reason], [code, 'Error'], signal);
      assert.equal(r.clock.pendingTimers(), 0, 'the grace timer is gone once it exited');
    }
  }));

  it('SIGKILL goes to the whole process group: the program\'s children die too', T, withRig(async (r) => {
    const { id } = await r.run({ command: ['sh', '-c', 'sleep 1000 & echo $!; sleep 1000; true'] });
    const child = Number((await waitLog(r, id, '\n')).trim());
    assert.ok(alive(child));
    await r.runtime.stopContainer(id, 0);
    assert.equal((await r.runtime.containerStatus(id)).exitCode, 137);
    await waitFor('the background child to die', () => !alive(child), 2000);
  }));

  it('when the program exits, what it left running dies with it (as a container\'s processes with its PID 1)', T, withRig(async (r) => {
    const { id } = await r.run({ command: ['sh', '-c', 'sleep 1000 & echo $!; exit 4'] });
    const s = await waitExited(r, id, 1500); // well before the drain limit: the leftover held stdout open
    assert.deepEqual([s.exitCode, s.reason], [4, 'Error']);
    const child = Number((await r.runtime.logs(id)).trim());
    await waitFor('the leftover to die', () => !alive(child), 2000);
  }));

  it('output held open by a process that left the group is cut off shortly after the program exits', { ...T, skip: !hasSetsid && 'no setsid here' }, withRig(async (r) => {
    const { id } = await r.run({ command: ['sh', '-c', 'setsid sleep 1000 & echo $!; sleep 0.3'] });
    const escaped = Number((await waitLog(r, id, '\n')).trim());
    try {
      const s = await waitExited(r, id, 5_000);
      assert.deepEqual([s.exitCode, s.reason], [0, 'Completed']);
      assert.ok(alive(escaped), 'a process that made itself a session leader is out of reach of the group kill');
    } finally {
      process.kill(escaped, 'SIGKILL');
    }
  }));

  it('stopContainer on a running container without grace and stopSandbox kill at once; both wait for the exit', T, withRig(async (r) => {
    const a = await r.run({ command: ['sleep', '3600'] });
    const b = await r.run({ command: ['sleep', '3600'] });
    await r.runtime.stopSandbox(a.sandboxId);
    assert.deepEqual([(await r.runtime.containerStatus(a.id)).exitCode, (await r.runtime.containerStatus(b.id)).state], [137, 'running']);
    await r.runtime.stopContainer(b.id, 0, 'SIGTERM');
    assert.equal((await r.runtime.containerStatus(b.id)).exitCode, 137, 'grace 0 means SIGKILL, whatever the signal');
  }));

  it('memory: a program passing its limit is OOMKilled (137), counting its children; one within it is not', { ...T, skip: !memoryLimitsSupported() && 'no /proc here' }, withRig(async (r) => {
    const hog = `const b = Buffer.alloc(256 * 1024 * 1024, 1); console.log(b.length); ${FOREVER}`; // no quotes: it goes through sh below
    const { id } = await r.run(nodeSpec(hog, { resources: { limits: { memory: '128Mi' } } }));
    const s = await waitExited(r, id, 15_000);
    assert.deepEqual([s.exitCode, s.reason], [137, 'OOMKilled']);
    const stopped = r.events.find((e) => e.containerId === id && e.type === 'ContainerStopped');
    assert.equal(stopped?.status?.reason, 'OOMKilled');

    const nested = await r.run({ command: ['sh', '-c', `"${process.execPath}" -e "${hog}"; echo survived`], resources: { limits: { memory: '128Mi' } } });
    const n = await waitExited(r, nested.id, 15_000);
    assert.deepEqual([n.exitCode, n.reason], [137, 'OOMKilled'], 'the child\'s memory counts for the container');
    assert.ok(!(await r.runtime.logs(nested.id)).includes('survived'));

    const fine = await r.run(nodeSpec('setTimeout(() => {}, 800)', { resources: { limits: { memory: '1Gi' } } }));
    const f = await waitExited(r, fine.id);
    assert.deepEqual([f.exitCode, f.reason], [0, 'Completed']);
  }));

  it('dispose kills every process, drops the grace timers and emits nothing more', T, withRig(async (r) => {
    const a = await r.run({ command: ['sh', '-c', 'sleep 1000 & echo $!; sleep 1000; true'] });
    const child = Number((await waitLog(r, a.id, '\n')).trim());
    const b = await r.run(nodeSpec(`process.on('SIGTERM', () => {}); console.log('ready'); ${FOREVER}`));
    await waitLog(r, b.id, 'ready\n');
    void r.runtime.stopContainer(b.id, 30_000);
    await sleep(50);
    assert.equal(r.clock.pendingTimers(), 1);
    const before = r.events.length;
    r.runtime.dispose();
    assert.equal(r.clock.pendingTimers(), 0);
    await waitFor('everything to die', async () => !alive(child) && (await r.runtime.listContainers()).every((c) => c.state === 'exited'), 3000);
    assert.equal(r.events.length, before, 'no events after dispose');
  }));
});
