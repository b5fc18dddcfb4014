/**
 * The load bench's live-heap probe reads what is reachable, not what V8 has allocated: a child process that keeps
 * 64 MiB of arrays and drops 256 MiB of garbage shows ~64 MiB more live heap, and the garbage not at all.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { InspectorProbe, inspectorUrl } from '../../helpers/reliability/inspector-probe';
import { waitFor } from '../../helpers/wait';

const MiB = 1024 * 1024;

// Says "ready" once booted, then reads lines on stdin: "keep" retains 64 MiB more, "litter" allocates and drops
// 256 MiB; each answers "done".
const CHILD = `
const kept = [];
require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => {
  // 1,024 arrays of 4,096 doubles: 32 MiB of heap
  const make = () => Array.from({ length: 1024 }, () => Array.from({ length: 4096 }, Math.random));
  if (l === 'keep') for (let i = 0; i < 2; i++) kept.push(make());
  if (l === 'litter') for (let i = 0; i < 8; i++) make();
  process.stdout.write('done\\n');
});
process.stdout.write('ready\\n');`;

describe('InspectorProbe', () => {
  it('liveHeap counts retained memory and not garbage', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const ask = async (line: string) => {
      const n = stdout.split('done').length;
      child.stdin.write(`${line}\n`);
      await waitFor(() => stdout.split('done').length > n, `the child to answer ${line}`, { timeoutMs: 30_000 });
    };
    try {
      // Node opens the inspector before it has booted; an evaluate that early fails inside Node's own modules
      await waitFor(() => inspectorUrl(stderr) !== undefined && stdout.includes('ready'), 'the child to start', { timeoutMs: 10_000 });
      const probe = await InspectorProbe.connect(inspectorUrl(stderr)!);
      try {
        const base = (await probe.liveHeap()).heapUsed;
        await ask('litter');
        const afterLitter = (await probe.liveHeap()).heapUsed;
        await ask('keep');
        const afterKeep = (await probe.liveHeap()).heapUsed;
        assert.ok(afterLitter - base < 8 * MiB, `garbage counted: ${((afterLitter - base) / MiB).toFixed(1)} MiB`);
        const kept = (afterKeep - afterLitter) / MiB;
        assert.ok(kept > 56 && kept < 80, `64 MiB retained, the probe saw ${kept.toFixed(1)} MiB`);
      } finally {
        probe.close();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('finds the URL in what Node prints', () => {
    assert.equal(inspectorUrl('Debugger listening on ws://127.0.0.1:40123/0f8c2a4e-1b2c-4d5e-8f90-123456789abc\nFor help…'), 'ws://127.0.0.1:40123/0f8c2a4e-1b2c-4d5e-8f90-123456789abc');
    assert.equal(inspectorUrl('Starting inspector on 127.0.0.1:0 failed: address already in use'), undefined);
  });
});
