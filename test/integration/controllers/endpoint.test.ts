/**
 * The Endpoints controller against the real in-process API server on a fake clock; the test plays the kubelet
 * (binds pods and writes their IPs and readiness through pods/status). Covers ready / not-ready addresses with
 * nodeName and targetRef, named and numeric ports repacked into subsets, readiness changes and the
 * last-change-trigger-time annotation, terminating and finished pods, publishNotReadyAddresses, headless Services
 * without ports (label service.kubernetes.io/headless), Services without a selector left alone, and deletion with
 * the Service.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { endpointsControllerFactory } from '../../../src/controllers/endpoint/endpoints-controller';
import { silentLogger } from '../../../src/base/logger';
import { startControllerManager } from '../../../src/controllers/manager';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
const HTTP = [{ name: 'http', containerPort: 8080 }];

function at(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

describe('Endpoints controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([endpointsControllerFactory]);
  });
  after(async () => t.stop());

  async function runPod(name: string, ip: string, o: { labels?: Record<string, string>; ready?: boolean; ports?: unknown[]; node?: string; hostname?: string; subdomain?: string } = {}): Promise<Obj> {
    const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'nginx', ports: o.ports ?? HTTP }] };
    if (o.hostname) spec.hostname = o.hostname;
    if (o.subdomain) spec.subdomain = o.subdomain;
    const pod = await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: o.labels ?? { app: 'web' } }, spec });
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: o.node ?? 'node-1' } }, { name, subresource: 'binding' });
    await setReady(name, ip, o.ready ?? true);
    return pod;
  }

  async function setReady(name: string, ip: string, ready: boolean): Promise<void> {
    const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at(t.clock.now()) }] };
    await t.admin.patch(R.pods, NS, name, { status }, 'merge', 'status');
  }

  const service = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec });
  const getEp = async (name: string) => {
    try {
      return await t.admin.get(R.endpoints, NS, name);
    } catch {
      return undefined;
    }
  };
  const until = <T>(what: string, check: () => Promise<T | undefined | false>) => t.until(check, what);
  const subsetsOf = async (name: string) => {
    await t.settle();
    return ((await getEp(name))?.subsets ?? []) as Record<string, unknown>[];
  };

  it('lists ready and not-ready pods with node, targetRef and resolved named ports, labelled like the Service', async () => {
    const a = await runPod('web-a', '10.1.0.1');
    await runPod('web-b', '10.1.0.2', { ready: false, node: 'node-2' });
    await runPod('other', '10.1.0.9', { labels: { app: 'other' } });
    const svc = await t.admin.create(R.services, NS, service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { tier: 'front' }));
    const ep = await until('endpoints web', () => getEp('web'));
    assert.deepEqual(ep.subsets, [
      {
        addresses: [{ ip: '10.1.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'web-a', uid: a.metadata?.uid } }],
        notReadyAddresses: [{ ip: '10.1.0.2', nodeName: 'node-2', targetRef: { kind: 'Pod', namespace: NS, name: 'web-b', uid: (await t.admin.get(R.pods, NS, 'web-b')).metadata?.uid } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    assert.deepEqual(ep.metadata?.labels, { tier: 'front' });
    // First sync of a Service: the trigger time is the Service's creation.
    assert.equal((ep.metadata?.annotations as Record<string, string>)['endpoints.kubernetes.io/last-change-trigger-time'], svc.metadata?.creationTimestamp);
  });

  it('moves an address between ready and not ready when readiness changes, stamping the trigger time', async () => {
    t.clock.advance(5000);
    await setReady('web-b', '10.1.0.2', true);
    const ep = await until('web-b ready', async () => {
      const e = await getEp('web');
      const s = (e?.subsets as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] | undefined)?.[0];
      return s?.addresses?.length === 2 && !s.notReadyAddresses ? e : undefined;
    });
    assert.equal((ep.metadata?.annotations as Record<string, string>)['endpoints.kubernetes.io/last-change-trigger-time'], at(t.clock.now()));
    const s = (ep.subsets as { addresses: { ip: string }[] }[])[0];
    assert.deepEqual(s.addresses.map((x) => x.ip), ['10.1.0.1', '10.1.0.2']);
  });

  it('repacks pods that offer different ports into separate subsets (numeric targetPort, missing named port)', async () => {
    await t.admin.create(R.services, NS, service('multi', { selector: { app: 'multi' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9100 }] }));
    await runPod('multi-a', '10.2.0.1', { labels: { app: 'multi' } });
    await runPod('multi-b', '10.2.0.2', { labels: { app: 'multi' }, ports: [] });
    const subsets = await until('two subsets', async () => {
      const s = (await getEp('multi'))?.subsets as { addresses: { ip: string }[]; ports: { name: string; port: number }[] }[] | undefined;
      return s?.length === 2 ? s : undefined;
    });
    const summary = subsets.map((s) => ({ ips: s.addresses.map((a) => a.ip), ports: s.ports.map((p) => `${p.name}:${p.port}`).sort() }));
    // Upstream orders subsets by the md5 of their Go rendering: assert the content, then that the order is stable.
    assert.deepEqual(
      [...summary].sort((x, y) => x.ips.length - y.ips.length),
      [
        { ips: ['10.2.0.1', '10.2.0.2'], ports: ['metrics:9100'] },
        { ips: ['10.2.0.1'], ports: ['http:8080'] },
      ].sort((x, y) => x.ips.length - y.ips.length),
    );
  });

  it('drops terminating and finished pods, and keeps terminating ones as ready with publishNotReadyAddresses', async () => {
    await t.admin.create(R.services, NS, service('pub', { selector: { app: 'pub' }, publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] }));
    await t.admin.create(R.services, NS, service('nopub', { selector: { app: 'pub' }, ports: [{ port: 80, targetPort: 8080 }] }));
    await runPod('pub-a', '10.3.0.1', { labels: { app: 'pub' } });
    await runPod('pub-b', '10.3.0.2', { labels: { app: 'pub' }, ready: false });
    await runPod('pub-c', '10.3.0.3', { labels: { app: 'pub' } });
    await until('nopub has 3', async () => {
      const s = (await getEp('nopub'))?.subsets as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] | undefined;
      return s && (s[0].addresses?.length ?? 0) + (s[0].notReadyAddresses?.length ?? 0) === 3;
    });
    // pub-a is being deleted (graceful: it is bound to a node), pub-c finished.
    await t.admin.delete(R.pods, NS, 'pub-a');
    await t.admin.patch(R.pods, NS, 'pub-c', { status: { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False' }] } }, 'merge', 'status');
    const ips = (s: Record<string, unknown>[]) => ({
      ready: ((s[0]?.addresses ?? []) as { ip: string }[]).map((a) => a.ip),
      notReady: ((s[0]?.notReadyAddresses ?? []) as { ip: string }[]).map((a) => a.ip),
    });
    await until('nopub without pub-a and pub-c', async () => JSON.stringify(ips(await subsetsOf('nopub'))) === JSON.stringify({ ready: [], notReady: ['10.3.0.2'] }));
    assert.deepEqual(ips(await subsetsOf('pub')), { ready: ['10.3.0.1', '10.3.0.2'], notReady: [] });
  });

  it('gives a headless Service without ports port-less subsets, the hostname of its subdomain pods, and the headless label', async () => {
    await t.admin.create(R.services, NS, service('db', { clusterIP: 'None', selector: { app: 'db' } }));
    await runPod('db-0', '10.4.0.1', { labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
    const ep = await until('db endpoints with an address', async () => {
      const e = await getEp('db');
      return (e?.subsets as unknown[] | undefined)?.length ? e : undefined;
    });
    assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '10.4.0.1', hostname: 'db-0', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'db-0', uid: (await t.admin.get(R.pods, NS, 'db-0')).metadata?.uid } }] }]);
    assert.deepEqual(ep.metadata?.labels, { 'service.kubernetes.io/headless': '' });
  });

  it('leaves Services without a selector alone and deletes Endpoints with their Service', async () => {
    await t.admin.create(R.services, NS, service('external', { ports: [{ port: 443 }] }));
    await t.admin.create(R.endpoints, NS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 443 }] }] });
    await t.settle();
    assert.deepEqual(((await getEp('external'))?.subsets as { addresses: { ip: string }[] }[])[0].addresses, [{ ip: '192.0.2.10' }]);
    await t.admin.delete(R.services, NS, 'web');
    await until('endpoints web deleted', async () => (await getEp('web')) === undefined);
  });

  it('writes nothing when nothing relevant changed', async () => {
    await t.settle();
    const before = (await getEp('multi'))?.metadata?.resourceVersion;
    await t.admin.patch(R.pods, NS, 'multi-a', { metadata: { annotations: { note: 'x' } } }, 'merge');
    await t.admin.patch(R.services, NS, 'multi', { metadata: { annotations: { note: 'y' } } }, 'merge');
    await t.settle();
    assert.equal((await getEp('multi'))?.metadata?.resourceVersion, before);
    // Syncs right after the controller's own writes use what it wrote, not a stale cache: no conflicts.
    const warnings = (await t.list(R.events, NS)).filter((e) => e.type === 'Warning');
    assert.deepEqual(warnings.map((e) => e.message), []);
  });

  it('deletes Endpoints whose Service is gone when it starts (checkLeftoverEndpoints), except leader locks', async () => {
    await t.admin.create(R.endpoints, NS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 1 }] }] });
    await t.admin.create(R.endpoints, NS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'lock', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } } });
    await t.settle();
    assert.ok(await getEp('orphan'), 'a running controller does not look at new Endpoints');
    const second = await startControllerManager({ handle: (r) => t.tc.cluster.handle(r), controllers: [endpointsControllerFactory], logger: silentLogger, clock: t.clock });
    try {
      await until('orphan deleted', async () => (await getEp('orphan')) === undefined);
      assert.ok(await getEp('lock'));
      assert.ok(await getEp('multi'));
    } finally {
      await second.close();
    }
  });
});
