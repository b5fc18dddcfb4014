/**
 * A Transport that behaves like the events API for the recorder's tests: POST stores an Event (409 AlreadyExists on
 * a taken name), PATCH merges top-level fields into a stored one (404 NotFound when missing), and every request is
 * recorded. `failNext(n)` makes the next n requests reject (a transport failure); `answerNext(status, body)` makes
 * the next request answer with that status.
 */
import type { RestRequest, RestResponse, Transport, WatchStream } from '../../../../src/client/transport';

export class FakeEventsTransport implements Transport {
  readonly requests: RestRequest[] = [];
  readonly events = new Map<string, Record<string, unknown>>();
  private rv = 100;
  private failures = 0;
  private canned: RestResponse[] = [];

  failNext(n: number): void {
    this.failures += n;
  }

  answerNext(status: number, body: unknown): void {
    this.canned.push({ status, headers: {}, body });
  }

  /** Requests other than GET, in order, as `METHOD path`. */
  lines(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  async request(req: RestRequest): Promise<RestResponse> {
    this.requests.push(structuredClone(req));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    }
    const canned = this.canned.shift();
    if (canned) return canned;
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/events(?:\/([^/]+))?$/.exec(req.path);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const ns = decodeURIComponent(m[1]);
    if (req.method === 'POST') {
      const body = structuredClone(req.body) as Record<string, unknown>;
      const meta = body.metadata as Record<string, unknown>;
      const key = `${ns}/${String(meta.name)}`;
      if (this.events.has(key)) return status(409, 'AlreadyExists', `events "${String(meta.name)}" already exists`);
      meta.resourceVersion = String(++this.rv);
      meta.uid = `uid-${this.rv}`;
      this.events.set(key, body);
      return { status: 201, headers: {}, body: structuredClone(body) };
    }
    if (req.method === 'PATCH' && m[2]) {
      const key = `${ns}/${decodeURIComponent(m[2])}`;
      const stored = this.events.get(key);
      if (!stored) return status(404, 'NotFound', `events "${decodeURIComponent(m[2])}" not found`);
      Object.assign(stored, structuredClone(req.body));
      (stored.metadata as Record<string, unknown>).resourceVersion = String(++this.rv);
      return { status: 200, headers: {}, body: structuredClone(stored) };
    }
    return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  watch(): Promise<WatchStream | RestResponse> {
    return Promise.reject(new Error('no watches here'));
  }

  close(): void {}
}

function status(code: number, reason: string, message: string): RestResponse {
  return { status: code, headers: {}, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}

/** Lets queued promise callbacks (the recorder's worker) run for n turns of the event loop. */
export async function settleTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Lets the worker run until `cond` holds (at most 200 turns; then the test fails). */
export async function settleUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!cond()) throw new Error('condition not reached');
}
