/**
 * The API server's transport-neutral request and response. The HTTPS binding and the in-process transport both build
 * an ApiRequest and hand it to the same handler chain, so both get identical semantics (authentication included).
 */
import type { VerifiedClientCertificate } from './authn/types';
import type { RequestInfo } from './request-info';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface ApiRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body (already size-checked by the transport), or a decoded object handed in-process. */
  body?: Buffer | string | object;
  /** Filled by the chain. */
  info?: RequestInfo;
  user?: UserInfo;
  /** Aborted when the client goes away (watches stop). */
  signal?: AbortSignal;
  /** Set by the HTTPS binding only when the TLS layer verified the client's certificate against the cluster CA. */
  clientCertificate?: VerifiedClientCertificate;
  /** Set only by the in-process transport: the identity a KubeLab component calls with (never from HTTP). */
  inProcessUser?: UserInfo;
}

/** One watch event as the API sends it; `object` is frozen and shared between watchers. */
export interface WatchEventOut {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: object;
}

/**
 * Where a watch delivers. `write` returns false when the receiver is too far behind; the server then ends the watch
 * (a slow client is cut off without slowing anyone else). `end` is called exactly once.
 */
export interface WatchSink {
  write(event: WatchEventOut): boolean;
  end(): void;
}

export interface StreamResponse {
  /** Starts streaming into the sink; returns a function that stops it. */
  start(sink: WatchSink): () => void;
  /** The media the transport should frame events as (JSON lines, or Table rows). */
  contentType: string;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serializable object, or raw text (healthz, logs). */
  body?: unknown;
  /** Set for text bodies. */
  text?: string;
  /** A JSON body already serialized (large cached documents such as OpenAPI). */
  rawJson?: string;
  /** Set for watches. */
  stream?: StreamResponse;
  /** `Warning` headers (299 - "…"). */
  warnings?: string[];
}

export type Handler = (req: ApiRequest) => Promise<ApiResponse>;
export type Filter = (req: ApiRequest, next: Handler) => Promise<ApiResponse>;

export function chain(filters: Filter[], last: Handler): Handler {
  return filters.reduceRight<Handler>((next, f) => (req) => f(req, next), last);
}

export function json(status: number, body: unknown): ApiResponse {
  return { status, body };
}
