/** The event & pod panel. Runs in the webview (browser); talks to the extension only through typed messages. */

/** Messages the webview sends to the extension. */
export type WebviewToExtension = { type: 'ready' };

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function render(): void {
  const heading = document.createElement('h1');
  heading.textContent = 'KubeLab';
  document.body.replaceChildren(heading);
}

render();
vscode.postMessage({ type: 'ready' });
