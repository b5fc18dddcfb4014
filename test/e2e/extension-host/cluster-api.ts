/**
 * The cluster's API as the extension host suites see it: the kubeconfig the extension wrote (path from
 * KUBELAB_E2E_KUBECONFIG), waited for, plus small polling helpers. Imports nothing from vscode.
 */
import * as fs from 'node:fs';
import { kubeFromKubeconfig, type Kube } from '../harness/kube';
import { poll } from '../harness/poll';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const until = poll;

let kube: Kube | undefined;

/** The cluster API (waits up to 90 s for the kubeconfig and for the API server to answer /readyz). */
export async function clusterApi(): Promise<Kube> {
  if (kube) return kube;
  const file = process.env.KUBELAB_E2E_KUBECONFIG;
  if (!file) throw new Error('KUBELAB_E2E_KUBECONFIG is not set (the e2e harness sets it on code-server)');
  await until(async () => fs.existsSync(file), `the kubeconfig at ${file}`, 90_000);
  const k = kubeFromKubeconfig(file);
  await until(async () => (await k.request('GET', '/readyz')).status === 200, 'the API server /readyz', 90_000);
  kube = k;
  return k;
}
