/**
 * A container's log, shared by the runtimes: text written in pieces (write) or whole lines with their own time
 * (appendLine, for a writer that splits several streams itself) becomes lines stamped with the clock time of their
 * first byte, kept up to a cap of lines and, optionally, of characters (oldest dropped; the newest line is always
 * kept), read as text (tail, RFC3339Nano timestamps as `kubectl logs --timestamps`) or followed as an async
 * iterator that ends once the log is closed (the container exited). A trailing partial line from write() is
 * returned as is by read() and completed by close(). One writer uses either write() or appendLine(), not both.
 */

export interface LogLine {
  time: number;
  text: string;
}

/** RFC3339 with nine fraction digits, as the kubelet's timestamps: 2026-01-01T00:00:00.000000000Z. */
export const rfc3339Nano = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private partial: LogLine | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];
  /** Lines ever completed (monotonic), so followers know where they are after old lines were dropped. */
  private total = 0;
  /** Characters in the kept lines, for maxChars. */
  private chars = 0;

  constructor(
    private readonly now: () => number,
    private readonly maxLines = 10_000,
    private readonly maxChars = Infinity,
  ) {}

  write(text: string): void {
    if (this.closed || !text) return;
    const pieces = text.split('\n');
    for (let i = 0; i < pieces.length; i++) {
      const last = i === pieces.length - 1;
      if (last && pieces[i] === '') break;
      if (this.partial) this.partial.text += pieces[i];
      else this.partial = { time: this.now(), text: pieces[i] };
      if (!last) this.completeLine();
    }
    this.wake();
  }

  /** A complete line (without its "\n") that began at `time`; a pending partial line from write() is completed first. */
  appendLine(text: string, time: number): void {
    if (this.closed) return;
    if (this.partial) this.completeLine();
    this.partial = { time, text };
    this.completeLine();
    this.wake();
  }

  /** No more output: a partial line is completed and followers end. */
  close(): void {
    if (this.closed) return;
    if (this.partial) this.completeLine();
    this.closed = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  read(options: { tail?: number; timestamps?: boolean } = {}): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    const from = options.tail === undefined ? 0 : Math.max(0, all.length - options.tail);
    return all
      .slice(from)
      .map((l, i) => format(l, options.timestamps) + (i + from < this.lines.length ? '\n' : ''))
      .join('');
  }

  /** Complete lines from the tail on, then each new line as it completes, until close(). */
  async *follow(options: { tail?: number; timestamps?: boolean } = {}): AsyncGenerator<string, void, void> {
    let next = this.total - (options.tail === undefined ? this.lines.length : Math.min(options.tail, this.lines.length));
    for (;;) {
      const firstKept = this.total - this.lines.length;
      next = Math.max(next, firstKept);
      while (next < this.total) {
        yield `${format(this.lines[next - (this.total - this.lines.length)], options.timestamps)}\n`;
        next++;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private completeLine(): void {
    this.lines.push(this.partial!);
    this.chars += this.partial!.text.length;
    this.partial = undefined;
    this.total++;
    let drop = Math.max(0, this.lines.length - this.maxLines);
    let chars = this.chars;
    for (let i = 0; i < drop; i++) chars -= this.lines[i].text.length;
    while (chars > this.maxChars && drop < this.lines.length - 1) chars -= this.lines[drop++].text.length;
    if (!drop) return;
    this.lines.splice(0, drop);
    this.chars = chars;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

const format = (l: LogLine, timestamps?: boolean): string => (timestamps ? `${rfc3339Nano(l.time)} ${l.text}` : l.text);
