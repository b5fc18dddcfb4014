/**
 * The message-port transport: a Transport whose requests and watches travel over a MessagePort to the thread that
 * runs the cluster (src/cluster/port-server.ts), with the same semantics as HTTPS and in-process — the token is
 * checked there by the API server's own authentication, and errors come back as the same Status responses. Used by
 * the VS Code extension so its event loop never runs the cluster. A closed port fails pending requests with an Error
 * and ends open watches.
 */
import { EventQueue } from './event-queue';
import type { ClientMessage, PortLike, ServerMessage } from './port-protocol';
import type { RestRequest, RestResponse, Transport, WatchEvent, WatchStream } from './transport';

interface Pending {
  resolve(v: RestResponse | WatchStream): void;
  reject(e: Error): void;
  watch?: { queue: EventQueue; started: boolean };
}

export interface MessagePortTransportOptions {
  /** Events a watcher may have unread before the watch is stopped. */
  watchQueueLimit?: number;
}

export class MessagePortTransport implements Transport {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    private readonly port: PortLike,
    private readonly o: MessagePortTransportOptions = {},
  ) {
    port.on('message', (m) => this.onMessage(m as ServerMessage));
    port.on('close', () => this.fail(new Error('the cluster connection closed')));
  }

  private send(m: ClientMessage): void {
    this.port.postMessage(m);
  }

  request(req: RestRequest): Promise<RestResponse> {
    if (this.closed) return Promise.reject(new Error('the cluster connection is closed'));
    const id = this.nextId++;
    return new Promise<RestResponse>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.send({ t: 'req', id, req });
    });
  }

  watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    if (this.closed) return Promise.reject(new Error('the cluster connection is closed'));
    const id = this.nextId++;
    const stop = () => {
      if (!this.pending.has(id)) return;
      this.send({ t: 'stop', id });
      this.finish(id);
    };
    const queue = new EventQueue(this.o.watchQueueLimit ?? 10_000, stop);
    return new Promise<WatchStream | RestResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, watch: { queue, started: false } });
      this.send({ t: 'watch', id, req });
    });
  }

  private finish(id: number): void {
    const p = this.pending.get(id);
    this.pending.delete(id);
    p?.watch?.queue.end();
  }

  private onMessage(m: ServerMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.t) {
      case 'res':
        // A plain answer: a request's response, or a watch refused (410, 403 …).
        this.pending.delete(m.id);
        p.resolve(m.res);
        return;
      case 'ev':
        if (!p.watch) return;
        this.startWatch(m.id, p);
        for (const e of m.events) {
          if (!p.watch.queue.push(e as WatchEvent)) {
            this.send({ t: 'stop', id: m.id });
            this.finish(m.id);
            return;
          }
        }
        return;
      case 'end':
        if (p.watch) this.startWatch(m.id, p);
        this.finish(m.id);
        return;
      case 'err':
        this.pending.delete(m.id);
        if (p.watch?.started) p.watch.queue.end();
        else p.reject(new Error(m.message));
    }
  }

  /** The first event (or the end) of an accepted watch resolves the watch call with its stream. */
  private startWatch(id: number, p: Pending): void {
    if (!p.watch || p.watch.started) return;
    p.watch.started = true;
    const queue = p.watch.queue;
    p.resolve({
      events: queue,
      stop: () => {
        if (!this.pending.has(id)) return;
        this.send({ t: 'stop', id });
        this.finish(id);
      },
    });
  }

  private fail(e: Error): void {
    this.closed = true;
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      if (p.watch?.started) p.watch.queue.end();
      else p.reject(e);
    }
  }

  close(): void {
    for (const id of [...this.pending.keys()]) {
      const p = this.pending.get(id)!;
      if (p.watch) {
        this.send({ t: 'stop', id });
        this.finish(id);
      }
    }
    this.closed = true;
    this.port.close();
  }
}
