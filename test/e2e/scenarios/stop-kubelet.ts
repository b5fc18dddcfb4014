/**
 * Scenario 5: Cluster tree → Nodes → a node that runs web pods → "Stop Kubelet". After the node monitor grace period
 * (50 s) and the pods' tolerationSeconds (5 s) the node controller evicts them and the ReplicaSet replaces them: the
 * Cluster tree shows three web pods Running again, none on the stopped node (checked through the API as well). The
 * kubelet is started again at the end (also when the scenario fails).
 */
import type { Kube } from '../harness/kube';
import { contextMenu, expandPane, expandPath, openViewContainer, poll, treeRow } from '../harness/workbench';
import { items, type Scenario } from './scenario';

interface PodInfo {
  name: string;
  node: string;
  phase: string;
  deleting: boolean;
}

async function webPods(kube: Kube): Promise<PodInfo[]> {
  const r = await kube.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb');
  if (r.status !== 200) throw new Error(`list pods: HTTP ${r.status}`);
  return items(r.body).map((p) => {
    const meta = p.metadata as { name: string; deletionTimestamp?: string };
    return {
      name: meta.name,
      node: (p.spec as { nodeName?: string }).nodeName ?? '',
      phase: (p.status as { phase?: string }).phase ?? '',
      deleting: Boolean(meta.deletionTimestamp),
    };
  });
}

export const stopKubelet: Scenario = {
  name: '5-stop-kubelet',
  title: 'Stop Kubelet on a node with web pods → they come back Running on other nodes (≤ 150 s)',
  timeoutMs: 240_000,
  async run({ page, log, kube: getKube }) {
    const kube = await getKube();
    const before = await webPods(kube);
    const victim = before.find((p) => p.phase === 'Running' && p.node)?.node;
    if (!victim) throw new Error(`no Running web pod with a node: ${JSON.stringify(before)}`);
    log(`stopping the kubelet of ${victim} (web pods there: ${before.filter((p) => p.node === victim).map((p) => p.name).join(', ')})`);
    await openViewContainer(page, 'KubeLab');
    const pane = await expandPane(page, 'Cluster');
    await expandPath(pane, ['Nodes'], 30_000);
    const nodeRow = treeRow(pane, victim, 2).first();
    await nodeRow.waitFor({ timeout: 15_000 });
    await contextMenu(nodeRow, 'Stop Kubelet');
    const started = Date.now();
    try {
      await poll(
        async () => {
          const pods = (await webPods(kube)).filter((p) => !p.deleting);
          const running = pods.filter((p) => p.phase === 'Running' && p.node !== victim);
          return running.length >= 3 && !pods.some((p) => p.node === victim) ? running : undefined;
        },
        `three web pods Running off ${victim} (API)`,
        150_000,
        2000,
      );
      log(`pods rescheduled after ${Math.round((Date.now() - started) / 1000)} s`);
      await expandPath(pane, ['Namespaces', 'default', 'deployment/web'], 30_000);
      await poll(
        async () => {
          const rows = treeRow(pane, /^web-/, 4);
          const texts = await rows.allInnerTexts();
          const live = (await webPods(kube)).filter((p) => !p.deleting).map((p) => p.name);
          const running = texts.filter((t) => /Running/.test(t) && live.some((n) => t.includes(n)));
          return running.length >= 3 ? running : undefined;
        },
        'three Running web pod rows (current pods) under deployment/web in the Cluster tree',
        30_000,
      );
    } finally {
      const again = treeRow(pane, victim, 2).first();
      await contextMenu(again, 'Start Kubelet').catch((e: Error) => log(`could not start the kubelet again: ${e.message}`));
    }
  },
};
