/**
 * The kubeconfig KubeLab writes for kubectl and other clients (mode 0600): one cluster `kubelab` with the CA inline
 * (certificate-authority-data), one user with the admin bearer token, one context, current.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';

export function kubeconfigPath(dataDir: string): string {
  return path.join(dataDir, 'kubeconfig');
}

export function renderKubeconfig(server: string, caPem: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubelab', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: 'kubelab-admin', user: { token } }],
    contexts: [{ name: 'kubelab', context: { cluster: 'kubelab', user: 'kubelab-admin', namespace: 'default' } }],
    'current-context': 'kubelab',
    preferences: {},
  });
}

export function writeKubeconfig(dataDir: string, server: string, caPem: string, token: string): string {
  const file = kubeconfigPath(dataDir);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, renderKubeconfig(server, caPem, token), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}
