/**
 * Grows the store's in-memory SQLite file ahead of need while the store is idle (see file-room.ts): every durable
 * write calls `wrote()`; a check runs ROOM_IDLE_MS later and, while writes keep coming or the store is busy, looks
 * again later; once idle for a moment it grows the file if it is getting full, so the copy happens then rather than
 * in the middle of a burst of writes. `stop()` ends it for good (the store is closing).
 */
import type { Clock, TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { FileRoom } from './file-room';

/** How long the store must have been without writes before it grows its in-memory file ahead of need. */
export const ROOM_IDLE_MS = 250;

export class IdleRoomGrower {
  private timer: TimerHandle | undefined;
  private lastWriteAt = 0;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly room: Pick<FileRoom, 'growIfLow' | 'usage'>,
    /** Whether a write, queued job or snapshot is in progress. */
    private readonly busy: () => boolean,
  ) {}

  wrote(): void {
    this.lastWriteAt = this.clock.now();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      if (this.busy() || this.clock.now() - this.lastWriteAt < ROOM_IDLE_MS) return this.schedule();
      try {
        const t0 = Date.now();
        if (this.room.growIfLow()) {
          const u = this.room.usage();
          this.logger.info(`grew the in-memory database to ${Math.round(u.capacity / 1048576)} MiB while idle (${Date.now() - t0} ms)`);
        }
      } catch (e) {
        this.logger.warn(`could not grow the in-memory database ahead of need: ${(e as Error).message}`);
      }
    }, ROOM_IDLE_MS);
  }
}
