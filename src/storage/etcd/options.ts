/**
 * Options of the etcd backend and their validation. `resolveEtcdOptions` checks everything a user can get wrong
 * (URLs, TLS files, auth pairs, timeouts) before any connection is made and throws a StoreError 'invalid' whose
 * message names the option; it returns the options with defaults applied and TLS files read.
 */
import * as fs from 'node:fs';
import type { Logger } from '../../base/logger';
import { errors } from '../errors';

export interface EtcdTlsOptions {
  /** PEM file of the CA that signed the members' certificates. */
  ca?: string;
  /** PEM client certificate and key files (mutual TLS); both or neither. */
  cert?: string;
  key?: string;
}

export interface EtcdStoreOptions {
  /** Client URLs of the members, e.g. ["https://10.0.0.1:2379", "https://10.0.0.2:2379"]. */
  endpoints: string[];
  tls?: EtcdTlsOptions;
  auth?: { username: string; password: string };
  /** How long opening waits for a first answer from the cluster (ms, default 5000). */
  dialTimeout?: number;
  /** Deadline of one attempt of one call (ms, default 5000). */
  callTimeout?: number;
  /** How long a call keeps retrying while the cluster is unavailable (ms, default 30000). */
  retryTimeout?: number;
  /** How many undelivered events a watcher may have before it is cancelled as slow (default 10,000). */
  watchBufferEvents?: number;
  /** Largest gRPC message the client accepts (bytes, default 64 MiB; gRPC's own default is 4 MiB). */
  maxReceiveBytes?: number;
  /** A range is read in pages of at most this many keys (default 5000; fewer when values are big). */
  rangePageKeys?: number;
  /** Pages aim at this many bytes (default 2 MiB). */
  rangePageBytes?: number;
  logger?: Logger;
}

export interface ResolvedEtcdOptions {
  endpoints: string[];
  secure: boolean;
  credentials?: { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer };
  auth?: { username: string; password: string };
  dialTimeout: number;
  callTimeout: number;
  retryTimeout: number;
  watchBufferEvents: number;
  maxReceiveBytes: number;
  rangePageKeys: number;
  rangePageBytes: number;
  logger?: Logger;
}

const bad = (message: string) => errors.invalid(`etcd options: ${message}`);

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(`${name} must be a positive number of milliseconds or items, got ${String(v)}`);
  return v;
}

function readPem(what: string, file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  if (typeof file !== 'string' || file === '') throw bad(`tls.${what} must be a file path`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw bad(`cannot read tls.${what} file ${file}${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}`);
  }
}

export function checkEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw bad(`endpoint ${JSON.stringify(endpoint)} is not a URL (expected e.g. http://127.0.0.1:2379)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw bad(`endpoint ${endpoint} must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (!url.hostname) throw bad(`endpoint ${endpoint} has no host`);
  if (url.pathname !== '/' && url.pathname !== '') throw bad(`endpoint ${endpoint} must not have a path`);
  if (url.username || url.password) throw bad(`endpoint ${endpoint} must not carry credentials; use the auth option`);
  return url;
}

export function resolveEtcdOptions(o: EtcdStoreOptions): ResolvedEtcdOptions {
  if (!o || !Array.isArray(o.endpoints) || o.endpoints.length === 0) throw bad('endpoints must list at least one client URL');
  const urls = o.endpoints.map(checkEndpoint);
  const schemes = new Set(urls.map((u) => u.protocol));
  if (schemes.size > 1) throw bad('endpoints must all use http or all use https');
  const secure = schemes.has('https:');
  const tls = o.tls ?? {};
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw bad('tls.cert and tls.key must be given together');
  if (!secure && (tls.ca || tls.cert)) throw bad('tls options need https endpoints');
  const ca = readPem('ca', tls.ca);
  const cert = readPem('cert', tls.cert);
  const key = readPem('key', tls.key);
  let credentials: ResolvedEtcdOptions['credentials'];
  if (secure && (ca || cert)) {
    // grpc-js takes null roots to mean the system's CA list.
    credentials = { rootCertificate: ca ?? (null as unknown as Buffer), privateKey: key, certChain: cert };
  }
  if (o.auth !== undefined) {
    if (typeof o.auth.username !== 'string' || o.auth.username === '') throw bad('auth.username must be a non-empty string');
    if (typeof o.auth.password !== 'string') throw bad('auth.password must be a string');
  }
  return {
    endpoints: urls.map((u) => `${u.protocol}//${u.host}`),
    secure,
    credentials,
    auth: o.auth,
    dialTimeout: positive('dialTimeout', o.dialTimeout, 5000),
    callTimeout: positive('callTimeout', o.callTimeout, 5000),
    retryTimeout: positive('retryTimeout', o.retryTimeout, 30_000),
    watchBufferEvents: positive('watchBufferEvents', o.watchBufferEvents, 10_000),
    maxReceiveBytes: positive('maxReceiveBytes', o.maxReceiveBytes, 64 * 1024 * 1024),
    rangePageKeys: positive('rangePageKeys', o.rangePageKeys, 5000),
    rangePageBytes: positive('rangePageBytes', o.rangePageBytes, 2 * 1024 * 1024),
    logger: o.logger,
  };
}
