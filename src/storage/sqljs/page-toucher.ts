/**
 * Faults in the pages of the store's in-memory database file ahead of SQLite's writes, on a thread of its own.
 *
 * The file's buffer is a large reservation that the OS backs lazily (see sqljs-loader.ts): the first write to each
 * 4 KiB page takes a page fault (8–17 µs on these VMs, kernel time on the writing thread). A growing store appends
 * about a page per Pod it stores, so on the event loop these faults were ~5 % of a create's CPU. Here a worker keeps
 * the `aheadBytes` past the file's used end faulted in: the main thread only publishes the used size (one atomic
 * store and a notify per SQLite transaction); the worker wakes, touches the new pages and waits again.
 *
 * Touching is an atomic add of zero to the page's first 32-bit word: it faults the page in for writing without ever
 * changing a value, even if SQLite writes the same word at the same moment (the file only grows past the published
 * size between two publications). Nothing here is needed for correctness: without a worker, SQLite's writes fault the
 * pages in themselves.
 */
import { Worker } from 'node:worker_threads';

export const PAGE_BYTES = 4096;
/** Bytes kept faulted in past the file's used end. */
export const DEFAULT_AHEAD_BYTES = 16 * 1024 * 1024;

/** Control words shared with the worker. */
const USED = 0; // the file's used size in pages, -1 to stop (written by the owner)
const TOUCHED = 1; // pages [0, TOUCHED) are faulted in (written by the worker)

const SCRIPT = `
const { workerData } = require('node:worker_threads');
const mem = new Int32Array(workerData.buffer);
const ctl = new Int32Array(workerData.ctl);
const pages = Math.floor(workerData.buffer.byteLength / ${PAGE_BYTES});
const wordsPerPage = ${PAGE_BYTES / 4};
let touched = 0;
for (;;) {
  const used = Atomics.load(ctl, ${USED});
  if (used < 0) break;
  if (touched < used) touched = used;
  const target = Math.min(pages, used + workerData.aheadPages);
  while (touched < target) Atomics.add(mem, touched++ * wordsPerPage, 0);
  Atomics.store(ctl, ${TOUCHED}, touched);
  Atomics.notify(ctl, ${TOUCHED});
  Atomics.wait(ctl, ${USED}, used);
}
`;

export class PageToucher {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  private stopped = false;

  constructor(
    /** The file's buffer (the reservation it grows into). */
    readonly buffer: SharedArrayBuffer,
    aheadBytes = DEFAULT_AHEAD_BYTES,
  ) {
    Atomics.store(this.ctl, USED, 0);
    const aheadPages = Math.max(1, Math.ceil(aheadBytes / PAGE_BYTES));
    this.worker = new Worker(SCRIPT, {
      eval: true,
      workerData: { buffer, ctl: this.ctl.buffer, aheadPages },
      // A loop over one array: a small heap of its own, whatever the process's heap flags.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
    });
    this.worker.unref();
    // A worker that cannot run (thread limits) costs only the faults it would have saved.
    this.worker.on('error', () => (this.stopped = true));
  }

  /** Publishes the file's used size; the worker faults in the pages after it. */
  advance(usedBytes: number): void {
    if (this.stopped) return;
    const pages = Math.min(Math.floor(usedBytes / PAGE_BYTES), 0x7fffffff);
    if (Atomics.load(this.ctl, USED) === pages) return;
    Atomics.store(this.ctl, USED, pages);
    Atomics.notify(this.ctl, USED);
  }

  /** Pages faulted in so far (from the start of the buffer, or from the used size it first saw). */
  touchedPages(): number {
    return Atomics.load(this.ctl, TOUCHED);
  }

  /** Resolves once the worker has touched at least `pages` pages (tests), or after `timeoutMs`. */
  async waitTouched(pages: number, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = Atomics.load(this.ctl, TOUCHED);
      if (now >= pages) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Stops the worker (it ends at its next wake-up). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.ctl, USED, -1);
    Atomics.notify(this.ctl, USED);
    await this.worker.terminate();
  }
}
