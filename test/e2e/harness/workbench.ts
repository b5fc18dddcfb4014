/**
 * Workbench helpers for the scenarios, written against VS Code 1.100's DOM (code-server 4.100.3): the activity bar,
 * tree rows of a view, the command palette, context menus, notifications, the Problems panel, the status bar and the
 * event panel's webview. Every wait is bounded; failures throw with what was awaited.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { poll } from './poll';
export { poll };

const exact = (s: string): RegExp => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Clicks the activity bar entry whose aria-label starts with `title` unless its container is already showing. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar [aria-label^="${title}"]`).first();
  await item.waitFor({ timeout: 30_000 });
  const selected = await item.evaluate((el) => {
    const li = el.closest('li');
    return Boolean(li && (li.classList.contains('checked') || li.getAttribute('aria-pressed') === 'true' || li.getAttribute('aria-expanded') === 'true'));
  });
  if (!selected) await item.click();
}

/** The pane of the view named `viewName` (its header's aria-label is "<name> Section"). */
export function viewPane(page: Page, viewName: string): Locator {
  return page.locator('.pane').filter({ has: page.locator(`.pane-header[aria-label^="${viewName} Section"]`) });
}

/** Makes sure the view's pane is expanded (several views share a container; a collapsed one shows no rows). */
export async function expandPane(page: Page, viewName: string, collapseOthers: readonly string[] = KUBELAB_VIEWS): Promise<Locator> {
  // The other views of the container are collapsed first, so this one gets the height (tree rows are virtualized:
  // a row outside the viewport is not in the DOM).
  for (const other of collapseOthers) {
    if (other === viewName) continue;
    const h = viewPane(page, other).locator('.pane-header').first();
    if ((await h.count()) && (await h.getAttribute('aria-expanded')) === 'true') await h.click();
  }
  const pane = viewPane(page, viewName);
  const header = pane.locator('.pane-header').first();
  await header.waitFor({ state: 'attached' });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/** The views of the KubeLab view container. */
export const KUBELAB_VIEWS = ['Registry', 'Cluster'] as const;

/** The tree row at `level` (1 = root) whose label is exactly `label`. */
export function treeRow(scope: Locator, label: string | RegExp, level?: number): Locator {
  const rows = scope.locator(level === undefined ? '.monaco-list-row' : `.monaco-list-row[aria-level="${level}"]`);
  return rows.filter({ has: scope.page().locator('.label-name', { hasText: typeof label === 'string' ? exact(label) : label }) });
}

/**
 * The list indexes (monaco's data-index: the row's place in the flattened tree, top to bottom) of the rows along
 * `path`, each the first row with its label one level deeper after its parent; undefined while one is not rendered.
 * Labels repeat across branches ("default" under deployments and under namespaces) and the DOM order of a virtual
 * list's rows is not their visual order, so a row is found under its parent, not by label and level alone.
 */
async function pathIndexes(scope: Locator, path: string[]): Promise<number[] | undefined> {
  const out: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const parent = out[i - 1] ?? -1;
    const candidates = await treeRow(scope, path[i], i + 1).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    const next = candidates.filter((n) => Number.isInteger(n) && n > parent).sort((x, y) => x - y)[0];
    if (next === undefined) return undefined;
    out.push(next);
  }
  return out;
}

/**
 * Expands (if collapsed) each row of `path` in turn, one level deeper each, each found under its parent
 * (pathIndexes); returns the last row. A click can be lost, or land on another row, when the tree re-renders under
 * it (the Registry tree refreshes as watch events arrive, e.g. right after an apply adds folders above), so the path
 * is looked up again before every click and a row still collapsed 3 s after a click is clicked again, until
 * `timeoutMs`.
 */
export async function expandPath(scope: Locator, path: string[], timeoutMs = 30_000): Promise<Locator> {
  if (!path.length) throw new Error('expandPath: empty path');
  const page = scope.page();
  const rowAt = (index: number): Locator => scope.locator(`.monaco-list-row[data-index="${index}"]`);
  for (let i = 0; i < path.length; i++) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = await pathIndexes(scope, path.slice(0, i + 1));
      const row = at && rowAt(at[i]);
      const expanded = row ? await row.getAttribute('aria-expanded', { timeout: 1000 }).catch(() => 'unknown') : 'unknown';
      if (expanded === 'true' || (expanded === null && i === path.length - 1)) break;
      if (Date.now() > deadline) {
        throw new Error(`timed out expanding ${path.slice(0, i + 1).join('/')}: ${at ? `aria-expanded="${expanded}"` : 'the row is not shown under its parent'}`);
      }
      if (row && expanded === 'false') {
        await row.click({ timeout: 5000 }).catch(() => undefined);
        await waitAttr(row, 'aria-expanded', 'true', 3000).catch(() => undefined);
      } else {
        await page.waitForTimeout(200);
      }
    }
  }
  const at = await pathIndexes(scope, path);
  if (!at) throw new Error(`expandPath: ${path.join('/')} is no longer shown`);
  return treeRow(scope, path[path.length - 1], path.length).and(rowAt(at[at.length - 1]));
}

/**
 * Expands `path` until the row `name` (at tree level `level`) under it shows. The tree refreshes while the cluster
 * writes (counts change, rows shift), so one expansion can land on a moved row or be undone before the row renders:
 * expand again until it shows.
 */
