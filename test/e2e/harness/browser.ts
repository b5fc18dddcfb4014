/**
 * The browser side of the e2e run: Debian's chromium driven by playwright-core (no browser download), one persistent
 * context per run in a temp profile, and a page on the workbench of a code-server.
 *
 * Contract: `close()` closes the context (and so the browser) and never throws.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(executablePath: string, profileDir: string): Promise<Browser> {
  fs.mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1600, height: 1000 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}

/** Opens the workbench at `url` (with the workspace folder) and waits for it to render. */
export async function openWorkbench(context: BrowserContext, url: string, folder: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

/** page.screenshot into `dir/<name>.png`; never throws (a failed screenshot must not hide the real failure). */
export async function screenshot(page: Page, dir: string, name: string): Promise<string | undefined> {
  const file = path.join(dir, `${name}.png`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  } catch {
    return undefined;
  }
}
