/**
 * Scenario 2: right-click web.yaml (Deployment web, 3 × nginx:1.27) in the explorer → "Apply Manifest": a notification
 * with kubectl's line `deployment.apps/web created`, the Registry tree gains /registry/deployments/default/web and the
 * event panel's Pods table shows three web-… pods Running.
 */
import { contextMenu, eventPanel, expandPane, expandToRow, openViewContainer, panelRows, poll, runCommand, treeRow, waitClusterRunning, waitNotification } from '../harness/workbench';
import type { Scenario } from './scenario';

export const applyManifest: Scenario = {
  name: '2-apply-manifest',
  title: 'explorer → Apply Manifest → /registry/deployments/default/web and 3 pods Running in the event panel',
  timeoutMs: 150_000,
  async run({ page, log }) {
    // The explorer's KubeLab entries depend on the extension's context keys: wait until the cluster runs.
    await waitClusterRunning(page);
    await openViewContainer(page, 'Explorer');
    const file = treeRow(page.locator('.explorer-folders-view'), 'web.yaml').first();
    await file.waitFor({ timeout: 15_000 });
    await contextMenu(file, 'Apply Manifest');
    const toast = await waitNotification(page, /deployment\.apps\/web (created|configured|unchanged)/, 30_000);
    log(`notification: ${toast.replace(/\s+/g, ' ')}`);
    await openViewContainer(page, 'KubeLab');
    const pane = await expandPane(page, 'Registry');
    await expandToRow(pane, ['registry', 'deployments', 'default'], 'web', 4);
    await runCommand(page, 'KubeLab: Open Event Panel');
    const frame = eventPanel(page);
    await frame.locator('#tab-pods').click({ timeout: 30_000 });
    const rows = await poll(
      async () => {
        const web = (await panelRows(frame, 'pods')).filter((r) => r.name?.startsWith('web-') && r.status === 'Running');
        return web.length >= 3 ? web : undefined;
      },
      'three web-… pods Running in the Pods table',
      90_000,
    );
    log(`pods: ${rows.map((r) => `${r.name} ${r.status} ${r.node ?? ''}`).join(', ')}`);
  },
};
