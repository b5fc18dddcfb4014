/**
 * How a KubeLab component or UI reaches the API server: a Transport sends one REST request or opens one watch.
 * Two implementations with the same semantics (authentication included): in-process (the API server's handler
 * chain called directly; watch events are the shared frozen objects) and HTTPS (what kubectl uses).
 */

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** An object (sent as JSON unless contentType says otherwise) or raw text. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text for non-JSON responses. */
  body: unknown;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

export interface WatchStream {
  /** Events until the server ends the watch or `stop` is called. */
  events: AsyncIterable<WatchEvent>;
  stop(): void;
}

export interface Transport {
  request(req: RestRequest): Promise<RestResponse>;
  /** Opens a watch; a non-200 answer (e.g. 410, 403) resolves to a RestResponse instead. */
  watch(req: RestRequest): Promise<WatchStream | RestResponse>;
  close(): void;
}

export function queryString(q: RestRequest['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function isWatchStream(x: WatchStream | RestResponse): x is WatchStream {
  return (x as WatchStream).events !== undefined;
}
