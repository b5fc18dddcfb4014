/**
 * A diagnostic for the cluster benchmark (BENCH_CLUSTER_COUNT_REQUESTS=1): counts the API requests every component
 * makes, by verb, resource and subresource (`PATCH pods/·/status`, `POST events`, watches apart), by wrapping the
 * ApiServer instance's `handle` (every in-process client and the HTTPS server call it through the instance).
 * `snapshot()` returns the counts so far; `report(label, per)` prints the top ones, divided by `per` (e.g. pods).
 */
import type { ApiRequest, ApiResponse } from '../../src/apiserver/request';
import { progress } from './util';

interface Handler {
  handle(req: ApiRequest): Promise<ApiResponse>;
}

/** "GET pods/·" style key of a request (namespace and names left out). */
export function requestKey(req: Pick<ApiRequest, 'method' | 'path' | 'query'>): string {
  const segs = req.path.split('?')[0].split('/').filter(Boolean);
  // /api/v1/... or /apis/<group>/<version>/...
  let rest = segs[0] === 'api' ? segs.slice(2) : segs[0] === 'apis' ? segs.slice(3) : segs;
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [resource = '', name, ...sub] = rest;
  const watch = req.query.get('watch') === 'true' || req.query.get('watch') === '1' ? ' (watch)' : '';
  if (!resource) return `${req.method} ${req.path.split('?')[0]}`;
  return `${req.method} ${resource}${name !== undefined ? '/·' : ''}${sub.length ? `/${sub.join('/')}` : ''}${watch}`;
}

export class RequestCounter {
  private counts = new Map<string, number>();

  constructor(server: Handler) {
    const orig = server.handle.bind(server);
    server.handle = (req: ApiRequest) => {
      const k = requestKey(req);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
      return orig(req);
    };
  }

  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  /** Prints the requests since `since` (a snapshot), most frequent first, also divided by `per`. */
  report(label: string, since: Map<string, number>, per: number, top = 20): void {
    const diff = [...this.counts].map(([k, v]) => [k, v - (since.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
    const total = diff.reduce((s, [, v]) => s + v, 0);
    progress(`API requests during ${label}: ${total} (${(total / per).toFixed(2)} per unit); top ${top}:`);
    for (const [k, v] of diff.sort((a, b) => b[1] - a[1]).slice(0, top)) progress(`  ${String(v).padStart(8)}  ${(v / per).toFixed(3).padStart(8)}  ${k}`);
  }
}
