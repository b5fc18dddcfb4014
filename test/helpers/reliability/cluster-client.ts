/**
 * What the reliability suite needs of a running cluster process (started as the README says, through
 * test/helpers/cli-cluster.ts): an HTTPS client built from the kubeconfig it printed (the CA and the admin bearer
 * token, as kubectl uses them), and the process's resident memory and open file descriptors read from /proc.
 */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { HttpsTransport } from '../../../src/client/https-transport';

export interface KubeconfigCredentials {
  url: string;
  caCert: string;
  token: string;
}

/** The server URL, CA (PEM) and bearer token of the kubeconfig's first cluster and user. */
export function readKubeconfig(file: string): KubeconfigCredentials {
  const cfg = parse(fs.readFileSync(file, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = cfg.clusters[0].cluster;
  return {
    url: cluster.server,
    caCert: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: cfg.users[0].user.token,
  };
}

/** An HTTPS transport (keep-alive, `maxSockets` connections) with the kubeconfig's credentials. */
export function clientFor(kubeconfig: string, o: { maxSockets?: number; userAgent?: string } = {}): HttpsTransport {
  const c = readKubeconfig(kubeconfig);
  return new HttpsTransport({ url: c.url, caCert: c.caCert, token: c.token, maxSockets: o.maxSockets, userAgent: o.userAgent ?? 'kubelab-reliability' });
}

export interface ProcessStats {
  /** Resident set size in bytes. */
  rss: number;
  /** Open file descriptors (entries of /proc/<pid>/fd). */
  fds: number;
}

/** RSS and open descriptors of a live process (Linux /proc); throws when the process is gone. */
export function processStats(pid: number): ProcessStats {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return { rss: m ? Number(m[1]) * 1024 : 0, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}
