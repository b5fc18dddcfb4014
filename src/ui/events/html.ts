/**
 * The event panel's HTML document. The host passes what only it knows (webview.cspSource, the asWebviewUri of
 * media/webview.js, a fresh nonce per render); the document allows nothing else:
 * `default-src 'none'`, scripts only with the nonce, styles only from the extension's media or with the nonce
 * (the webview UI toolkit reads `<meta property="csp-nonce">` to stamp its own `<style>` elements), fonts from the
 * extension's media (the codicons of the toolkit). The webview must be created with `enableScripts: true` and
 * `localResourceRoots: [<extension>/media]`.
 */

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(<extension>/media/webview.js).toString() */
  scriptUri: string;
  /** At least 16 characters of [A-Za-z0-9]; a new one each time the HTML is set. */
  nonce: string;
  title?: string;
}

const NONCE = /^[A-Za-z0-9+/=]{16,}$/;

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A nonce from `randomBytes` (e.g. crypto.getRandomValues / randomFillSync): 32 alphanumeric characters. */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((b) => chars[b % chars.length]).join('');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  if (!NONCE.test(input.nonce)) throw new Error('panelHtml: the nonce must be at least 16 base64 characters');
  const nonce = escapeAttr(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(input.cspSource, input.nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(input.title ?? 'KubeLab Events')}</title>
</head>
<body>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
