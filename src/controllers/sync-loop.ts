/**
 * SyncLoop: runs a controller's `sync()` after changes, one at a time, coalescing changes that arrive meanwhile,
 * and retrying with backoff (1 s, doubling to 30 s) while sync fails. Used by the built-in controllers that exist
 * before the controller manager's work queues.
 */
import type { Logger } from '../base/logger';

export class SyncLoop {
  private running = false;
  private again = false;
  private closed = false;
  private backoffMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly sync: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  /** Resolves once no sync is running or queued (tests, start-up). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.sync();
        this.backoffMs = 0;
      } catch (e) {
        this.backoffMs = Math.min(30_000, this.backoffMs ? this.backoffMs * 2 : 1000);
        this.logger.warn(`sync failed, retrying in ${this.backoffMs / 1000} s: ${(e as Error).message}`);
        this.timer = setTimeout(() => this.kick(), this.backoffMs);
        this.timer.unref?.();
        break;
      }
    } while (this.again && !this.closed);
    this.running = false;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }
}
