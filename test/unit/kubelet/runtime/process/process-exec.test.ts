/**
 * exec into a process-runtime container (CRI ExecSync, for exec probes): the container's environment and working
 * directory, output and exit code (non-zero resolves), a timeout on the injected clock (DeadlineExceeded, the
 * command killed), the command dying with its container (137), and what cannot be exec'd.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RuntimeError } from '../../../../../src/kubelet/runtime/errors';
import { alive, nodeSpec, waitExited, waitFor, waitLog, withRig } from './harness';

const T = { timeout: 30_000 };
const FOREVER = 'setInterval(() => {}, 1000);';

const rejection = async (p: Promise<unknown>): Promise<RuntimeError> => {
  const e = await p.then(() => assert.fail('expected a rejection'), (err: unknown) => err);
  assert.ok(e instanceof RuntimeError, String(e));
  return e;
};

describe('process runtime: exec', () => {
  it('runs in the container\'s environment and working directory; stdout and stderr together; any exit code resolves', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(FOREVER, { env: [{ name: 'GREETING', value: 'hi' }], workingDir: '/app' }));
    const ok = await r.runtime.exec(id, ['sh', '-c', 'echo "$GREETING from $(basename "$PWD")"; echo oops >&2; exit 3'], 0);
    assert.deepEqual(ok, { exitCode: 3, output: 'hi from app\noops\n' });
    assert.deepEqual(await r.runtime.exec(id, ['true'], 5_000), { exitCode: 0, output: '' });
    assert.equal(r.clock.pendingTimers(), 0, 'the deadline is dropped once it finished');
  }));

  it('a command outliving its timeout (on the clock) is killed and the call rejects DeadlineExceeded', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(FOREVER));
    const pidFile = path.join(r.rootDir, 'exec.pid');
    const p = r.runtime.exec(id, ['sh', '-c', `echo $$ > "${pidFile}"; exec sleep 1000`], 2_000);
    // The shell creates the file before it writes to it: wait for the whole line, never read an empty file as pid 0.
    const pid = await waitFor('the exec to write its pid', () => {
      const m = fs.existsSync(pidFile) && /^(\d+)\n$/.exec(fs.readFileSync(pidFile, 'utf8'));
      return m ? Number(m[1]) : undefined;
    });
    assert.ok(pid > 1 && alive(pid), `the exec's shell ${pid} runs`);
    r.clock.advance(1_999);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(alive(pid), 'still running before the timeout');
    r.clock.advance(1);
    const e = await rejection(p);
    assert.deepEqual(
      [e.reason, e.message],
      ['DeadlineExceeded', 'rpc error: code = DeadlineExceeded desc = failed to exec in container: timeout 2s exceeded: context deadline exceeded'],
    );
    await waitFor('the timed-out command to die', () => !alive(pid), 2000);
    assert.equal((await r.runtime.containerStatus(id)).state, 'running', 'the container itself goes on');
  }));

  it('a command dies with its container: 137; a container that is not running cannot be exec\'d into', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(`console.log('ready'); ${FOREVER}`));
    await waitLog(r, id, 'ready\n');
    const p = r.runtime.exec(id, ['sh', '-c', 'echo started; sleep 1000'], 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await r.runtime.stopContainer(id, 0);
    assert.deepEqual(await p, { exitCode: 137, output: 'started\n' });
    const e = await rejection(r.runtime.exec(id, ['true'], 0));
    assert.deepEqual([e.reason, e.message], ['FailedPrecondition', 'rpc error: code = FailedPrecondition desc = failed to exec in container: container is in CONTAINER_EXITED state']);
    const created = await r.create(nodeSpec('0'));
    assert.match((await rejection(r.runtime.exec(created.id, ['true'], 0))).message, /CONTAINER_CREATED state/);
    assert.equal((await rejection(r.runtime.exec('nope', ['true'], 0))).reason, 'NotFound');
  }));

  it('a command that cannot be executed rejects in containerd\'s words; the container goes on', T, withRig(async (r) => {
    const { id } = await r.run(nodeSpec(FOREVER));
    const e = await rejection(r.runtime.exec(id, ['kubelab-no-such-probe'], 0));
    assert.equal(
      e.message,
      `rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: ` +
        'unable to start container process: exec: "kubelab-no-such-probe": executable file not found in $PATH: unknown',
    );
    assert.equal((await r.runtime.containerStatus(id)).state, 'running');
    await r.runtime.stopContainer(id, 0);
    assert.equal((await waitExited(r, id)).exitCode, 137);
  }));
});
