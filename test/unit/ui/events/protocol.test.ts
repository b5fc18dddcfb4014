/**
 * The webview protocol's validation, the panel's HTML (CSP), registry keys of the objects it links, and the rule that
 * the webview imports only the protocol from src.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { builtinResources } from '../../../../src/api/resources';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../../src/ui/events/html';
import { DEFAULT_SETTINGS, PROTOCOL_VERSION, parseExtensionMessage, parseWebviewMessage } from '../../../../src/ui/events/protocol';
import { registryKeyResolver } from '../../../../src/ui/events/registry-key';

const v = PROTOCOL_VERSION;

describe('protocol validation', () => {
  it('accepts every well-formed webview message', () => {
    for (const m of [
      { type: 'ready', v },
      { type: 'ready', v, settings: DEFAULT_SETTINGS },
      { type: 'setState', v, settings: { ...DEFAULT_SETTINGS, tab: 'pods' } },
      { type: 'viewport', v, tab: 'pods', scrollTop: 10, height: 300, follow: false },
      { type: 'reveal', v, ref: { kind: 'Node', namespace: '', name: 'node-1' } },
      { type: 'openRegistry', v, key: '/registry/minions/node-1' },
    ]) {
      assert.deepEqual(parseWebviewMessage(m), m);
    }
  });

  it('rejects other versions, unknown types and wrong shapes', () => {
    for (const m of [
      undefined,
      [],
      { type: 'ready' },
      { type: 'ready', v: 0 },
      { type: 'ready', v, settings: { tab: 'logs', paused: false, filters: DEFAULT_SETTINGS.filters } },
      { type: 'viewport', v, tab: 'events', scrollTop: Number.NaN, height: 1, follow: true },
      { type: 'reveal', v, ref: { kind: 'Pod', namespace: 'default', name: 1 } },
      { type: 'openRegistry', v, key: 42 },
      { type: 'snapshot', v },
    ]) {
      assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
    }
    assert.equal(parseExtensionMessage({ type: 'events', v }), undefined);
    assert.equal(parseExtensionMessage({ type: 'events', v: v + 1, window: { total: 0, first: 0, rows: [] } }), undefined);
    assert.ok(parseExtensionMessage({ type: 'pods', v, window: { total: 0, first: 0, rows: [] } }));
  });
});

describe('panel HTML', () => {
  const nonce = 'abcdefghijklmnopqrstuvwxyz012345';
  const html = panelHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/media/webview.js?a=1&b=2', nonce });

  it("allows nothing but the nonce'd script and the extension's own styles and fonts", () => {
    assert.equal(
      contentSecurityPolicy('SRC', nonce),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src SRC 'nonce-${nonce}'; font-src SRC; img-src SRC data:`,
    );
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';`));
    assert.ok(html.includes(`<meta property="csp-nonce" content="${nonce}">`), 'the toolkit reads the nonce for its styles');
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/media/webview.js?a=1&amp;b=2"></script>`));
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no inline script');
  });

  it('refuses a weak nonce; makes strong ones', () => {
    assert.throws(() => panelHtml({ cspSource: 'x', scriptUri: 'y', nonce: 'short' }));
    assert.throws(() => panelHtml({ cspSource: 'x', scriptUri: 'y', nonce: '" onload="alert(1)"  xxxxxxxx' }));
    let i = 0;
    const n = makeNonce((len) => Uint8Array.from({ length: len }, () => i++));
    assert.match(n, /^[A-Za-z0-9]{32}$/);
    assert.doesNotThrow(() => panelHtml({ cspSource: 'x', scriptUri: 'y', nonce: n }));
  });
});

describe('registry keys of linked objects', () => {
  const key = registryKeyResolver(builtinResources());
  const cases: [string, Parameters<typeof key>[0], string | undefined][] = [
    ['pod', { kind: 'Pod', namespace: 'default', name: 'web-1', apiVersion: 'v1' }, '/registry/pods/default/web-1'],
    ['deployment', { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' }, '/registry/deployments/default/web'],
    ['replica set without apiVersion', { kind: 'ReplicaSet', namespace: 'default', name: 'web-1' }, '/registry/replicasets/default/web-1'],
    ['node (cluster-scoped, upstream prefix)', { kind: 'Node', namespace: '', name: 'node-1', apiVersion: 'v1' }, '/registry/minions/node-1'],
    ['service (upstream prefix)', { kind: 'Service', namespace: 'default', name: 'web', apiVersion: 'v1' }, '/registry/services/specs/default/web'],
    ['unknown kind', { kind: 'Widget', namespace: 'default', name: 'w' }, undefined],
    ['namespaced without namespace', { kind: 'Pod', namespace: '', name: 'p' }, undefined],
  ];
  for (const [name, ref, want] of cases) it(name, () => assert.equal(key(ref), want));
});

describe('the webview bundle', () => {
  it('imports nothing from src but the protocol, and the protocol imports nothing', () => {
    const root = path.resolve(__dirname, '../../../..');
    const fromSrc: string[] = [];
    for (const f of readdirSync(path.join(root, 'webview')).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(path.join(root, 'webview', f), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) if (m[1]!.includes('/src/')) fromSrc.push(m[1]!);
    }
    assert.ok(fromSrc.length > 0);
    assert.deepEqual([...new Set(fromSrc)], ['../src/ui/events/protocol']);
    assert.doesNotMatch(readFileSync(path.join(root, 'src/ui/events/protocol.ts'), 'utf8'), /^import /m);
  });
});
