/**
 * The registry port: RegistryReader's calls over a MessagePort (worker thread ↔ VS Code extension host), one id per
 * call or watch. Server side `serveRegistry`, client side `RegistryClient`. Read-only by construction.
 */
import type { PortLike } from '../client/port-protocol';
import type { KeyValue, WatchEvent } from '../storage/store';
import type { RegistryReader, RegistryRevision } from './registry-reader';

type Call = { t: 'list'; id: number; withValues: boolean } | { t: 'get'; id: number; key: string; revision?: number } | { t: 'history'; id: number; key: string };
type ClientMsg = Call | { t: 'watch'; id: number; after: number } | { t: 'cancel'; id: number };
type ServerMsg =
  | { t: 'ok'; id: number; value: unknown }
  | { t: 'err'; id: number; message: string }
  | { t: 'events'; id: number; events: WatchEvent[]; revision: number }
  | { t: 'end'; id: number; reason: string };

export function serveRegistry(port: PortLike, reader: RegistryReader): () => void {
  const watches = new Map<number, () => void>();
  let closed = false;
  const send = (m: ServerMsg) => {
    if (!closed) port.postMessage(m);
  };
  port.on('message', (raw) => {
    const m = raw as ClientMsg;
    if (m.t === 'watch') {
      watches.set(m.id, reader.watch(m.after, (events, revision) => send({ t: 'events', id: m.id, events, revision }), (reason) => send({ t: 'end', id: m.id, reason })));
      return;
    }
    if (m.t === 'cancel') {
      watches.get(m.id)?.();
      watches.delete(m.id);
      return;
    }
    const run = m.t === 'list' ? reader.list(m.withValues) : m.t === 'get' ? reader.get(m.key, m.revision) : reader.history(m.key);
    run.then(
      (value) => send({ t: 'ok', id: m.id, value }),
      (e: unknown) => send({ t: 'err', id: m.id, message: e instanceof Error ? e.message : String(e) }),
    );
  });
  const close = () => {
    closed = true;
    for (const c of watches.values()) c();
    watches.clear();
  };
  port.on('close', close);
  return close;
}

export class RegistryClient {
  private nextId = 1;
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly watches = new Map<number, { onEvents(events: WatchEvent[], revision: number): void; onEnd(reason: string): void }>();

  constructor(private readonly port: PortLike) {
    port.on('message', (raw) => {
      const m = raw as ServerMsg;
      if (m.t === 'events') return this.watches.get(m.id)?.onEvents(m.events, m.revision);
      if (m.t === 'end') {
        const w = this.watches.get(m.id);
        this.watches.delete(m.id);
        return w?.onEnd(m.reason);
      }
      const c = this.calls.get(m.id);
      this.calls.delete(m.id);
      if (m.t === 'ok') c?.resolve(m.value);
      else c?.reject(new Error(m.message));
    });
    port.on('close', () => {
      for (const c of this.calls.values()) c.reject(new Error('the registry connection closed'));
      this.calls.clear();
      for (const w of this.watches.values()) w.onEnd('the registry connection closed');
      this.watches.clear();
    });
  }

  private call<T>(m: Call): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.set(m.id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage(m);
    });
  }

  list(withValues = false): Promise<{ kvs: KeyValue[]; revision: number }> {
    return this.call({ t: 'list', id: this.nextId++, withValues });
  }

  get(key: string, revision?: number): Promise<KeyValue | undefined> {
    return this.call({ t: 'get', id: this.nextId++, key, ...(revision ? { revision } : {}) });
  }

  history(key: string): Promise<RegistryRevision[]> {
    return this.call({ t: 'history', id: this.nextId++, key });
  }

  /** Changes after `after`; returns the cancel function. */
  watch(after: number, onEvents: (events: WatchEvent[], revision: number) => void, onEnd: (reason: string) => void): () => void {
    const id = this.nextId++;
    this.watches.set(id, { onEvents, onEnd });
    this.port.postMessage({ t: 'watch', id, after } satisfies ClientMsg);
    return () => {
      if (!this.watches.delete(id)) return;
      this.port.postMessage({ t: 'cancel', id } satisfies ClientMsg);
    };
  }

  close(): void {
    this.port.close();
  }
}
