/**
 * The ingress add-on end to end, against a real API server in process: the add-on's manifests are applied (the
 * IngressClass `kubelab`, default, and the controller's RBAC — the controller runs as its own user), two Services
 * with hand-made EndpointSlices whose endpoints are attached in a PodNetwork to two small real HTTP servers, and an
 * Ingress without class (DefaultIngressClass gives it `kubelab`) with two hosts. Requests through the controller's
 * loopback port reach the right server by Host and path; the Ingress status gets the address; 404 / 503 / 502 are
 * answered as ingress-nginx does; endpoint changes are followed and balanced round-robin.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/base/logger';
import { PodNetwork } from '../../src/addons/cni/pod-network';
import { INGRESS_CONTROLLER_USER, IngressController, ingressManifests } from '../../src/addons/ingress';
import { InProcessTransport } from '../../src/client/in-process';
import { ApiClient, type Obj } from '../../src/controllers/framework';
import type { KubeObject } from '../../src/api/object';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { waitFor } from '../helpers/wait';

const ING = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const SVC = { group: '', version: 'v1', resource: 'services' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

const RESOURCES: Record<string, { group: string; version: string; resource: string }> = {
  IngressClass: { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
};

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A backend answering JSON: its name, and what it received. */
function backend(name: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      res.setHeader('x-backend', name);
      res.end(JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  // An `echo` protocol upgrade: answers 101, then echoes every byte.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Backend: ${name}\r\nX-Seen-Forwarded-For: ${String(req.headers['x-forwarded-for'])}\r\n\r\n`);
    if (head.length) socket.write(head);
    socket.on('data', (d: Buffer) => socket.write(d));
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** An `echo` upgrade through the controller: the 101 answer's headers and what came back for `message`. */
function upgrade(port: number, host: string, path: string, message: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; echoed: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { host, connection: 'Upgrade', upgrade: 'echo' }, agent: false });
    req.on('upgrade', (res, socket: Duplex) => {
      let echoed = '';
      socket.on('data', (d: Buffer) => {
        echoed += d.toString();
        if (echoed.length >= message.length) {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, echoed });
        }
      });
      socket.write(message);
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, echoed: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

function request(port: number, host: string, path: string, o: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: { host, ...o.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const service = (name: string, port: { name: string; port: number; targetPort: number }, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ ...port, protocol: 'TCP' }], ...extra },
});

const slice = (name: string, svc: string, port: { name: string; port: number }, endpoints: { ip: string; ready?: boolean }[]): Obj => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ ...port, protocol: 'TCP' }],
  endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true } })),
});

const backendRef = (name: string, port: number | string) => ({ service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } });

