/**
 * The cluster's end of the message-port transport (src/client/message-port-transport.ts): every request and watch
 * arriving on a port goes through the API server's in-process chain with the connecting client's bearer token, so
 * authentication, authorization and admission apply exactly as over HTTPS. An accepted watch answers at once with an
 * empty event batch, then forwards events in batches (one message per turn of the event loop); a refused watch
 * answers with its Status response. A stop, or the port closing, ends the watches.
 */
import type { ApiRequest, ApiResponse, UserInfo } from '../apiserver/request';
import { InProcessTransport } from '../client/in-process';
import type { ClientMessage, PortLike, ServerMessage } from '../client/port-protocol';
import { isWatchStream, type WatchEvent, type WatchStream } from '../client/transport';

/** How a connection wants its objects: `omitManagedFields` for a view that never shows them (the VS Code UI). */
export interface ServeOptions {
  omitManagedFields?: boolean;
  /** A KubeLab component's identity (as in process) instead of the bearer token; authorization still applies. */
  user?: UserInfo;
}

/** A copy of an object without metadata.managedFields (watch objects are shared and frozen: never mutated). */
function slim(o: unknown): unknown {
  if (typeof o !== 'object' || o === null) return o;
  const obj = o as { metadata?: Record<string, unknown>; items?: unknown[] };
  let out = obj as Record<string, unknown>;
  if (obj.metadata && 'managedFields' in obj.metadata) {
    const { managedFields: _m, ...metadata } = obj.metadata;
    out = { ...out, metadata };
  }
  if (Array.isArray(obj.items)) out = { ...out, items: obj.items.map(slim) };
  return out;
}

export function servePort(port: PortLike, handle: (req: ApiRequest) => Promise<ApiResponse>, token: string, userAgent = 'kubelab-vscode', options: ServeOptions = {}): () => void {
  const transport = new InProcessTransport({ handle, ...(options.user ? { user: options.user } : { token }), userAgent });
  const body = options.omitManagedFields ? slim : (b: unknown) => b;
  const watches = new Map<number, WatchStream>();
  let closed = false;
  const send = (m: ServerMessage) => {
    if (!closed) port.postMessage(m);
  };

  const runWatch = async (id: number, stream: WatchStream) => {
    let batch: WatchEvent[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (!batch.length) return;
      send({ t: 'ev', id, events: options.omitManagedFields ? batch.map((e) => ({ type: e.type, object: slim(e.object) as WatchEvent['object'] })) : batch });
      batch = [];
    };
    try {
      for await (const e of stream.events) {
        batch.push(e);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      }
    } finally {
      flush();
      if (watches.delete(id)) send({ t: 'end', id });
    }
  };

  const onMessage = async (m: ClientMessage) => {
    try {
      if (m.t === 'req') {
        const res = await transport.request(m.req);
        send({ t: 'res', id: m.id, res: { status: res.status, headers: res.headers, body: body(res.body) } });
      } else if (m.t === 'watch') {
        const res = await transport.watch(m.req);
        if (!isWatchStream(res)) return send({ t: 'res', id: m.id, res: { status: res.status, headers: res.headers, body: res.body } });
        if (closed) return res.stop();
        watches.set(m.id, res);
        send({ t: 'ev', id: m.id, events: [] });
        void runWatch(m.id, res);
      } else if (m.t === 'stop') {
        const w = watches.get(m.id);
        watches.delete(m.id);
        w?.stop();
      }
    } catch (e) {
      send({ t: 'err', id: (m as { id: number }).id, message: e instanceof Error ? e.message : String(e) });
    }
  };
  port.on('message', (m) => void onMessage(m as ClientMessage));
  const close = () => {
    if (closed) return;
    closed = true;
    for (const w of watches.values()) w.stop();
    watches.clear();
    transport.close();
  };
  port.on('close', close);
  return close;
}
