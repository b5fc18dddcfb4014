/**
 * ObjectMirror: a minimal list-then-watch cache of one resource (what an informer's reflector and store do): lists,
 * watches from the list's resourceVersion, applies events, relists after the watch ends or on 410 Gone, and calls
 * `onChange` (coalesced) after every change. The full informer machinery (indexes, resync, listers) comes with the
 * controller manager; the built-in controllers that exist before it use this.
 */
import type { Logger } from '../base/logger';
import { isWatchStream, type Transport, type WatchStream } from './transport';

export type MirroredObject = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

export class ObjectMirror {
  readonly items = new Map<string, MirroredObject>();
  private stream: WatchStream | undefined;
  private stopped = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly t: Transport,
    private readonly path: string,
    private readonly onChange: () => void,
    private readonly logger: Logger,
    private readonly query: Record<string, string> = {},
  ) {}

  static key(o: MirroredObject): string {
    return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  }

  /** Resolves after the first list. */
  async start(): Promise<void> {
    const rv = await this.list();
    void this.follow(rv);
  }

  stop(): void {
    this.stopped = true;
    this.stream?.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  private async list(): Promise<string> {
    const res = await this.t.request({ method: 'GET', path: this.path, query: this.query });
    if (res.status !== 200) throw new Error(`list ${this.path}: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as { items?: MirroredObject[]; metadata?: { resourceVersion?: string } };
    this.items.clear();
    for (const o of body.items ?? []) this.items.set(ObjectMirror.key(o), o);
    this.changed();
    return body.metadata?.resourceVersion ?? '';
  }

  private async follow(rv: string): Promise<void> {
    while (!this.stopped) {
      try {
        const w = await this.t.watch({ method: 'GET', path: this.path, query: { ...this.query, resourceVersion: rv, allowWatchBookmarks: true } });
        if (!isWatchStream(w)) throw new Error(`watch ${this.path}: ${w.status}`);
        this.stream = w;
        for await (const ev of w.events) {
          const o = ev.object as MirroredObject;
          if (ev.type === 'ERROR') break;
          if (o.metadata?.resourceVersion) rv = o.metadata.resourceVersion;
          if (ev.type === 'BOOKMARK') continue;
          if (ev.type === 'DELETED') this.items.delete(ObjectMirror.key(o));
          else this.items.set(ObjectMirror.key(o), o);
          this.changed();
        }
        if (this.stopped) return;
        rv = await this.list();
      } catch (e) {
        if (this.stopped) return;
        this.logger.warn(`${this.path}: ${(e as Error).message}; listing again in 1 s`);
        await new Promise<void>((r) => {
          this.timer = setTimeout(r, 1000);
          this.timer.unref?.();
        });
        rv = await this.list().catch(() => rv);
      }
    }
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      if (!this.stopped) this.onChange();
    });
  }
}
