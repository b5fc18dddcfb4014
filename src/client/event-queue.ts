/**
 * A bounded async queue of watch events: the producer pushes (false when the consumer is too far behind, so the
 * server cuts the watch), the consumer iterates. Ends when closed; iteration stops when the consumer breaks.
 */
import type { WatchEvent } from './transport';

export class EventQueue implements AsyncIterable<WatchEvent> {
  private items: WatchEvent[] = [];
  private head = 0;
  private waiting?: () => void;
  private done = false;

  constructor(
    private readonly limit: number,
    private readonly onStop: () => void,
  ) {}

  push(e: WatchEvent): boolean {
    if (this.done) return false;
    this.items.push(e);
    this.waiting?.();
    return this.items.length - this.head <= this.limit;
  }

  end(): void {
    this.done = true;
    this.waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      for (;;) {
        if (this.head < this.items.length) {
          const e = this.items[this.head++];
          if (this.head > 1024 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
          }
          yield e;
          continue;
        }
        if (this.done) return;
        await new Promise<void>((resolve) => (this.waiting = resolve));
        this.waiting = undefined;
      }
    } finally {
      this.done = true;
      this.onStop();
    }
  }
}
