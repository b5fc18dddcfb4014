/**
 * One output stream of a process (stdout or stderr) cut into lines: bytes are decoded as UTF-8 across chunk
 * boundaries, each line is handed on (without its "\n") with the time its first byte arrived, so two streams
 * feeding one log interleave in arrival order line by line. A line longer than maxLineChars is handed on in pieces
 * of that size (containerd likewise splits lines at 16 KiB, its default max-container-log-line-size); end() hands
 * on a last unterminated line. cutOffOutput bounds how long a process's output may stay open after it exited
 * (something that escaped its process group may hold it).
 */
import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/** Real time the output may stay open after the program exited before it is cut off. */
export const DRAIN_MS = 2000;

/** Destroy child's stdout and stderr DRAIN_MS from now (a timer that never keeps Node alive); returns a cancel. */
export function cutOffOutput(child: ChildProcess, ms = DRAIN_MS): () => void {
  const t = setTimeout(() => {
    child.stdout?.destroy();
    child.stderr?.destroy();
  }, ms);
  t.unref();
  return () => clearTimeout(t);
}

export const MAX_LINE_CHARS = 16 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private since = 0;
  private ended = false;

  constructor(
    private readonly now: () => number,
    private readonly line: (text: string, time: number) => void,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {}

  write(chunk: Buffer | string): void {
    if (this.ended) return;
    this.take(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  end(): void {
    if (this.ended) return;
    this.take(this.decoder.end());
    this.ended = true;
    if (this.partial) this.flush();
  }

  private take(text: string): void {
    let from = 0;
    while (from < text.length) {
      if (!this.partial) this.since = this.now();
      const nl = text.indexOf('\n', from);
      const upto = nl < 0 ? text.length : nl;
      const room = this.maxLineChars - this.partial.length;
      if (upto - from > room) {
        this.partial += text.slice(from, from + room);
        from += room;
        this.flush();
        continue;
      }
      this.partial += text.slice(from, upto);
      if (nl < 0) return;
      from = nl + 1;
      this.flush();
    }
  }

  private flush(): void {
    const text = this.partial;
    this.partial = '';
    this.line(text, this.since);
  }
}
