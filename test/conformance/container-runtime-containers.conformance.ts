/**
 * The container part of the ContainerRuntime conformance suite (included by ./container-runtime.conformance.ts):
 * lifecycle and states, exit codes and reasons, stop with a grace period, removal, logs (tail, timestamps,
 * follow), lifecycle events, and what stopping or removing a sandbox does to its containers.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerEvent } from '../../src/kubelet/runtime/runtime';
import { createIn, pull, rejectsWithReason, runToExit, shellSpec, T, waitExited, withHarness, type RuntimeFactory } from './container-runtime-assert';

const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

export function containerConformance(factory: RuntimeFactory): void {
  const run = (fn: Parameters<typeof withHarness>[1]) => withHarness(factory, fn);

  describe('containers', () => {
    it('created → running → exited with the program\'s code; Completed for 0, Error otherwise', T, run(async (h) => {
      const { id, sandboxId } = await createIn(h, shellSpec(h, 'main', 'echo hello; exit 3'));
      const created = await h.runtime.containerStatus(id);
      assert.deepEqual([created.state, created.name, created.sandboxId, created.startedAt, created.exitCode], ['created', 'main', sandboxId, undefined, undefined]);
      assert.match(created.imageId, /^sha256:[0-9a-f]{64}$/);
      await h.runtime.startContainer(id);
      const exited = await waitExited(h, id, 5000);
      assert.deepEqual([exited.exitCode, exited.reason], [3, 'Error']);
      assert.ok(exited.startedAt! >= created.createdAt && exited.finishedAt! >= exited.startedAt!);
      assert.equal(await h.runtime.logs(id), 'hello\n');
      const ok = await runToExit(h, shellSpec(h, 'ok', 'true'));
      assert.deepEqual([ok.exitCode, ok.reason, ok.logs], [0, 'Completed', '']);
    }));

    it('sh -c runs ; && || sequences as a shell does', T, run(async (h) => {
      const r = await runToExit(h, shellSpec(h, 'c', 'false || echo fallback; true && echo yes; false && echo no; echo "a  b" \'c\''));
      assert.equal(r.logs, 'fallback\nyes\na  b c\n');
      assert.equal(r.exitCode, 0);
      const last = await runToExit(h, shellSpec(h, 'd', 'echo x && false'));
      assert.equal(last.exitCode, 1, 'the status of the last command');
    }));

    it('the environment reaches the program', T, run(async (h) => {
      const r = await runToExit(h, shellSpec(h, 'env', 'echo "$GREETING, $NAME"', { env: [{ name: 'GREETING', value: 'hi' }, { name: 'NAME', value: 'kube' }] }));
      assert.equal(r.logs, 'hi, kube\n');
    }));

    it('sleep keeps it running for that long', T, run(async (h) => {
      const { id } = await createIn(h, shellSpec(h, 's', 'sleep 2; echo done'));
      await h.runtime.startContainer(id);
      await h.advance(1000);
      assert.equal((await h.runtime.containerStatus(id)).state, 'running');
      const s = await waitExited(h, id, 5000);
      assert.ok(s.finishedAt! - s.startedAt! >= 2000, `ran ${s.finishedAt! - s.startedAt!} ms`);
      assert.equal(await h.runtime.logs(id), 'done\n');
    }));

    it('start is allowed once', T, run(async (h) => {
      const { id } = await createIn(h, shellSpec(h, 'x', 'sleep 10'));
      await h.runtime.startContainer(id);
      await rejectsWithReason(h.runtime.startContainer(id), 'FailedPrecondition');
      await rejectsWithReason(h.runtime.startContainer('nope'), 'NotFound');
    }));

    it('stop: a program that does not exit on SIGTERM is killed at the grace period', T, run(async (h) => {
      const { id } = await createIn(h, shellSpec(h, 'x', 'sleep 3600'));
      await h.runtime.startContainer(id);
      let stopped = false;
      const stop = h.runtime.stopContainer(id, 1000).then(() => (stopped = true));
      await h.advance(1500);
      await stop;
      assert.ok(stopped);
      const s = await h.runtime.containerStatus(id);
      assert.equal(s.state, 'exited');
      assert.ok(s.exitCode === 137 || s.exitCode === 143, `exit code ${s.exitCode}`);
      assert.equal(s.reason, 'Error');
      assert.ok(s.finishedAt! - s.startedAt! < 3_600_000);
    }));

    it('stop with grace 0 or SIGKILL kills at once with 137; stopping a created or exited container does nothing', T, run(async (h) => {
      for (const [grace, signal] of [[0, undefined], [30_000, 'SIGKILL']] as const) {
        const { id } = await createIn(h, shellSpec(h, 'x', 'sleep 3600'));
        await h.runtime.startContainer(id);
        await h.runtime.stopContainer(id, grace, signal);
        const s = await h.runtime.containerStatus(id);
        assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 137, 'Error']);
        await h.runtime.stopContainer(id, 0);
        assert.deepEqual(await h.runtime.containerStatus(id), s, 'a second stop changes nothing');
      }
      const { id } = await createIn(h, shellSpec(h, 'y', 'true'));
      await h.runtime.stopContainer(id, 0);
      assert.equal((await h.runtime.containerStatus(id)).state, 'created');
      await rejectsWithReason(h.runtime.stopContainer('nope', 0), 'NotFound');
    }));

    it('remove: a running container is killed, then gone with its logs; unknown ids are fine', T, run(async (h) => {
      const { id, sandboxId } = await createIn(h, shellSpec(h, 'x', 'echo hi; sleep 3600'));
      await h.runtime.startContainer(id);
      await h.runtime.removeContainer(id);
      await rejectsWithReason(h.runtime.containerStatus(id), 'NotFound');
      await rejectsWithReason(h.runtime.logs(id), 'NotFound');
      assert.deepEqual(await h.runtime.listContainers({ sandboxId }), []);
      await h.runtime.removeContainer(id);
    }));

    it('listContainers lists all, or one sandbox\'s', T, run(async (h) => {
      const a = await createIn(h, shellSpec(h, 'a', 'true'), 'pod-a');
      const b = await createIn(h, shellSpec(h, 'b', 'true'), 'pod-b');
      const all = (await h.runtime.listContainers()).map((c) => c.id).sort();
      assert.deepEqual(all, [a.id, b.id].sort());
      assert.deepEqual((await h.runtime.listContainers({ sandboxId: b.sandboxId })).map((c) => c.name), ['b']);
    }));

    it('logs: tail and RFC3339Nano timestamps', T, run(async (h) => {
      const r = await runToExit(h, shellSpec(h, 'l', 'echo a; echo b; echo c'));
      assert.equal(await h.runtime.logs(r.id, { tail: 2 }), 'b\nc\n');
      assert.equal(await h.runtime.logs(r.id, { tail: 0 }), '');
      const stamped = (await h.runtime.logs(r.id, { timestamps: true })).split('\n').filter(Boolean);
      assert.equal(stamped.length, 3);
      for (const [i, line] of stamped.entries()) {
        assert.match(line, RFC3339_NANO);
        assert.equal(line.replace(RFC3339_NANO, ''), 'abc'[i]);
      }
    }));

    it('logs with follow stream new lines and end when the container exits', T, run(async (h) => {
      const { id } = await createIn(h, shellSpec(h, 'f', 'echo 1; sleep 1; echo 2; sleep 1; echo 3'));
      await h.runtime.startContainer(id);
      const stream = await h.runtime.logs(id, { follow: true });
      const got: string[] = [];
      const reading = (async () => {
        for await (const line of stream) got.push(line);
      })();
      await waitExited(h, id, 5000);
      await reading;
      assert.deepEqual(got, ['1\n', '2\n', '3\n']);
    }));

    it('events: Created, Started, Stopped (with the exit status), Deleted; dispose stops them', T, run(async (h) => {
      await pull(h, h.images.shell);
      const events: ContainerEvent[] = [];
      const sub = h.runtime.onContainerEvent((e) => events.push(e));
      const { id } = await createIn(h, shellSpec(h, 'e', 'exit 2'));
      await h.runtime.startContainer(id);
      await waitExited(h, id, 5000);
      await h.runtime.removeContainer(id);
      const mine = events.filter((e) => e.containerId === id);
      assert.deepEqual(mine.map((e) => e.type), ['ContainerCreated', 'ContainerStarted', 'ContainerStopped', 'ContainerDeleted']);
      assert.deepEqual([mine[2].status?.exitCode, mine[2].status?.reason], [2, 'Error']);
      sub.dispose();
      await createIn(h, shellSpec(h, 'e2', 'true'));
      assert.equal(events.filter((e) => e.containerId !== id).length, 0);
    }));

    it('stopSandbox stops its running containers; removeSandbox removes them', T, run(async (h) => {
      const { id, sandboxId } = await createIn(h, shellSpec(h, 'x', 'sleep 3600'));
      await h.runtime.startContainer(id);
      const other = await createIn(h, shellSpec(h, 'y', 'sleep 3600'), 'pod-2');
      await h.runtime.startContainer(other.id);
      await h.runtime.stopSandbox(sandboxId);
      await h.advance(100);
      assert.equal((await h.runtime.containerStatus(id)).state, 'exited');
      assert.equal((await h.runtime.containerStatus(other.id)).state, 'running', 'other sandboxes are untouched');
      await h.runtime.removeSandbox(sandboxId);
      await rejectsWithReason(h.runtime.containerStatus(id), 'NotFound');
    }));
  });
}
