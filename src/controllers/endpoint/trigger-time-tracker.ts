/**
 * TriggerTimeTracker (upstream pkg/controller/util/endpoint): the `endpoints.kubernetes.io/last-change-trigger-time`
 * annotation of Endpoints and EndpointSlices. For a Service seen for the first time it is the Service's
 * creationTimestamp; afterwards it is the earliest trigger that changed since the last sync — a pod's Ready
 * condition lastTransitionTime or the Service's creationTimestamp — or nothing (the annotation is removed).
 * Times are RFC 3339 with nanosecond precision as Go's time.RFC3339Nano prints them (trailing zeros trimmed).
 */
import type { CachedObject } from '../../client/informers';
import { podReadyCondition } from '../framework/pod-util';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  lastPodTriggerTimes: Map<string, number>;
  lastServiceTriggerTime: number;
}

function parseTime(s: unknown): number {
  if (typeof s !== 'string') return 0;
  const t = Date.parse(s);
  return Number.isNaN(t) ? 0 : t;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** ComputeEndpointLastChangeTriggerTime: ms since the epoch, 0 for "no trigger time". Updates the state. */
  compute(namespace: string, service: CachedObject, pods: readonly CachedObject[]): number {
    const key = `${namespace}/${String(service.metadata?.name ?? '')}`;
    const state = this.states.get(key);
    let min = 0;
    const podTimes = new Map<string, number>();
    for (const p of pods) {
      const t = parseTime(podReadyCondition(p)?.lastTransitionTime);
      if (t === 0) continue;
      const name = String(p.metadata?.name ?? '');
      podTimes.set(name, t);
      if (t > (state?.lastPodTriggerTimes.get(name) ?? 0) && (min === 0 || t < min)) min = t;
    }
    const svcTime = parseTime(service.metadata?.creationTimestamp);
    if (svcTime > (state?.lastServiceTriggerTime ?? 0) && (min === 0 || svcTime < min)) min = svcTime;
    this.states.set(key, { lastPodTriggerTimes: podTimes, lastServiceTriggerTime: svcTime });
    return state ? min : svcTime;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/** Go's time.Time.UTC().Format(time.RFC3339Nano) of a millisecond time. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.120Z
  const [base, frac] = iso.slice(0, -1).split('.');
  const trimmed = (frac ?? '').replace(/0+$/, '');
  return trimmed ? `${base}.${trimmed}Z` : `${base}Z`;
}
