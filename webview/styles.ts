/**
 * The panel's own styles. Colours and fonts come only from VS Code's theme variables (`var(--vscode-…)`), so the
 * panel follows the theme. Installed as a `<style>` carrying the page's CSP nonce (read from
 * `<meta property="csp-nonce">`, the same place the toolkit reads it).
 */
import { ROW_HEIGHT_PX } from '../src/ui/events/protocol';

const CSS = `
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body {
  display: flex; flex-direction: column;
  color: var(--vscode-foreground);
  background: var(--vscode-panel-background, var(--vscode-editor-background));
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
}
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; padding: 4px 8px; }
.toolbar vscode-text-field { min-width: 160px; flex: 1 1 160px; max-width: 360px; }
.toolbar vscode-dropdown { min-width: 140px; }
.toolbar .status { color: var(--vscode-descriptionForeground); margin-left: auto; white-space: nowrap; }
.timeline { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 4px; padding: 2px 8px 4px;
  color: var(--vscode-descriptionForeground); }
.timeline[hidden] { display: none; }
.timeline .title { margin-right: 6px; }
.timeline .step { padding: 1px 6px; border-radius: 3px; border: 1px solid var(--vscode-panel-border, transparent);
  white-space: nowrap; cursor: default; }
.timeline .step.done { color: var(--vscode-foreground); background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.timeline .step.link { cursor: pointer; }
.timeline .step .at { opacity: 0.8; margin-left: 4px; }
.timeline .arrow { opacity: 0.6; }
vscode-panels { flex: 1 1 auto; min-height: 0; }
vscode-panel-view { position: absolute; inset: 0; padding: 0; display: block; }
vscode-panel-view[hidden] { display: none; }
.vt { position: absolute; inset: 0; overflow: auto; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size, 12px); }
.vt .head, .vt .row { display: grid; grid-template-columns: var(--vt-columns); height: ${ROW_HEIGHT_PX}px;
  line-height: ${ROW_HEIGHT_PX}px; min-width: var(--vt-min-width); }
.vt .head { position: sticky; top: 0; z-index: 1; font-weight: 600;
  background: var(--vscode-panel-background, var(--vscode-editor-background));
  border-bottom: 1px solid var(--vscode-panel-border, transparent); box-sizing: border-box; }
.vt .sizer { position: relative; min-width: var(--vt-min-width); }
.vt .rows { position: absolute; left: 0; right: 0; top: 0; will-change: transform; }
.vt .cell { padding: 0 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.vt .row:hover { background: var(--vscode-list-hoverBackground); }
.vt .row.warning .type, .vt .row.warning .reason { color: var(--vscode-editorWarning-foreground, var(--vscode-errorForeground)); font-weight: 600; }
.vt .row.warning { background: var(--vscode-inputValidation-warningBackground, transparent); }
.vt .status-error { color: var(--vscode-errorForeground); }
.vt .status-warn { color: var(--vscode-editorWarning-foreground); }
.vt .link { color: var(--vscode-textLink-foreground); cursor: pointer; }
.vt .link:hover { text-decoration: underline; color: var(--vscode-textLink-activeForeground); }
.vt .empty { position: sticky; left: 0; padding: 8px; color: var(--vscode-descriptionForeground); }
`;

export function installStyles(doc: Document): void {
  const style = doc.createElement('style');
  const nonce = doc.querySelector('meta[property="csp-nonce"]')?.getAttribute('content');
  if (nonce) style.nonce = nonce;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
