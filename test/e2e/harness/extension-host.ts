/**
 * Runs a mocha suite inside the real (node) extension host of a code-server, the way @vscode/test-electron does on
 * desktop: the workbench is opened with a `payload` naming extensionDevelopmentPath (the extension's folder) and
 * extensionTestsPath (a CommonJS module exporting `run(): Promise<void>`); the workbench reports the suite's output
 * through `window.codeAutomationLog` and its end through `window.codeAutomationExit(code)`.
 *
 * Contract: resolves with the exit code (0 = every test passed) and every output line; a suite that does not finish
 * within `timeoutMs` resolves with code 124 and what it printed so far.
 */
import { format } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import type { CodeServer } from './code-server';

export interface HostRun {
  exitCode: number;
  lines: string[];
}

function remote(server: CodeServer, absPath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${absPath}`;
}

function text(message: unknown): string {
  if (Array.isArray(message)) return format(...(message as unknown[]));
  return typeof message === 'string' ? message : JSON.stringify(message);
}

export async function runExtensionHostTests(
  context: BrowserContext,
  server: CodeServer,
  opts: { extensionPath: string; testsPath: string; timeoutMs: number; onLine?: (line: string) => void },
): Promise<HostRun> {
  const page = await context.newPage();
  const lines: string[] = [];
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (_level: unknown, message: unknown) => {
    for (const line of text(message).split('\n')) {
      lines.push(line);
      opts.onLine?.(line);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => resolveExit(Number(code)));
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(server, opts.extensionPath)],
    ['extensionTestsPath', remote(server, opts.testsPath)],
  ]);
  const url = `${server.url}/?folder=${encodeURIComponent(server.dirs.workspace)}&payload=${encodeURIComponent(payload)}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await page.goto(url, { timeout: 60_000 });
    const code = await Promise.race([
      exited,
      new Promise<number>((r) => {
        timer = setTimeout(() => r(124), opts.timeoutMs);
      }),
    ]);
    if (code === 124) lines.push(`(the extension host suite did not finish within ${opts.timeoutMs} ms)`);
    return { exitCode: code, lines };
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
  }
}
