/**
 * What the ingress controller sends and answers: hop-by-hop headers removed (also those the Connection header
 * names), the ingress-nginx X-Forwarded-* headers, the status published on Ingresses, the error pages, and the
 * add-on's manifests.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endToEndHeaders, upstreamHeaders } from '../../../../src/addons/ingress/http-forward';
import { errorPageBody } from '../../../../src/addons/ingress/error-pages';
import { desiredStatus, sameStatus } from '../../../../src/addons/ingress/status';
import { ingressManifests } from '../../../../src/addons/ingress/manifests';
import { rawErrorResponse, upgradeRequestHead } from '../../../../src/addons/ingress/upgrade-forward';

describe('forwarded headers', () => {
  it('drops hop-by-hop headers and the ones Connection names; keeps repeated headers', () => {
    const raw = ['Host', 'a.example', 'Connection', 'keep-alive, X-Secret', 'Keep-Alive', 'timeout=5', 'X-Secret', 's', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'TE', 'trailers', 'Accept', 'text/html', 'Cookie', 'a=1', 'Cookie', 'b=2'];
    assert.deepEqual(endToEndHeaders(raw), { host: 'a.example', accept: 'text/html', cookie: ['a=1', 'b=2'] });
  });

  const cases: [string, string[], Record<string, string>][] = [
    ['no prior X-Forwarded-For', ['Host', 'a.example:8080'], { 'x-forwarded-for': '127.0.0.1', 'x-forwarded-host': 'a.example:8080' }],
    ['one prior value: appended', ['Host', 'a.example', 'X-Forwarded-For', '192.0.2.1'], { 'x-forwarded-for': '192.0.2.1, 127.0.0.1' }],
    ['two prior headers: joined then appended', ['Host', 'a.example', 'X-Forwarded-For', '192.0.2.1', 'X-Forwarded-For', '192.0.2.2'], { 'x-forwarded-for': '192.0.2.1, 192.0.2.2, 127.0.0.1' }],
  ];
  for (const [name, raw, want] of cases)
    it(name, () => {
      const h = upstreamHeaders(raw, { clientIP: '127.0.0.1', listenPort: 30080 });
      for (const [k, v] of Object.entries(want)) assert.equal(h[k], v, k);
      assert.equal(h['x-real-ip'], '127.0.0.1');
      assert.equal(h['x-forwarded-port'], '30080');
      assert.equal(h['x-forwarded-proto'], 'http');
      assert.equal(h.connection, 'close');
    });
});

describe('upgrade requests', () => {
  it('the head keeps Upgrade, asks Connection: upgrade and adds X-Forwarded-*', () => {
    const raw = ['Host', 'a.example', 'Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Key', 'k==', 'Sec-WebSocket-Version', '13'];
    const head = upgradeRequestHead({ method: 'GET', url: '/ws?x=1', rawHeaders: raw, headers: { upgrade: 'websocket' } }, { clientIP: '10.0.0.1', listenPort: 80 });
    const lines = head.split('\r\n');
    assert.equal(lines[0], 'GET /ws?x=1 HTTP/1.1');
    assert.ok(head.endsWith('\r\n\r\n'));
    for (const l of ['host: a.example', 'connection: upgrade', 'upgrade: websocket', 'sec-websocket-key: k==', 'sec-websocket-version: 13', 'x-forwarded-for: 10.0.0.1']) assert.ok(lines.includes(l), l);
  });

  it('errors before the tunnel are complete HTTP/1.1 responses', () => {
    const r = rawErrorResponse(503);
    assert.match(r, /^HTTP\/1\.1 503 Service Temporarily Unavailable\r\n/);
    const [head, body] = r.split('\r\n\r\n');
    assert.match(head, new RegExp(`Content-Length: ${Buffer.byteLength(r.slice(head.length + 4))}`));
    assert.match(body, /<title>503 Service Temporarily Unavailable<\/title>/);
  });
});

describe('status and pages', () => {
  it('the published address is a v1 IngressLoadBalancerIngress, compared order-insensitively', () => {
    assert.deepEqual(desiredStatus('127.0.0.1', 8080), [{ ip: '127.0.0.1', ports: [{ port: 8080, protocol: 'TCP' }] }]);
    assert.equal(sameStatus(desiredStatus('127.0.0.1', 8080), [{ ports: [{ protocol: 'TCP', port: 8080 }], ip: '127.0.0.1' }]), true);
    assert.equal(sameStatus(desiredStatus('127.0.0.1', 8080), desiredStatus('127.0.0.1', 8081)), false);
    assert.equal(sameStatus(undefined, []), true);
    assert.equal(sameStatus([{ ip: '1.1.1.1' }, { ip: '2.2.2.2' }], [{ ip: '2.2.2.2' }, { ip: '1.1.1.1' }]), true);
  });

  it('error pages read like nginx', () => {
    assert.equal(errorPageBody(404), '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>kubelab-ingress</center>\r\n</body>\r\n</html>\r\n');
    assert.match(errorPageBody(503), /503 Service Temporarily Unavailable/);
    assert.match(errorPageBody(502), /502 Bad Gateway/);
  });

  it('manifests: a default IngressClass, RBAC for the controller user, a simulated Deployment', () => {
    const m = ingressManifests({ port: 30080 });
    assert.deepEqual(m.map((o) => `${o.kind}/${o.metadata?.name}`), ['IngressClass/kubelab', 'ClusterRole/system:kubelab:ingress-controller', 'ClusterRoleBinding/system:kubelab:ingress-controller', 'Deployment/kubelab-ingress-controller']);
    assert.equal(m[0].metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'], 'true');
    assert.equal((m[0].spec as { controller: string }).controller, 'kubelab.dev/ingress-controller');
    assert.deepEqual((m[2].subjects as unknown[])[0], { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kubelab:ingress-controller' });
    assert.equal(m[3].metadata?.namespace, 'kube-system');
    assert.equal(m[3].metadata?.labels?.['kubelab.dev/simulated'], 'true');
    assert.match(JSON.stringify(m[3].spec), /--http-address=127\.0\.0\.1:30080/);
  });
});
