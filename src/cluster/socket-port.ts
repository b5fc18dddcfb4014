/**
 * A PortLike over a TCP socket: one JSON message per line (NDJSON), so the message-port transport, the registry port
 * and the control channel work between processes exactly as between threads. A line longer than `maxLineBytes` or
 * one that is not JSON closes the connection (bad input never grows memory without bound).
 */
import type { Socket } from 'node:net';
import type { PortLike } from '../client/port-protocol';

export const MAX_LINE_BYTES = 256 * 1024 * 1024;

export function socketPort(sock: Socket, maxLineBytes = MAX_LINE_BYTES): PortLike {
  const messageListeners: ((m: unknown) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let buffered: Buffer[] = [];
  let size = 0;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    sock.destroy();
    for (const l of closeListeners) l();
  };
  sock.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      buffered.push(chunk.subarray(start, nl));
      const line = Buffer.concat(buffered).toString('utf8');
      buffered = [];
      size = 0;
      start = nl + 1;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        return close();
      }
      // A snapshot: a listener added while this message is delivered (a channel set up by the hello) starts with the next.
      for (const l of [...messageListeners]) l(msg);
      if (closed) return;
    }
    if (start < chunk.length) {
      buffered.push(chunk.subarray(start));
      size += chunk.length - start;
      if (size > maxLineBytes) close();
    }
  });
  sock.on('close', close);
  sock.on('error', close);
  return {
    postMessage(m: unknown) {
      if (!closed) sock.write(`${JSON.stringify(m)}\n`);
    },
    on(event: 'message' | 'close', listener: ((m: unknown) => void) | (() => void)) {
      if (event === 'message') messageListeners.push(listener as (m: unknown) => void);
      else closeListeners.push(listener as () => void);
      return this;
    },
    close,
  } as PortLike;
}
