/**
 * Claim: the event panel's webview runs only the extension's own script. Its Content-Security-Policy starts from
 * `default-src 'none'`; scripts run only by the per-render nonce (never 'unsafe-inline', 'unsafe-eval', a host or
 * a scheme); every <script> in the document carries that nonce; a nonce that could break out of the attribute or
 * the policy is refused.
 */
import * as assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../src/ui/events/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const SCRIPT = 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the document has a CSP meta tag');
  return m[1].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('webview CSP', () => {
  it("default-src 'none', scripts only by nonce, nothing unsafe", () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const nonce = makeNonce((n) => randomFillSync(new Uint8Array(n)));
        const html = panelHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT, nonce });
        const policy = cspOf(html);
        assert.equal(policy, contentSecurityPolicy(CSP_SOURCE, nonce));
        const d = directives(policy);
        assert.deepEqual(d.get('default-src'), ["'none'"]);
        assert.deepEqual(d.get('script-src'), [`'nonce-${nonce}'`]);
        assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*/);
        for (const [name, values] of d) {
          for (const v of values) assert.ok(v === "'none'" || v === CSP_SOURCE || v === `'nonce-${nonce}'` || (name === 'img-src' && v === 'data:'), `${name} ${v}`);
        }
        assert.equal(d.has('connect-src') || d.has('frame-src') || d.has('object-src'), false);
        const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
        assert.ok(scripts.length >= 1);
        for (const attrs of scripts) assert.ok(attrs.includes(`nonce="${nonce}"`), attrs);
        assert.doesNotMatch(html, /\son\w+=/i, 'no inline event handlers');
      }),
      { numRuns: 50 },
    );
  });

  it('a fresh nonce each render, 32 alphanumerics', () => {
    const a = makeNonce((n) => randomFillSync(new Uint8Array(n)));
    const b = makeNonce((n) => randomFillSync(new Uint8Array(n)));
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(a, b);
  });

  it('refuses a nonce that is short or could escape the policy or the attribute', () => {
    for (const nonce of ['', 'short', `abcdefghijklmnop' 'unsafe-inline`, 'abcdefghijklmnop"><script>', 'abcdefghijklmnop; script-src *']) {
      assert.throws(() => panelHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT, nonce }), /the nonce must be/);
    }
  });
});
