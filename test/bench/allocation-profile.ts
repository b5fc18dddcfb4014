/**
 * Optional allocation profile of this process (node:inspector's sampling heap profiler, keeping the samples of
 * objects the GC has already collected, so it shows where memory is allocated, not only what is still live): where
 * the garbage collector's work comes from. `start()` / `stop(name)` write `<dir>/<name>.heapprofile` (Chrome
 * DevTools' Memory tab opens it) and print the top allocating functions on stderr; without a directory both do
 * nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';
import { progress } from './util';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export class AllocationProfiler {
  private session: Session | undefined;

  constructor(private readonly dir: string | undefined) {}

  async start(): Promise<void> {
    if (!this.dir) return;
    const s = new Session();
    s.connect();
    await s.post('HeapProfiler.enable');
    // includeObjectsCollectedBy*: V8 ≥ 11 (Node 20); older ones ignore them and profile live objects only.
    await s.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    this.session = s;
  }

  async stop(name: string): Promise<void> {
    const s = this.session;
    if (!s || !this.dir) return;
    this.session = undefined;
    try {
      const { profile } = (await s.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: HeapNode } };
      mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `${name}.heapprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const self = new Map<string, number>();
      const walk = (n: HeapNode): void => {
        const u = n.callFrame.url;
        const where = u.includes('/src/') ? `src/${u.split('/src/')[1]}` : (u.split('/').pop() ?? '');
        const k = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
        self.set(k, (self.get(k) ?? 0) + n.selfSize);
        n.children.forEach(walk);
      };
      walk(profile.head);
      const total = [...self.values()].reduce((a, b) => a + b, 0);
      progress(`allocation profile written to ${file}: ${(total / 2 ** 20).toFixed(0)} MiB sampled; top allocators:`);
      for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) progress(`  ${(v / 2 ** 20).toFixed(0).padStart(6)} MiB  ${k}`);
    } finally {
      s.disconnect();
    }
  }
}
