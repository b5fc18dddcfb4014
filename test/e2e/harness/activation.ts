/**
 * Activation time to usable UI, measured with the clocks of one machine: the extension host logs
 * `ExtensionService#_doActivateExtension kubelab.kubelab` (remoteexthost.log, local time with ms) when it starts
 * activating the extension, and an init script in the workbench page records Date.now() when the status bar first
 * shows a KubeLab item (created by activate()). The difference is the metric.
 *
 * Contract: `armActivationProbe` must be called on the context before the workbench page opens;
 * `activationToStatusBarMs` returns undefined (with the reason) when either timestamp is missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

const PROBE = `(() => {
  if (window.top !== window) return;
  const obs = new MutationObserver(() => {
    if (window.__kubelabStatusAt) return;
    const items = document.querySelectorAll('.part.statusbar .statusbar-item');
    for (const el of items) {
      if (/KubeLab/.test(el.textContent || '')) { window.__kubelabStatusAt = Date.now(); obs.disconnect(); return; }
    }
  });
  obs.observe(document, { childList: true, subtree: true, characterData: true });
})()`;

export async function armActivationProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript(PROBE);
}

const LINE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) \[info\] ExtensionService#_doActivateExtension kubelab\.kubelab\b/m;

/** The local-time timestamp (ms since the epoch) of the extension host's activation log line, if present. */
export function activationLoggedAt(userData: string): number | undefined {
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) return undefined;
  for (const session of fs.readdirSync(logs).sort().reverse()) {
    const dir = path.join(logs, session);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const host of fs.readdirSync(dir).filter((d) => d.startsWith('exthost'))) {
      const file = path.join(dir, host, 'remoteexthost.log');
      if (!fs.existsSync(file)) continue;
      const m = LINE.exec(fs.readFileSync(file, 'utf8'));
      if (m) return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]).getTime();
    }
  }
  return undefined;
}

export async function activationToStatusBarMs(page: Page, userData: string): Promise<{ ms?: number; why?: string }> {
  const statusAt = await page.evaluate<number | undefined>('window.__kubelabStatusAt');
  const activatedAt = activationLoggedAt(userData);
  if (!statusAt) return { why: 'the status bar never showed a KubeLab item' };
  if (!activatedAt) return { why: 'no "_doActivateExtension kubelab.kubelab" line in remoteexthost.log' };
  return { ms: statusAt - activatedAt };
}
