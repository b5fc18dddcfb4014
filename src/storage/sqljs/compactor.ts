import type { Clock, TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { MvccDb } from './mvcc-db';
import type { CompactionOptions } from './options';

/**
 * Automatic compaction (keep at least minRetentionMs and minRetentionRevisions of history) and the physical
 * removal of compacted rows, in small steps so no step blocks the event loop for long.
 */
export class AutoCompactor {
  private readonly samples: { at: number; rev: number }[] = [];
  private timer: TimerHandle | undefined;
  private stopped = false;
  private target = 0;
  /** The compaction revision whose physical pass finished. */
  private done = 0;
  private running: Promise<void> | undefined;
  private readonly minMs: number;
  private readonly minRevs: number;
  private readonly intervalMs: number;
  private readonly stepRows: number;

  constructor(
    private readonly db: MvccDb,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: CompactionOptions,
    private readonly compact: (rev: number) => Promise<void>,
  ) {
    this.minMs = options.minRetentionMs ?? 5 * 60_000;
    this.minRevs = options.minRetentionRevisions ?? 1000;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.stepRows = options.stepRows ?? 1000;
  }

  /** Start the automatic policy, and finish any physical compaction a previous run left undone. */
  resume(): void {
    if (this.db.compactRev > 0) this.physical(this.db.compactRev);
    if (this.intervalMs > 0) this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.tick();
      this.arm();
    }, this.intervalMs);
  }

  /** One look: remember (now, revision); compact to the newest sample old enough, keeping minRevs revisions. */
  tick(): void {
    const now = this.clock.now();
    this.samples.push({ at: now, rev: this.db.rev });
    let rev = 0;
    while (this.samples.length && this.samples[0].at <= now - this.minMs) rev = this.samples.shift()!.rev;
    rev = Math.min(rev, this.db.rev - this.minRevs);
    if (rev > this.db.compactRev) {
      this.compact(rev).catch((e: Error) => this.logger.warn(`automatic compaction to ${rev} failed: ${e.message}`));
    }
  }

  /** Drop rows made unreachable by compaction at rev, a step at a time. */
  physical(rev: number): void {
    if (rev <= this.target) return;
    this.target = rev;
    if (!this.running) this.running = this.loop().finally(() => (this.running = undefined));
  }

  /**
   * Each new target is a full pass from the oldest row: a row kept by an earlier pass (not yet superseded then) may
   * be superseded now, and its newer tombstone must not go before it does.
   */
  private async loop(): Promise<void> {
    const started = Date.now();
    let removed = 0;
    while (this.done < this.target) {
      const target = this.target;
      let cursor = this.db.firstId();
      for (;;) {
        if (this.stopped) return;
        const end = this.db.firstIdAtOrAfter(target) || this.db.lastId() + 1;
        if (cursor >= end) break;
        const to = Math.min(end, cursor + this.stepRows);
        removed += this.db.transaction(() => this.db.compactRange(target, cursor, to));
        cursor = to;
        await new Promise((r) => setImmediate(r));
      }
      this.done = target;
    }
    this.logger.debug(`compacted to revision ${this.target}: ${removed} rows removed in ${Date.now() - started} ms`);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  async idle(): Promise<void> {
    await this.running;
  }
}
