/**
 * One watcher of a resource cache: its filter (namespace, name, label and field selectors), its sink, and the
 * translation of a store change into the event this watcher must see (an object moving out of the filter is a
 * DELETED, moving in an ADDED, as upstream's cacheWatcher does).
 */
import type { StoredObject } from '../../api/object';
import type { WatchEventOut, WatchSink } from '../request';
import { withResourceVersion } from './cached-object';

export interface WatchFilter {
  namespace?: string;
  /** Returns whether the object passes label, field and name selection. */
  matches(obj: Readonly<StoredObject>): boolean;
  /** For indexing: a required exact spec.nodeName, when the field selector has one. */
  nodeName?: string;
}

export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rev: number;
  key: string;
  namespace: string;
  obj: Readonly<StoredObject>;
  prev?: Readonly<StoredObject>;
}

/** Upstream sends a watch's last bookmark 2 s before its deadline. */
const PRE_TIMEOUT_BOOKMARK_MS = 2000;

/** Converts an object for a particular view (events.k8s.io over core events); identity for most resources. */
export type ViewFn = (obj: Readonly<StoredObject>) => object;

export class CacheWatcher {
  stopped = false;
  lastRev: number;
  /** The keys delivered at lastRev (one as a string); undefined: everything at lastRev is seen (the start, a bookmark). */
  private seenAtLastRev: string | Set<string> | undefined;
  private bookmarkTimer?: NodeJS.Timeout;
  private timeoutTimer?: NodeJS.Timeout;

  constructor(
    readonly id: number,
    readonly filter: WatchFilter,
    private readonly sink: WatchSink,
    private readonly view: ViewFn,
    private readonly kindHeader: { apiVersion: string; kind: string },
    startRev: number,
    private readonly onStop: (w: CacheWatcher) => void,
  ) {
    this.lastRev = startRev;
  }

  /**
   * Bookmarks (for a watch that allows them) as upstream's cacheWatcher.nextBookmarkTime schedules them: every
   * `bookmarkMs` (upstream's defaultBookmarkFrequency, a minute), and one 2 s before the watch's deadline, after
   * which none follow. The watch ends after `timeoutMs`.
   */
  startTimers(bookmarkMs: number | undefined, timeoutMs: number | undefined, currentRev: () => number): void {
    const deadline = timeoutMs !== undefined ? Date.now() + timeoutMs : undefined;
    if (bookmarkMs) this.scheduleBookmark(bookmarkMs, deadline, currentRev);
    if (timeoutMs !== undefined) {
      this.timeoutTimer = setTimeout(() => this.stop(), timeoutMs);
      this.timeoutTimer.unref?.();
    }
  }

  private scheduleBookmark(bookmarkMs: number, deadline: number | undefined, currentRev: () => number): void {
    const now = Date.now();
    let at = now + bookmarkMs;
    if (deadline !== undefined && deadline - PRE_TIMEOUT_BOOKMARK_MS < at) at = deadline - PRE_TIMEOUT_BOOKMARK_MS;
    if (at <= now || this.stopped) return;
    this.bookmarkTimer = setTimeout(() => {
      this.bookmark(currentRev());
      this.scheduleBookmark(bookmarkMs, deadline, currentRev);
    }, at - now);
    this.bookmarkTimer.unref?.();
  }

  /** Delivers a change if this watcher should see it; stops the watcher when its sink is full. */
  deliver(e: CacheEvent): void {
    if (this.stopped || e.rev < this.lastRev) return;
    if (e.rev === this.lastRev) {
      // One revision can change several keys (a lease's end deletes every Event on it): each is delivered once.
      const seen = this.seenAtLastRev;
      if (seen === undefined || seen === e.key || (typeof seen !== 'string' && seen.has(e.key))) return;
      if (typeof seen === 'string') this.seenAtLastRev = new Set([seen, e.key]);
      else seen.add(e.key);
    } else {
      this.lastRev = e.rev;
      this.seenAtLastRev = e.key;
    }
    const f = this.filter;
    const nsOk = !f.namespace || e.namespace === f.namespace;
    if (!nsOk) return;
    const cur = e.type !== 'DELETED' && f.matches(e.obj);
    const old = e.type === 'ADDED' ? false : e.type === 'DELETED' ? f.matches(e.obj) : e.prev !== undefined && f.matches(e.prev);
    let out: WatchEventOut | undefined;
    if (e.type === 'DELETED') {
      if (old) out = { type: 'DELETED', object: this.view(e.obj) };
    } else if (cur && old) out = { type: 'MODIFIED', object: this.view(e.obj) };
    else if (cur) out = { type: 'ADDED', object: this.view(e.obj) };
    else if (old && e.prev) out = { type: 'DELETED', object: this.view(withResourceVersion(e.prev, e.rev)) };
    if (out) this.send(out);
  }

  send(ev: WatchEventOut): void {
    if (this.stopped) return;
    if (!this.sink.write(ev)) this.stop();
  }

  bookmark(rev: number, initialEventsEnd = false): void {
    if (this.stopped) return;
    if (rev > this.lastRev) {
      this.lastRev = rev;
      this.seenAtLastRev = undefined;
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(this.lastRev) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.send({ type: 'BOOKMARK', object: { kind: this.kindHeader.kind, apiVersion: this.kindHeader.apiVersion, metadata } });
  }

  /** Ends the watch (idempotent): the sink is ended and the cache forgets the watcher. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.bookmarkTimer);
    clearTimeout(this.timeoutTimer);
    this.onStop(this);
    this.sink.end();
  }
}
