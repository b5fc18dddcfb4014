/**
 * De-duplication (client-go's `eventLogger` in events_cache.go): remembers, per dedup key, how often an event was
 * seen, its first timestamp, and the name and resourceVersion of the Event object written for it. An event whose
 * key was seen before becomes an update of that object: same name, the remembered firstTimestamp, count + 1, and a
 * strategic merge patch carrying what differs from the stored object (count, lastTimestamp, message).
 * `updateState` records what the server answered, keyed by the server object's own event key.
 */
import { eventKey } from './keys';
import { LruCache } from './lru-cache';
import { copyEvent, eventToWire, type CoreEvent } from './types';

interface EventLog {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string;
}

export interface Observation {
  event: CoreEvent;
  /** Present when the event updates an Event already written: the strategic merge patch to send. */
  patch?: Record<string, unknown>;
}

export class EventObserver {
  private readonly cache: LruCache<EventLog>;

  constructor(cacheSize: number) {
    this.cache = new LruCache(cacheSize);
  }

  observe(newEvent: CoreEvent, key: string): Observation {
    const event = copyEvent(newEvent);
    const last = this.cache.get(key);
    let patch: Record<string, unknown> | undefined;
    if (last && last.count > 0) {
      event.metadata.name = last.name;
      if (last.resourceVersion) event.metadata.resourceVersion = last.resourceVersion;
      else delete event.metadata.resourceVersion;
      event.firstTimestamp = last.firstTimestamp;
      event.count = last.count + 1;
      // What the stored object is assumed to hold: this event without count, message, and with a zero lastTimestamp.
      const old = { ...copyEvent(event), count: 0, lastTimestamp: '1970-01-01T00:00:00Z', message: '' };
      patch = twoWayTopLevelPatch(eventToWire(old), eventToWire(event));
    }
    this.remember(key, event);
    return { event, patch };
  }

  updateState(serverEvent: CoreEvent): void {
    this.remember(eventKey(serverEvent), serverEvent);
  }

  private remember(key: string, e: CoreEvent): void {
    this.cache.add(key, { count: e.count, firstTimestamp: e.firstTimestamp, name: e.metadata.name, resourceVersion: e.metadata.resourceVersion ?? '' });
  }
}

/**
 * The strategic merge patch between two event documents that differ only in top-level fields (what
 * `CreateTwoWayMergePatch` yields for them): changed or added fields with their new value, removed ones as null,
 * keys sorted as Go marshals a map.
 */
export function twoWayTopLevelPatch(oldDoc: Record<string, unknown>, newDoc: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const keys = [...new Set([...Object.keys(oldDoc), ...Object.keys(newDoc)])].sort();
  for (const k of keys) {
    if (!(k in newDoc)) patch[k] = null;
    else if (!(k in oldDoc) || JSON.stringify(oldDoc[k]) !== JSON.stringify(newDoc[k])) patch[k] = newDoc[k];
  }
  return patch;
}
