/// <reference types="mocha" />
/**
 * Scenario 6, inside the real extension host: the extension activates, every KubeLab command is registered, the
 * cluster's API answers through the kubeconfig the extension wrote and through the extension's own API client (its
 * exports), and "Apply Manifest" run with a file URI creates the Deployment (its kubectl line, verified with a GET).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { items } from '../scenarios/scenario';
import { clusterApi, until } from './cluster-api';

export const EXTENSION_ID = 'kubelab.kubelab';

/** What the extension's activate() returns (src/extension.ts KubeLabApi), as far as these tests use it. */
interface KubeLabApiView {
  host: { current: string; attached: boolean; transport?: { request(r: { method: 'GET'; path: string }): Promise<{ status: number; body: unknown }> } };
  activation: { start: number; end: number };
}

async function kubelabApi(): Promise<KubeLabApiView> {
  const ext = vscode.extensions.getExtension<KubeLabApiView>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** The commands of the UI contract (issue 9) besides whatever package.json contributes. */
const CONTRACT_COMMANDS = ['kubelab.apply', 'kubelab.deleteManifest', 'kubelab.dryRun', 'kubelab.diff', 'kubelab.openEventPanel'];

export function registerKubelabSuite(): void {
  describe('KubeLab in the extension host', () => {
    it('activates', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not installed`);
      await ext.activate();
      assert.equal(ext.isActive, true);
    });

    it('registers every KubeLab command', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
      const all = new Set(await vscode.commands.getCommands(true));
      const missing = [...new Set([...contributed, ...CONTRACT_COMMANDS])].filter((c) => !all.has(c));
      assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
    });

    it('runs a cluster whose API answers (kubelab.nodes workers + the control plane, all Ready)', async () => {
      const kube = await clusterApi();
      const want = vscode.workspace.getConfiguration('kubelab').get<number>('nodes', 3) + 1;
      await until(
        async () => {
          const r = await kube.request('GET', '/api/v1/nodes');
          const ready = items(r.body).filter((n) =>
            ((n.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
          );
          return ready.length === want;
        },
        `${want} Ready nodes`,
        90_000,
      );
    });

    it('its API client (the exports) reaches the cluster it runs in a worker thread', async () => {
      const api = await kubelabApi();
      await until(async () => api.host.current === 'running', 'the extension host says the cluster runs', 90_000);
      assert.equal(api.host.attached, false);
      assert.ok(api.activation.end - api.activation.start < 500, `activate() took ${api.activation.end - api.activation.start} ms`);
      const v = await api.host.transport!.request({ method: 'GET', path: '/version' });
      assert.equal(v.status, 200);
      assert.deepEqual([(v.body as { major: string }).major, (v.body as { minor: string }).minor], ['1', '32']);
      const secrets = await api.host.transport!.request({ method: 'GET', path: '/api/v1/namespaces/kube-system/secrets' });
      assert.equal(secrets.status, 200, 'the admin identity may read secrets');
    });

    it('applies a manifest through kubelab.apply with a file URI', async () => {
      const kube = await clusterApi();
      const api = await kubelabApi();
      await until(async () => api.host.current === 'running', 'the cluster running', 90_000);
      const ws = process.env.KUBELAB_E2E_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(ws, 'no workspace folder');
      const runs = (await vscode.commands.executeCommand('kubelab.apply', vscode.Uri.file(path.join(ws, 'web.yaml')))) as { outcomes: { line?: string; error?: string }[] }[];
      assert.match(runs?.[0]?.outcomes?.[0]?.line ?? JSON.stringify(runs), /^deployment\.apps\/web (created|unchanged|configured)$/);
      const dep = await until(
        async () => {
          const r = await kube.request('GET', '/apis/apps/v1/namespaces/default/deployments/web');
          return r.status === 200 ? (r.body as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } }) : undefined;
        },
        'GET deployments/web → 200',
        30_000,
      );
      assert.equal(dep.spec.replicas, 3);
      assert.equal(dep.spec.template.spec.containers[0].image, 'nginx:1.27');
    });
  });
}
