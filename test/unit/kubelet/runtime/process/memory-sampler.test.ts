/** The memory sampler: VmRSS parsing, the sampling loop on a fake tree reader, and the real /proc tree walk. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { MemorySampler, memoryLimitsSupported, parseVmRss, procTreeRss } from '../../../../../src/kubelet/runtime/process/memory-sampler';

describe('memory sampler', () => {
  it('parseVmRss reads kB as bytes; a zombie (no VmRSS) is 0', () => {
    assert.equal(parseVmRss('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 1 kB\n'), 51200 * 1024);
    assert.equal(parseVmRss('Name:\tsh\nState:\tZ (zombie)\n'), 0);
  });

  it('calls onExceeded once when the tree passes its limit, not at the limit; unwatching stops the timer', async () => {
    const rss = new Map<number, number | undefined>([[1, 100], [2, 100], [3, undefined]]);
    const sampler = new MemorySampler(10_000, async (pid) => rss.get(pid));
    const over: [number, number][] = [];
    const stop1 = sampler.watch(1, 100, (b) => over.push([1, b]));
    sampler.watch(2, 150, (b) => over.push([2, b]));
    sampler.watch(3, 1, (b) => over.push([3, b]));
    await sampler.sample();
    assert.deepEqual(over, []);
    rss.set(1, 101).set(2, 151);
    await sampler.sample();
    await sampler.sample();
    assert.deepEqual(over.sort(), [[1, 101], [2, 151]]);
    stop1();
    sampler.dispose();
    rss.set(3, 5);
    await sampler.sample();
    assert.equal(over.length, 2, 'nothing is watched after dispose');
  });

  it('procTreeRss sums the process and its descendants; undefined for a pid that is gone', { skip: !memoryLimitsSupported() && 'no /proc here' }, async () => {
    const own = await procTreeRss(process.pid);
    assert.ok(own !== undefined && own > 10 * 1024 * 1024, `own RSS ${own}`);
    const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); console.log(b.length); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    try {
      const withChild = await procTreeRss(process.pid);
      assert.ok(withChild! > own + 64 * 1024 * 1024, `${withChild} should exceed ${own} by the child's 64 MiB`);
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await procTreeRss(2 ** 22 + 7), undefined);
  });
});
