/**
 * The process runtime, what the conformance suite does not cover about how a spec becomes a process: the exact
 * environment, directories under rootDir (workingDir confined, removed with the container and the sandbox), no
 * shell between the runtime and the program, a spec without a command, a program that cannot be executed, images
 * without a registry, the sandbox IP, and its version.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../../src/base/clock';
import { RuntimeError } from '../../../../../src/kubelet/runtime/errors';
import { PROCESS_RUNTIME_NAME, ProcessRuntime } from '../../../../../src/kubelet/runtime/process/process-runtime';
import { SimRuntime } from '../../../../../src/kubelet/runtime/sim/sim-runtime';
import { IMAGE, NODE, nodeSpec, waitExited, withRig } from './harness';

const T = { timeout: 30_000 };
const PRINT = 'console.log(JSON.stringify({ env: process.env, cwd: process.cwd(), argv: process.argv.slice(1) }))';

const rejection = async (p: Promise<unknown>): Promise<RuntimeError> => {
  const e = await p.then(() => assert.fail('expected a rejection'), (err: unknown) => err);
  assert.ok(e instanceof RuntimeError, String(e));
  return e;
};

describe('process runtime: from spec to process', () => {
  it('names itself kubelab-process and says it runs local processes', () => {
    const v = new ProcessRuntime({ clock: new FakeClock(), rootDir: '/nonexistent' }).version();
    assert.equal(PROCESS_RUNTIME_NAME, 'kubelab-process');
    assert.deepEqual(v, { runtimeName: 'kubelab-process', runtimeVersion: '0.1.0 (local processes)', runtimeApiVersion: 'v1' });
  });

  it('the environment is exactly the spec\'s, plus PATH (the host\'s) and HOME (the container directory) when absent', T, withRig(async (r) => {
    const env = [{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }, { name: 'A', value: '3' }, { name: 'EMPTY', value: '' }];
    const { id } = await r.run(nodeSpec(PRINT, { env }));
    assert.equal((await waitExited(r, id)).exitCode, 0);
    const out = JSON.parse(await r.runtime.logs(id));
    assert.deepEqual(Object.keys(out.env).sort(), ['A', 'B', 'EMPTY', 'HOME', 'PATH']);
    assert.deepEqual([out.env.A, out.env.B, out.env.EMPTY, out.env.PATH], ['3', 'two words', '', process.env.PATH], 'the last A wins');
    assert.equal(out.env.HOME, out.cwd, 'HOME is the container directory, where it starts');
    assert.ok(out.cwd.startsWith(fs.realpathSync(r.rootDir) + path.sep), `${out.cwd} is under rootDir`);

    const own = await r.run(nodeSpec(PRINT, { env: [{ name: 'PATH', value: '/opt/bin' }, { name: 'HOME', value: '/home/app' }] }));
    await waitExited(r, own.id);
    const set = JSON.parse(await r.runtime.logs(own.id));
    assert.deepEqual([set.env.PATH, set.env.HOME, Object.keys(set.env).length], ['/opt/bin', '/home/app', 2], 'values from the spec are kept');
  }));

  it('arguments reach the program as they are: no shell between (no expansion, no word splitting)', T, withRig(async (r) => {
    const { id } = await r.run({ command: [NODE, '-e', PRINT], args: ['$HOME', 'a b', '*', '"q"'] });
    await waitExited(r, id);
    assert.deepEqual(JSON.parse(await r.runtime.logs(id)).argv, ['$HOME', 'a b', '*', '"q"']);
  }));

  it('workingDir is created and resolved inside the container directory; it never escapes rootDir', T, withRig(async (r) => {
    const cases: [string, string[]][] = [
      ['/app/data', ['app', 'data']],
      ['relative/dir', ['relative', 'dir']],
      ['/../../../../etc', ['etc']],
      ['/a/../../b/./c', ['b', 'c']],
      ['/', []],
    ];
    for (const [workingDir, inside] of cases) {
      const { id } = await r.run(nodeSpec(PRINT, { workingDir }));
      assert.equal((await waitExited(r, id)).exitCode, 0, workingDir);
      const out = JSON.parse(await r.runtime.logs(id));
      assert.equal(out.cwd, path.join(out.env.HOME, ...inside), workingDir);
      assert.ok(fs.realpathSync(out.cwd).startsWith(fs.realpathSync(r.rootDir) + path.sep));
    }
  }));

  it('a container\'s directory goes with it; a sandbox\'s with the sandbox', T, withRig(async (r) => {
    const { id, sandboxId } = await r.run(nodeSpec(`require('fs').writeFileSync('f', 'x'); ${PRINT}`));
    await waitExited(r, id);
    const home: string = JSON.parse(await r.runtime.logs(id)).env.HOME;
    assert.ok(fs.existsSync(path.join(home, 'f')));
    await r.runtime.removeContainer(id);
    assert.equal(fs.existsSync(home), false);
    assert.ok(fs.existsSync(path.dirname(home)), 'the sandbox directory stays');
    await r.runtime.removeSandbox(sandboxId);
    assert.equal(fs.existsSync(path.dirname(home)), false);
  }));

  it('a spec without a command cannot run: createContainer rejects with FailedPrecondition saying so', T, withRig(async (r) => {
    await r.runtime.pullImage('nginx:1.27');
    const sb = await r.runtime.createSandbox('uid', { ip: '10.0.0.1' });
    for (const spec of [{ name: 'web', image: 'nginx:1.27' }, { name: 'web', image: 'nginx:1.27', command: [], args: ['-g', 'daemon off;'] }]) {
      const e = await rejection(r.runtime.createContainer(sb, spec));
      assert.equal(e.reason, 'FailedPrecondition');
      assert.match(e.message, /^rpc error: code = FailedPrecondition desc = container "web" has no command/);
      assert.match(e.message, /cannot know the entrypoint of image "nginx:1\.27"/);
      assert.match(e.message, /set command in the container spec$/);
    }
    assert.deepEqual(await r.runtime.listContainers(), []);
  }));

  it('a program that cannot be executed ends as containerd\'s StartError: 128, and start rejects with the message', T, withRig(async (r) => {
    const cases: [string, string][] = [
      ['kubelab-no-such-command', 'exec: "kubelab-no-such-command": executable file not found in $PATH'],
      ['/nonexistent/app', 'exec: "/nonexistent/app": stat /nonexistent/app: no such file or directory'],
    ];
    for (const [command, words] of cases) {
      const { id } = await r.create({ command: [command] });
      const e = await rejection(r.runtime.startContainer(id));
      const expected = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${words}: unknown`;
      assert.equal(e.message, `rpc error: code = Unknown desc = ${expected}`);
      const s = await r.runtime.containerStatus(id);
      assert.deepEqual([s.state, s.exitCode, s.reason, s.message, s.startedAt], ['exited', 128, 'Error', expected, undefined]);
      const mine = r.events.filter((ev) => ev.containerId === id).map((ev) => ev.type);
      assert.deepEqual(mine, ['ContainerCreated', 'ContainerStopped']);
      await assert.rejects(r.runtime.startContainer(id), /not created/);
    }
  }));

  it('images: any valid reference pulls at once (no registry); ids are deterministic and shared with the sim', T, withRig(async (r) => {
    const p = await r.runtime.pullImage('example.com/team/doesnotexist:v1');
    assert.deepEqual([p.imageRef, p.cached], ['example.com/team/doesnotexist:v1', false]);
    assert.ok(p.sizeBytes > 0);
    const again = new ProcessRuntime({ clock: r.clock, rootDir: r.rootDir });
    assert.equal((await again.pullImage('example.com/team/doesnotexist:v1')).imageId, p.imageId);
    const sim = new SimRuntime({ clock: r.clock, pullMs: 0 });
    const simPull = sim.pullImage(IMAGE);
    r.clock.advance(0);
    assert.equal((await simPull).imageId, (await r.runtime.pullImage(IMAGE)).imageId);
    sim.dispose();
    assert.equal((await rejection(r.runtime.pullImage('nope:', 'Always'))).reason, 'InvalidImageName');
    assert.equal((await rejection(r.runtime.pullImage('redis', 'Never'))).reason, 'ErrImageNeverPull');
  }));

  it('a sandbox reports 127.0.0.1 (its ports are loopback ports) and keeps the CNI address in its config', T, withRig(async (r) => {
    const id = await r.runtime.createSandbox('uid', { ip: '10.244.3.4', name: 'web-0', namespace: 'default' });
    const s = await r.runtime.sandboxStatus(id);
    assert.deepEqual([s.ip, s.config.ip, s.state], ['127.0.0.1', '10.244.3.4', 'ready']);
  }));
});
