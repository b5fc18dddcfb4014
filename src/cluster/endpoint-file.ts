/**
 * `<data-dir>/endpoint.json`: how another process (a second VS Code window) reaches a running cluster. Written by the
 * process that runs the cluster once it serves (mode 0600: it holds the endpoint's token), removed when it stops.
 * Readers validate every field and check that the writer is still alive; a stale or malformed file reads as absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../base/process-alive';
import { secretEqual } from '../base/secret-equal';

export const ENDPOINT_FILE = 'endpoint.json';

export interface EndpointInfo {
  version: 1;
  /** Process that runs the cluster. */
  pid: number;
  url: string;
  kubeconfig: string;
  caCert: string;
  adminToken: string;
  /** The endpoint's loopback port and the token every connection must present. */
  endpoint: { port: number; token: string };
}

export function writeEndpoint(dataDir: string, info: EndpointInfo): void {
  const file = path.join(dataDir, ENDPOINT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Removes the file if it is still ours (a successor may have written its own). */
export function removeEndpoint(dataDir: string, token: string): void {
  const file = path.join(dataDir, ENDPOINT_FILE);
  try {
    const cur = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EndpointInfo>;
    if (typeof cur.endpoint?.token === 'string' && secretEqual(cur.endpoint.token, token)) fs.unlinkSync(file);
  } catch {
    /* gone or unreadable */
  }
}

const isPort = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) < 65536;
const isText = (s: unknown): s is string => typeof s === 'string' && s.length > 0 && s.length < 100_000;

/** The endpoint of a live cluster on `dataDir`, or undefined (none, stale, or malformed). */
export function readEndpoint(dataDir: string): EndpointInfo | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dataDir, ENDPOINT_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const o = raw as Partial<EndpointInfo>;
  if (typeof o !== 'object' || o === null || o.version !== 1 || !Number.isInteger(o.pid)) return undefined;
  if (!isText(o.url) || !o.url.startsWith('https://127.0.0.1:') || !isText(o.kubeconfig) || !isText(o.caCert) || !isText(o.adminToken)) return undefined;
  if (!o.endpoint || !isPort(o.endpoint.port) || !isText(o.endpoint.token)) return undefined;
  if (!processAlive(o.pid as number)) return undefined;
  return o as EndpointInfo;
}