export async function expandToRow(scope: Locator, path: string[], name: string, level: number, timeoutMs = 60_000): Promise<Locator> {
  const row = treeRow(scope, name, level).first();
  await poll(
    async () => {
      await expandPath(scope, path, 10_000).catch(() => undefined);
      return row.isVisible();
    },
    `${[...path, name].join('/')} shown in the tree`,
    timeoutMs,
    200,
  );
  return row;
}

export async function waitAttr(loc: Locator, name: string, value: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await loc.getAttribute(name)) !== value) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name}="${value}"`);
    await loc.page().waitForTimeout(100);
  }
}

/** Runs a command through the palette by its full title ("KubeLab: Apply Manifest"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const pick = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await pick.waitFor({ timeout: 15_000 });
  await pick.click();
}

/** Right-clicks `row` and picks the context menu entry `label`. */
export async function contextMenu(row: Locator, label: string): Promise<void> {
  await row.click({ button: 'right' });
  const page = row.page();
  const item = page.locator('.monaco-menu .action-label').filter({ hasText: exact(label) }).first();
  await item.waitFor({ timeout: 10_000 });
  // A menu ignores a mouseup that comes right after it opened: hover first, click, and fall back to Enter (the hovered
  // entry is the focused one) while the menu is still open.
  await item.hover();
  await page.waitForTimeout(300);
  await item.click();
  await page.waitForTimeout(300);
  if (await item.isVisible().catch(() => false)) await page.keyboard.press('Enter');
  await item.waitFor({ state: 'hidden', timeout: 5000 });
}

/** Texts of the visible notification toasts. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notification-toast').allInnerTexts();
}

/** Waits for a toast whose text matches `re`; returns its text. */
export async function waitNotification(page: Page, re: RegExp, timeoutMs = 30_000): Promise<string> {
  const toast = page.locator('.notification-toast').filter({ hasText: re }).first();
  await toast.waitFor({ timeout: timeoutMs });
  return toast.innerText();
}

/** The status bar text of the item whose id is `id` (e.g. "kubelab.kubelab.kubelab.status") or whose text matches. */
export async function statusBarText(page: Page, re: RegExp): Promise<string | undefined> {
  const item = page.locator('.part.statusbar .statusbar-item').filter({ hasText: re }).first();
  return (await item.count()) ? item.innerText() : undefined;
}

/** Rows of the Problems panel (opened with its command), each row's aria-label (message, source, line, column). */
export async function problems(page: Page): Promise<string[]> {
  await runCommand(page, 'View: Focus Problems');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  return (await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label') ?? ''} | ${e.textContent ?? ''}`))).map((s) => s.replace(/\s+/g, ' '));
}

/** The event panel's inner frame (webview view kubelab.events). */
export function eventPanel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Texts of one column (className of webview/columns.ts: "reason", "status", "name", "node" …) of a table. */
export async function panelColumn(frame: FrameLocator, table: 'events' | 'pods', column: string): Promise<string[]> {
  return frame.locator(`#view-${table} .rows .row .cell.${column}`).allInnerTexts();
}

/** Rows of a table as {column: text} records. */
export async function panelRows(frame: FrameLocator, table: 'events' | 'pods'): Promise<Record<string, string>[]> {
  return frame.locator(`#view-${table} .rows .row`).evaluateAll((rows) =>
    rows.map((r) => {
      const rec: Record<string, string> = {};
      for (const c of r.querySelectorAll('.cell')) {
        const key = [...c.classList].find((k) => k !== 'cell' && k !== 'link' && !k.startsWith('status-'));
        if (key) rec[key] = (c.textContent ?? '').trim();
      }
      return rec;
    }),
  );
}

/** Waits until the status bar says the cluster runs (`KubeLab: 4/4 nodes · R/N pods`). */
export async function waitClusterRunning(page: Page, timeoutMs = 90_000): Promise<string> {
  return poll(() => statusBarText(page, /KubeLab: (\d+)\/\1 nodes · \d+\/\d+ pods?/), 'the status bar item "KubeLab: N/N nodes · R/N pods"', timeoutMs);
}

/**
 * Every row of a (virtualised) table: scrolls its scroll container from top to bottom, giving the host time to send
 * each window of rows, and collects the rendered rows (deduplicated by their text).
 */
export async function panelRowsAll(frame: FrameLocator, table: 'events' | 'pods', settleMs = 300): Promise<Record<string, string>[]> {
  const scroller = frame.locator(`#view-${table} .vt`).first();
  const seen = new Map<string, Record<string, string>>();
  const height = await scroller.evaluate((el) => ({ total: el.scrollHeight, view: el.clientHeight }));
  const step = Math.max(50, Math.floor(height.view / 2));
  for (let top = 0; ; top += step) {
    await scroller.evaluate((el, y) => el.scrollTo(0, y), top);
    await frame.locator('body').evaluate((_b, ms) => new Promise((r) => setTimeout(r, ms)), settleMs);
    for (const r of await panelRows(frame, table)) seen.set(JSON.stringify(r), r);
    if (top + height.view >= height.total) break;
  }
  return [...seen.values()];
}
