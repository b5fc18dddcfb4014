/**
 * Scenario 1: the KubeLab activity bar icon opens the Registry tree, which shows /registry/namespaces/default once the
 * folders are expanded; the status bar says the cluster runs (`KubeLab: 4/4 nodes · N pods`).
 */
import { expandPane, expandPath, openViewContainer, treeRow, waitClusterRunning } from '../harness/workbench';
import type { Scenario } from './scenario';

export const registryTree: Scenario = {
  name: '1-registry-tree',
  title: 'activity bar → Registry tree shows /registry/namespaces/default',
  timeoutMs: 120_000,
  async run({ page }) {
    await waitClusterRunning(page);
    await openViewContainer(page, 'KubeLab');
    const pane = await expandPane(page, 'Registry');
    await expandPath(pane, ['registry', 'namespaces'], 30_000);
    await treeRow(pane, 'default', 3).first().waitFor({ timeout: 15_000 });
  },
};
