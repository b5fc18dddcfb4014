/**
 * A minimal Kubernetes API client for the e2e run, from the kubeconfig KubeLab writes (server, inline CA, bearer
 * token): JSON requests over HTTPS with node's https module. Used by the harness (fixtures at scale, checks) and by the
 * mocha suite inside the extension host (bundled there). Not a general client: no exec plugins, no client certs.
 *
 * Contract: `request` resolves with the status code and the parsed JSON body (or the raw text when not JSON); it never
 * throws for HTTP errors, only for transport errors and its own timeout.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import { parse } from 'yaml';

export interface KubeResponse {
  status: number;
  body: unknown;
}

export interface Kube {
  server: string;
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse>;
  close(): void;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { token?: string } }[];
}

export function kubeFromKubeconfig(file: string, timeoutMs = 30_000): Kube {
  const cfg = parse(fs.readFileSync(file, 'utf8')) as KubeconfigFile;
  const ctx = cfg.contexts?.find((c) => c.name === cfg['current-context'])?.context;
  const cluster = cfg.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = cfg.users?.find((u) => u.name === ctx?.user)?.user;
  if (!cluster?.server) throw new Error(`${file}: no server for the current context`);
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined;
  const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 32 });
  const server = cluster.server;
  return {
    server,
    request(method, path, body, contentType = 'application/json') {
      return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (user?.token) headers.Authorization = `Bearer ${user.token}`;
        if (data !== undefined) headers['Content-Type'] = contentType;
        const req = https.request(new URL(path, server), { method, agent, headers, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(data);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; rejects on the first failure. */
export async function forEachConcurrent(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