describe('ingress controller (real API server, pod network, real backends)', () => {
  let tc: TestCluster;
  let api: ApiClient;
  let controller: IngressController;
  const network = new PodNetwork();
  const servers: http.Server[] = [];
  let port = 0;

  const attach = async (ip: string, name: string) => {
    const s = await backend(name);
    servers.push(s);
    network.attach(ip, 8080, () => ({ host: '127.0.0.1', port: (s.address() as AddressInfo).port }));
  };
  const name = (a: Answer): string => (a.status === 200 ? (JSON.parse(a.body) as { name: string }).name : `HTTP ${a.status}`);

  before(async () => {
    tc = await startTestCluster();
    api = new ApiClient(tc.inProcess());
    for (const m of ingressManifests()) {
      const r = RESOURCES[m.kind!];
      await api.create(r, (m.metadata?.namespace as string | undefined) ?? '', m as Obj);
    }
    await attach('10.244.1.10', 'a');
    await attach('10.244.2.20', 'b');
    await attach('10.244.1.11', 'a2');
    await api.create(SVC, 'default', service('svc-a', { name: 'http', port: 80, targetPort: 8080 }));
    await api.create(SVC, 'default', service('svc-b', { name: 'web', port: 8080, targetPort: 8080 }));
    await api.create(SVC, 'default', service('svc-idle', { name: 'http', port: 80, targetPort: 8080 }));
    await api.create(SVC, 'default', service('svc-dead', { name: 'http', port: 80, targetPort: 8080 }));
    await api.create(SLICES, 'default', slice('svc-a-1', 'svc-a', { name: 'http', port: 8080 }, [{ ip: '10.244.1.10' }]));
    await api.create(SLICES, 'default', slice('svc-b-1', 'svc-b', { name: 'web', port: 8080 }, [{ ip: '10.244.2.20' }]));
    await api.create(SLICES, 'default', slice('svc-idle-1', 'svc-idle', { name: 'http', port: 8080 }, [{ ip: '10.244.1.10', ready: false }]));
    await api.create(SLICES, 'default', slice('svc-dead-1', 'svc-dead', { name: 'http', port: 8080 }, [{ ip: '10.244.9.9' }]));
    await api.create(ING, 'default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'two-hosts', namespace: 'default' },
      spec: {
        rules: [
          { host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backendRef('svc-a', 80) }] } },
          {
            host: 'b.example',
            http: {
              paths: [
                { path: '/api', pathType: 'Prefix', backend: backendRef('svc-b', 'web') },
                { path: '/exact', pathType: 'Exact', backend: backendRef('svc-a', 'http') },
                { path: '/idle', pathType: 'Prefix', backend: backendRef('svc-idle', 80) },
                { path: '/dead', pathType: 'Prefix', backend: backendRef('svc-dead', 80) },
                { path: '/missing', pathType: 'Prefix', backend: backendRef('svc-missing', 80) },
              ],
            },
          },
        ],
      },
    });
    await api.create(ING, 'default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'theirs', namespace: 'default' },
      spec: { ingressClassName: 'other', rules: [{ host: 'c.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backendRef('svc-a', 80) }] } }] },
    });
    const transport = new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: INGRESS_CONTROLLER_USER });
    controller = new IngressController({ transport, network, logger: silentLogger, port: 0, random: () => 0, dialTimeoutsMs: [100, 100] });
    await controller.start();
    port = controller.port;
  });

  after(async () => {
    await controller?.stop();
    for (const s of servers) s.close();
    await tc?.stop();
  });

  it('DefaultIngressClass gave the class-less Ingress the default class kubelab', async () => {
    const ing = await api.get(ING, 'default', 'two-hosts');
    assert.equal((ing.spec as Obj).ingressClassName, 'kubelab');
  });

  it('an Ingress routes two hosts to two Services', async () => {
    assert.notEqual(port, 0);
    assert.equal(name(await request(port, 'a.example', '/')), 'a');
    assert.equal(name(await request(port, 'a.example:80', '/anything/below')), 'a');
    assert.equal(name(await request(port, 'b.example', '/api')), 'b');
    assert.equal(name(await request(port, 'b.example', '/api/v1/items?x=1')), 'b');
  });

  it('path rules: Prefix is element-wise, Exact is exact, the rest is 404 with an nginx-like page', async () => {
    assert.equal(name(await request(port, 'b.example', '/exact')), 'a');
    const notExact = await request(port, 'b.example', '/exact/');
    assert.equal(notExact.status, 404);
    assert.match(notExact.body, /<title>404 Not Found<\/title>/);
    assert.equal((await request(port, 'b.example', '/apix')).status, 404);
    assert.equal((await request(port, 'unknown.example', '/')).status, 404);
    assert.equal((await request(port, 'c.example', '/')).status, 404, 'an Ingress of another class is not served');
  });

  it('the request keeps method, path and body, and gets the X-Forwarded headers', async () => {
    const a = await request(port, 'b.example', '/api/echo?q=1', { method: 'POST', body: 'hello ingress', headers: { 'content-type': 'text/plain', 'x-forwarded-for': '192.0.2.1' } });
    assert.equal(a.status, 200);
    assert.equal(a.headers['x-backend'], 'b');
    const seen = JSON.parse(a.body) as { method: string; url: string; body: string; headers: Record<string, string> };
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/api/echo?q=1');
    assert.equal(seen.body, 'hello ingress');
    assert.equal(seen.headers.host, 'b.example');
    assert.equal(seen.headers['x-forwarded-for'], '192.0.2.1, 127.0.0.1');
    assert.equal(seen.headers['x-real-ip'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-host'], 'b.example');
    assert.equal(seen.headers['x-forwarded-port'], String(port));
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
  });

  it('no ready endpoint or no Service → 503; nothing reachable → 502', async () => {
    const idle = await request(port, 'b.example', '/idle');
    assert.equal(idle.status, 503);
    assert.match(idle.body, /503 Service Temporarily Unavailable/);
    assert.equal((await request(port, 'b.example', '/missing')).status, 503);
    const dead = await request(port, 'b.example', '/dead');
    assert.equal(dead.status, 502);
    assert.match(dead.body, /502 Bad Gateway/);
  });

  it('connection upgrades (WebSocket) are routed the same way and tunnelled', async () => {
    const up = await upgrade(port, 'b.example', '/api/ws', 'ping through the ingress');
    assert.equal(up.status, 101);
    assert.equal(up.headers['x-backend'], 'b');
    assert.equal(up.headers['x-seen-forwarded-for'], '127.0.0.1');
    assert.equal(up.echoed, 'ping through the ingress');
    const none = await upgrade(port, 'nowhere.example', '/', 'x');
    assert.equal(none.status, 404);
    await waitFor(() => controller.openTunnels() === 0, 'both upgraded connections to be closed');
  });

  it('the served Ingress status gets the address, through ingresses/status; other classes are left alone', async () => {
    const lb = await waitFor(async () => {
      const ing = await api.get(ING, 'default', 'two-hosts');
      return ((ing.status as Obj | undefined)?.loadBalancer as Obj | undefined)?.ingress;
    }, 'the Ingress status', { timeoutMs: 5000 });
    assert.deepEqual(lb, [{ ip: '127.0.0.1', ports: [{ port, protocol: 'TCP' }] }]);
    await controller.idle();
    const theirs = await api.get(ING, 'default', 'theirs');
    assert.equal(((theirs.status as Obj | undefined)?.loadBalancer as Obj | undefined)?.ingress, undefined);
  });

  it('an Ingress moved to another class loses the address this controller published', async () => {
    const lbOf = async () => (((await api.get(ING, 'default', 'switch')).status as Obj | undefined)?.loadBalancer as Obj | undefined)?.ingress as unknown[] | undefined;
    await api.create(ING, 'default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'switch', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kubelab' } },
      spec: { defaultBackend: backendRef('svc-a', 80) },
    });
    await waitFor(async () => (await lbOf())?.length === 1, 'the legacy-annotated Ingress to get the address', { timeoutMs: 5000 });
    const ing = await api.get(ING, 'default', 'switch');
    await api.update(ING, 'default', { ...ing, metadata: { ...(ing.metadata as Obj), annotations: { 'kubernetes.io/ingress.class': 'other' } } });
    await waitFor(async () => !(await lbOf())?.length, 'the address to be withdrawn', { timeoutMs: 5000 });
    await api.delete(ING, 'default', 'switch');
  });

  it('endpoint changes are followed, and endpoints are used round-robin', async () => {
    const current = await api.get(SLICES, 'default', 'svc-a-1');
    await api.update(SLICES, 'default', { ...current, endpoints: [{ addresses: ['10.244.1.10'], conditions: { ready: true } }, { addresses: ['10.244.1.11'], conditions: { ready: true } }] });
    const seen = new Set<string>();
    await waitFor(async () => {
      seen.add(name(await request(port, 'a.example', '/')));
      return seen.has('a2');
    }, 'the new endpoint to get traffic', { timeoutMs: 5000 });
    const names = [];
    for (let i = 0; i < 4; i++) names.push(name(await request(port, 'a.example', '/')));
    assert.deepEqual(new Set(names), new Set(['a', 'a2']));
    assert.notEqual(names[0], names[1]);
    assert.notEqual(names[1], names[2]);
  });

  it('a new Ingress is routed once created; a deleted one no longer is', async () => {
    const manifest: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'late', namespace: 'default' },
      spec: { rules: [{ host: 'late.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backendRef('svc-b', 8080) }] } }] },
    };
    await api.create(ING, 'default', manifest as Obj);
    await waitFor(async () => name(await request(port, 'late.example', '/')) === 'b', 'the new Ingress to route', { timeoutMs: 5000 });
    await api.delete(ING, 'default', 'late');
    await waitFor(async () => (await request(port, 'late.example', '/')).status === 404, 'the deleted Ingress to stop routing', { timeoutMs: 5000 });
  });
});
