/**
 * Scenario 7: a second VS Code window on the same user data (a second browser tab of code-server, with its own
 * extension host) does not start a second cluster on the same data directory: it attaches to the running one
 * through its endpoint and shows the same views — the status bar counts, and the Registry tree with the Deployment
 * scenario 2 applied. Its KubeLab log says it attached.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, screenshot } from '../harness/browser';
import { expandPane, expandToRow, openViewContainer, poll, waitClusterRunning } from '../harness/workbench';
import type { Scenario } from './scenario';

/** Every KubeLab output-channel log file under the user data's logs (one per window's extension host). */
function kubelabLogs(userData: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/KubeLab\.log$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(userData, 'logs'));
  return out;
}

export const secondWindow: Scenario = {
  name: '7-second-window',
  title: 'a second window attaches to the running cluster and shows the same views',
  timeoutMs: 150_000,
  async run({ page, server, log }) {
    const folder = new URL(page.url()).searchParams.get('folder') ?? server.dirs.workspace;
    const second = await openWorkbench(page.context(), server.url, folder);
    try {
      log(`second window: ${await waitClusterRunning(second)}`);
      await openViewContainer(second, 'KubeLab');
      const pane = await expandPane(second, 'Registry');
      await expandToRow(pane, ['registry', 'deployments', 'default'], 'web', 4);
      const attached = await poll(
        async () => kubelabLogs(server.dirs.userData).find((f) => fs.readFileSync(f, 'utf8').includes('attached to the KubeLab cluster another window runs')),
        'a KubeLab log saying the second window attached',
        30_000,
      );
      log(`attached: ${path.relative(server.dirs.userData, attached)}`);
      await screenshot(second, path.join(process.cwd(), 'test-artifacts', 'e2e'), '7-second-window-b');
    } finally {
      await second.close();
    }
  },
};
