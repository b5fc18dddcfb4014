/**
 * The messages of the message-port transport (the VS Code extension host ↔ the cluster's worker thread): one request
 * or watch per id. Bodies are structured-cloned plain objects (no JSON round trip). Watch events arrive in batches
 * (`ev`), a watch ends with `end` (after the server closed it or the client sent `stop`).
 */
import type { RestRequest, RestResponse, WatchEvent } from './transport';

export type ClientMessage =
  | { t: 'req'; id: number; req: RestRequest }
  | { t: 'watch'; id: number; req: RestRequest }
  | { t: 'stop'; id: number };

export type ServerMessage =
  | { t: 'res'; id: number; res: RestResponse }
  | { t: 'ev'; id: number; events: WatchEvent[] }
  | { t: 'end'; id: number }
  | { t: 'err'; id: number; message: string };

/** What both ends need of a MessagePort (node:worker_threads' MessagePort, or a test double). */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close(): void;
}
