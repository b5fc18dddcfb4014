/**
 * The EndpointSlice controller against the real in-process API server on a fake clock; the test plays the kubelet
 * (binds pods, writes IPs and readiness through pods/status) and creates the Nodes. Covers the slice's name, labels,
 * owner and address type; endpoint conditions (ready / serving / terminating), nodeName, zone and targetRef; named
 * ports; updates in place; the per-slice limit with minimal changes; the placeholder slice; pods on unknown nodes;
 * slices deleted behind the controller's back; Services without a selector.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { EndpointSliceController, endpointSliceControllerFactory } from '../../../src/controllers/endpointslice/endpointslice-controller';
import type { ControllerFactory } from '../../../src/controllers/manager';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
type Slice = { metadata: Record<string, unknown> & { name: string; labels: Record<string, string> }; addressType: string; endpoints: Record<string, unknown>[] | null; ports: unknown[] | null };

/** The real controller with 3 endpoints per slice instead of 100, to see slices fill up with few pods. */
const smallSlices: ControllerFactory = { ...endpointSliceControllerFactory, build: (ctx) => new EndpointSliceController(ctx, 3) };

describe('EndpointSlice controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([smallSlices]);
    for (const [name, zone] of [['node-1', 'zone-a'], ['node-2', 'zone-b']]) {
      await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });
    }
  });
  after(async () => t.stop());

  async function runPod(name: string, ip: string, o: { app?: string; ready?: boolean; node?: string } = {}): Promise<Obj> {
    const pod = await t.admin.create(R.pods, NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: o.app ?? 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: o.node ?? 'node-1' } }, { name, subresource: 'binding' });
    await setReady(name, ip, o.ready ?? true);
    return pod;
  }

  async function setReady(name: string, ip: string, ready: boolean): Promise<void> {
    const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    await t.admin.patch(R.pods, NS, name, { status }, 'merge', 'status');
  }

  const slicesOf = async (svc: string) => (await t.list(R.endpointslices, NS, { labelSelector: `kubernetes.io/service-name=${svc}` })) as unknown as Slice[];
  const service = (name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { team: 'a' } }, spec });

  /** Polls, advancing the fake clock by 1 s between polls (slice events are handled after 1 s; retries back off). */
  async function eventually<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
    for (let i = 0; i < 40; i++) {
      await t.settle();
      const v = await check();
      if (v) return v;
      await t.advance(1000);
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const byName = (eps: Record<string, unknown>[] | null) =>
    Object.fromEntries((eps ?? []).map((e) => [(e.targetRef as { name: string }).name, e]));

  it('creates a slice named <svc>-<random> owned by the Service, with endpoints, conditions, node, zone and ports', async () => {
    const a = await runPod('web-a', '10.1.0.1');
    await runPod('web-b', '10.1.0.2', { ready: false, node: 'node-2' });
    const svc = await t.admin.create(R.services, NS, service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    const [slice] = await eventually('a slice with 2 endpoints', async () => {
      const s = await slicesOf('web');
      return s.length === 1 && s[0].endpoints?.length === 2 ? s : undefined;
    });
    assert.match(slice.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.deepEqual(slice.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const eps = byName(slice.endpoints);
    assert.deepEqual(eps['web-a'], {
      addresses: ['10.1.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: NS, name: 'web-a', uid: a.metadata?.uid },
      nodeName: 'node-1',
      zone: 'zone-a',
    });
    assert.deepEqual(eps['web-b'].conditions, { ready: false, serving: false, terminating: false });
    assert.equal(eps['web-b'].zone, 'zone-b');
    assert.ok((slice.metadata.annotations as Record<string, string>)['endpoints.kubernetes.io/last-change-trigger-time']);
  });

  it('updates endpoints in place: readiness, and a terminating pod stays as serving but not ready', async () => {
    const [before] = await slicesOf('web');
    await setReady('web-b', '10.1.0.2', true);
    await t.admin.delete(R.pods, NS, 'web-a');
    const [slice] = await eventually('web-b ready, web-a terminating', async () => {
      const s = await slicesOf('web');
      const eps = byName(s[0]?.endpoints ?? null);
      const ok = (eps['web-b']?.conditions as { ready?: boolean })?.ready === true && (eps['web-a']?.conditions as { terminating?: boolean })?.terminating === true;
      return ok ? s : undefined;
    });
    assert.equal(slice.metadata.name, before.metadata.name);
    assert.deepEqual(byName(slice.endpoints)['web-a'].conditions, { ready: false, serving: true, terminating: true });
  });

  it('spreads endpoints over slices of at most maxEndpointsPerSlice and changes as few slices as it can', async () => {
    await t.admin.create(R.services, NS, service('big', { selector: { app: 'big' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
    for (let i = 1; i <= 7; i++) await runPod(`big-${i}`, `10.2.0.${i}`, { app: 'big' });
    const slices = await eventually('7 endpoints', async () => {
      const s = await slicesOf('big');
      return s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 7 ? s : undefined;
    });
    assert.deepEqual(slices.map((s) => s.endpoints?.length ?? 0).sort(), [1, 3, 3]);
    const versions = new Map(slices.map((s) => [s.metadata.name, s.metadata.resourceVersion]));
    const victim = slices.find((s) => s.endpoints?.length === 3)!;
    const victimPod = (victim.endpoints![0].targetRef as { name: string }).name;
    await t.admin.delete(R.pods, NS, victimPod, { gracePeriodSeconds: 0 });
    const after = await eventually('6 endpoints', async () => {
      const s = await slicesOf('big');
      return s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 6 ? s : undefined;
    });
    const changed = after.filter((s) => versions.get(s.metadata.name) !== s.metadata.resourceVersion).map((s) => s.metadata.name);
    assert.deepEqual(changed, [victim.metadata.name]);
  });

  it('keeps a placeholder slice for a Service without endpoints, and none for a Service without selector', async () => {
    await t.admin.create(R.services, NS, service('empty', { selector: { app: 'nothing' }, ports: [{ port: 80 }] }));
    await t.admin.create(R.services, NS, service('manual', { ports: [{ port: 80 }] }));
    const [slice] = await eventually('placeholder', async () => {
      const s = await slicesOf('empty');
      return s.length === 1 ? s : undefined;
    });
    assert.ok(!slice.endpoints?.length);
    assert.ok(!slice.ports?.length);
    await t.advance(2000);
    assert.equal((await slicesOf('empty')).length, 1);
    assert.deepEqual(await slicesOf('manual'), []);
  });

  it('recreates a slice deleted behind its back, and skips pods on unknown nodes with a warning', async () => {
    const [slice] = await slicesOf('big');
    await t.admin.delete(R.endpointslices, NS, slice.metadata.name);
    await eventually('7 - 1 endpoints again', async () => {
      const s = await slicesOf('big');
      return !s.some((x) => x.metadata.name === slice.metadata.name) && s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 6;
    });
    await runPod('big-lost', '10.2.0.99', { app: 'big', node: 'gone' });
    const ev = await eventually('a FailedToUpdateEndpointSlices warning', async () =>
      (await t.list(R.events, NS)).find((e) => e.reason === 'FailedToUpdateEndpointSlices' && (e.involvedObject as { name?: string }).name === 'big'),
    );
    assert.equal(ev.message, 'Error updating Endpoint Slices for Service default/big: skipping Pod big-lost for Service default/big: node "gone" not found');
    const all = (await slicesOf('big')).flatMap((s) => s.endpoints ?? []);
    assert.equal(all.length, 6);
  });
});
