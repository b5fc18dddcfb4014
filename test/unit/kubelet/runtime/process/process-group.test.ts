/** Exit codes as containerd reports them, and group signalling of a real process group. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { exitCodeOf, signalGroup } from '../../../../../src/kubelet/runtime/process/process-group';

describe('process group', () => {
  it('exitCodeOf: the program\'s code, or 128 + the signal number', () => {
    const table: [number | null, NodeJS.Signals | null, number][] = [
      [0, null, 0],
      [3, null, 3],
      [255, null, 255],
      [null, 'SIGKILL', 137],
      [null, 'SIGTERM', 143],
      [null, 'SIGINT', 130],
      [null, 'SIGQUIT', 131],
      [null, 'SIGSEGV', 139],
      [null, null, 0],
    ];
    for (const [code, signal, want] of table) assert.equal(exitCodeOf(code, signal), want, `${code} ${signal}`);
  });

  it('signalGroup reaches the leader; false once the group is gone', { skip: process.platform === 'win32' && 'no process groups' }, async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));
    assert.equal(signalGroup(child.pid!, 'SIGTERM'), true);
    assert.equal(await exited, 'SIGTERM');
    assert.equal(signalGroup(child.pid!, 'SIGKILL'), false);
  });
});
