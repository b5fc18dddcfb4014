/**
 * Memory limits for the process runtime, where the OS allows: on Linux, every `intervalMs` (default 250 ms, real
 * time) the resident memory of each watched program's process tree is sampled — VmRSS from /proc/<pid>/status of
 * the program and of every descendant found through /proc/<pid>/task/<tid>/children — and when the sum passes the
 * limit, onExceeded is called once (the runtime then SIGKILLs the group: OOMKilled, exit 137).
 *
 * Limits of the method, unlike the kernel's cgroup accounting: memory allocated and freed between two samples is
 * never seen; pages shared between processes of the tree count once per process; page cache is not counted.
 * Elsewhere (macOS, Windows, or a Linux without /proc) nothing is sampled and limits are not enforced
 * (memoryLimitsSupported() says which). One sampler serves every container of a runtime; it holds a timer only
 * while something is watched, and never keeps the Node process alive.
 */
import { promises as fs } from 'node:fs';
import { existsSync } from 'node:fs';

export const DEFAULT_SAMPLE_INTERVAL_MS = 250;

/** Sum of VmRSS (bytes) over pid and its descendants; undefined when pid itself is gone. */
export type TreeRss = (pid: number) => Promise<number | undefined>;

export const memoryLimitsSupported = (): boolean => process.platform === 'linux' && existsSync('/proc/self/status');

interface Watch {
  pid: number;
  limitBytes: number;
  onExceeded: (rssBytes: number) => void;
}

export class MemorySampler {
  private readonly watches = new Set<Watch>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly intervalMs = DEFAULT_SAMPLE_INTERVAL_MS,
    private readonly treeRss: TreeRss = procTreeRss,
  ) {}

  /** Watch pid's tree against limitBytes; the returned function stops watching. */
  watch(pid: number, limitBytes: number, onExceeded: (rssBytes: number) => void): () => void {
    const w: Watch = { pid, limitBytes, onExceeded };
    this.watches.add(w);
    if (!this.timer) {
      this.timer = setInterval(() => void this.sample(), this.intervalMs);
      this.timer.unref();
    }
    return () => this.unwatch(w);
  }

  dispose(): void {
    this.watches.clear();
    this.stopTimer();
  }

  /** One round over every watch (also what the timer runs); rounds never overlap. */
  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.all(
        [...this.watches].map(async (w) => {
          const rss = await this.treeRss(w.pid).catch(() => undefined);
          if (rss === undefined || rss <= w.limitBytes || !this.watches.has(w)) return;
          this.unwatch(w);
          w.onExceeded(rss);
        }),
      );
    } finally {
      this.busy = false;
    }
  }

  private unwatch(w: Watch): void {
    this.watches.delete(w);
    if (!this.watches.size) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** VmRSS in bytes from the text of /proc/<pid>/status (0 when absent, as for a zombie). */
export function parseVmRss(status: string): number {
  const m = /^VmRSS:\s*(\d+)\s*kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/** The Linux TreeRss: walks /proc/<pid>/task/<tid>/children from pid down. */
export async function procTreeRss(pid: number): Promise<number | undefined> {
  const seen = new Set<number>();
  let total = 0;
  let queue = [pid];
  while (queue.length && seen.size < 10_000) {
    const next: number[] = [];
    await Promise.all(
      queue.map(async (p) => {
        if (seen.has(p)) return;
        seen.add(p);
        const status = await fs.readFile(`/proc/${p}/status`, 'utf8').catch(() => undefined);
        if (status === undefined) {
          if (p === pid) seen.delete(p);
          return;
        }
        total += parseVmRss(status);
        next.push(...(await childrenOf(p)));
      }),
    );
    if (!seen.has(pid)) return undefined;
    queue = next;
  }
  return total;
}

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((t) => fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((l) => l.split(/\s+/).filter(Boolean).map(Number));
}
