/**
 * Watch, served from the watch cache: replay from a resourceVersion (410 Expired when the cache no longer has
 * those changes), or synthetic ADDED events for the current state (resourceVersion unset or "0", or
 * sendInitialEvents=true ending with the `k8s.io/initial-events-end` BOOKMARK), then live changes. Bookmarks every
 * `bookmarkMs` and 2 s before the deadline when asked; the watch ends after timeoutSeconds, when the client goes, or
 * when it falls behind.
 */
import { fieldErr } from '../../api/field-errors';
import { apiVersionOf } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import type { WatchSink } from '../request';
import { CacheWatcher, type ViewFn, type WatchFilter } from '../watch/cache-watcher';
import type { RegistryCore } from './core';
import { parseResourceVersion } from './list';

export interface WatchOptions {
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Default when timeoutSeconds is absent (upstream: 30–60 minutes). */
  defaultTimeoutMs: number;
  bookmarkMs: number;
}

let nextWatcherId = 1;

/** Prepares a watch (all waiting and validation happen here, so errors become plain HTTP errors), returns its starter. */
export async function prepareWatch(
  core: RegistryCore,
  r: ResourceInfo,
  filter: WatchFilter,
  view: ViewFn,
  o: WatchOptions,
  kind: { apiVersion: string; kind: string } = { apiVersion: apiVersionOf(r.group, r.version), kind: r.kind },
): Promise<(sink: WatchSink) => () => void> {
  const rvNum = parseResourceVersion(o.resourceVersion);
  if (o.sendInitialEvents !== undefined) {
    const errs = [];
    if (o.resourceVersionMatch !== 'NotOlderThan') {
      errs.push(fieldErr.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (o.sendInitialEvents && !o.allowWatchBookmarks) errs.push(fieldErr.forbidden('allowWatchBookmarks', 'allowWatchBookmarks must be set to true when sendInitialEvents is true'));
    if (errs.length) throw StatusError.invalid('meta.k8s.io', 'ListOptions', '', errs);
  } else if (o.resourceVersionMatch) {
    throw StatusError.invalid('meta.k8s.io', 'ListOptions', '', [fieldErr.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided')]);
  }
  const initial = o.sendInitialEvents === true || (o.sendInitialEvents === undefined && (rvNum === undefined || rvNum === 0));
  if (rvNum === undefined) await core.deps.router.sync();
  else if (rvNum > 0) await core.deps.router.waitFor(rvNum);
  const cache = core.cache(r);
  // Validate the replay window now so a too-old resourceVersion is an error before streaming starts... except that
  // upstream answers 200 and then an ERROR event; both kubectl and client-node handle that form.
  let expired: StatusError | undefined;
  if (!initial && rvNum !== undefined && rvNum > 0) {
    try {
      cache.changesSince(rvNum);
    } catch (e) {
      if (e instanceof StatusError) expired = e;
      else throw e;
    }
  }
  return (sink) => {
    if (expired) {
      sink.write({ type: 'ERROR', object: expired.status });
      sink.end();
      return () => undefined;
    }
    const snapshotRev = core.deps.router.revision;
    const w = new CacheWatcher(nextWatcherId++, filter, sink, view, kind, initial ? snapshotRev : (rvNum ?? snapshotRev), (x) => cache.removeWatcher(x));
    // Everything below runs synchronously, so no change can slip between the initial state and live delivery.
    if (initial) {
      const objs = cache.list(filter.namespace);
      for (const c of objs) if (filter.matches(c.obj)) w.send({ type: 'ADDED', object: view(c.obj) });
      if (o.sendInitialEvents) w.bookmark(snapshotRev, true);
    } else if (rvNum !== undefined && rvNum > 0) {
      let changes;
      try {
        changes = cache.changesSince(rvNum);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        w.send({ type: 'ERROR', object: e.status });
        w.stop();
        return () => undefined;
      }
      for (const e of changes) w.deliver(e);
    }
    if (w.stopped) return () => undefined;
    cache.addWatcher(w);
    // Node fires timers beyond 2^31-1 ms (24.8 days) at once: a longer timeout is "never" here.
    const timeoutMs = Math.min(o.timeoutSeconds !== undefined ? o.timeoutSeconds * 1000 : o.defaultTimeoutMs, 2 ** 31 - 1);
    w.startTimers(o.allowWatchBookmarks ? o.bookmarkMs : undefined, timeoutMs, () => core.deps.router.revision);
    return () => w.stop();
  };
}
