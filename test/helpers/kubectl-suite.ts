/**
 * One kubectl integration suite = one top-level test: skips (t.skip with the reason) when no kubectl ≥ 1.27 is on
 * PATH, otherwise starts a fresh test cluster, hands the body a Kubectl bound to the cluster's kubeconfig (with its
 * own cache dir), and always disposes both. Subtests run inside `body` with `t.test`.
 */
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { startTestCluster, type TestCluster } from './apiserver';
import { findKubectl, Kubectl } from './kubectl';

export interface KubectlSuite {
  k: Kubectl;
  tc: TestCluster;
}

/** Absolute path of a manifest under test/fixtures/kubectl. */
export function fixture(name: string): string {
  return path.join(__dirname, '..', 'fixtures', 'kubectl', name);
}

export async function kubectlSuite(t: TestContext, body: (s: KubectlSuite) => Promise<void>, cluster: Parameters<typeof startTestCluster>[0] = {}): Promise<void> {
  const found = await findKubectl();
  if (!found.ok) {
    t.diagnostic(`skipping: ${found.reason}`);
    t.skip(found.reason);
    return;
  }
  const tc = await startTestCluster(cluster);
  const k = new Kubectl({ kubeconfig: tc.cluster.kubeconfig });
  try {
    await body({ k, tc });
  } finally {
    await k.dispose();
    await tc.stop();
  }
}
