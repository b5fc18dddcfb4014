/**
 * Reads a Node process's live memory through its inspector (the process started with `--inspect=127.0.0.1:0`):
 * `liveHeap()` runs a full garbage collection there and then reads process.memoryUsage(), so heapUsed is what is
 * still reachable — the figure a leak makes grow, unlike RSS, which also holds garbage V8 has not collected yet (V8
 * lets the heap grow to a multiple of the live size between full GCs).
 *
 * A forced full GC moves the process's own GC schedule: one forced 30 s before the load bench's timed window tripled
 * that window's p99. Read it only where no latency is being measured (gc-trace.ts reads the live heap without forcing).
 */
import WebSocket from 'ws';

/** Evaluated in the process: one ordinary full GC (what --expose-gc's gc() does), then its memory usage. */
const GC_THEN_MEMORY = `(() => {
  process.getBuiltinModule('v8').setFlagsFromString('--expose-gc');
  process.getBuiltinModule('vm').runInNewContext('gc')();
  return JSON.stringify(process.memoryUsage());
})()`;

export interface LiveMemory {
  /** Reachable JS heap after the forced GC, bytes. */
  heapUsed: number;
  heapTotal: number;
  /** Memory of C++ objects bound to JS (buffers, sql.js's WebAssembly memory among them), bytes. */
  external: number;
  rss: number;
}

/** The inspector's WebSocket URL from what the process wrote to stderr ("Debugger listening on ws://…"). */
export function inspectorUrl(stderr: string): string | undefined {
  return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(stderr)?.[1];
}

export class InspectorProbe {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(`inspector: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('inspector connection closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string, timeoutMs = 10_000): Promise<InspectorProbe> {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new InspectorProbe(ws);
  }

  /** Full GC in the process, then its memory usage. */
  async liveHeap(): Promise<LiveMemory> {
    const r = (await this.send('Runtime.evaluate', { expression: GC_THEN_MEMORY, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails || typeof r.result.value !== 'string') {
      throw new Error(`inspector: reading memory failed: ${r.exceptionDetails?.exception?.description ?? r.exceptionDetails?.text ?? JSON.stringify(r)}`);
    }
    const m = JSON.parse(r.result.value) as LiveMemory;
    return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss };
  }

  close(): void {
    this.ws.close();
  }

  /** Connect, read liveHeap(), disconnect: no inspector session stays attached between readings. */
  static async liveHeapOnce(url: string): Promise<LiveMemory> {
    const probe = await InspectorProbe.connect(url);
    try {
      return await probe.liveHeap();
    } finally {
      probe.close();
    }
  }

  private send(method: string, params: object = {}, timeoutMs = 60_000): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`inspector: ${method} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
}
