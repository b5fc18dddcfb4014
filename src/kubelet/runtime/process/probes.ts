/**
 * Real probe connections for the process runtime, always to 127.0.0.1 (the programs run on the host, so a
 * container's ports are loopback ports): an HTTP GET as the kubelet's prober sends it (User-Agent kube-probe,
 * any content type accepted, no keep-alive, redirects not followed) resolving with the status code, and a TCP connect. Every
 * failure rejects with ConnectionRefused; the message says what Go's dialer would (connection refused, i/o timeout,
 * or the system error).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { connectionRefused, RuntimeError } from '../errors';

export const PROBE_HOST = '127.0.0.1';
export const PROBE_USER_AGENT = 'kube-probe/1.32';
/** Longest a probe may take here; the kubelet applies its own (shorter) timeoutSeconds around it. */
export const PROBE_TIMEOUT_MS = 10_000;

export function httpProbe(port: number, path: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<number> {
  if (!validPort(port)) return Promise.reject(badPort(port));
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      {
        host: PROBE_HOST,
        port,
        path: path.startsWith('/') ? path : `/${path}`,
        method: 'GET',
        agent: false,
        headers: { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*', Connection: 'close' },
      },
      (res) => {
        res.resume();
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(timeout(port));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(dialError(port, e));
    });
    req.end();
  });
}

export function tcpProbe(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  if (!validPort(port)) return Promise.reject(badPort(port));
  return new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: PROBE_HOST, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(timeout(port));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(dialError(port, e));
    });
  });
}

const validPort = (port: number): boolean => Number.isInteger(port) && port >= 1 && port <= 65535;

const badPort = (port: number) => new RuntimeError('ConnectionRefused', `dial tcp: address ${PROBE_HOST}:${port}: invalid port`);

const timeout = (port: number) => new RuntimeError('ConnectionRefused', `dial tcp ${PROBE_HOST}:${port}: i/o timeout`);

function dialError(port: number, e: Error & { code?: string }): RuntimeError {
  if (e.code === 'ECONNREFUSED') return connectionRefused(port, PROBE_HOST);
  if (e.code === 'ECONNRESET') return new RuntimeError('ConnectionRefused', `read tcp ${PROBE_HOST}:${port}: read: connection reset by peer`);
  return new RuntimeError('ConnectionRefused', `dial tcp ${PROBE_HOST}:${port}: ${e.message}`);
}
