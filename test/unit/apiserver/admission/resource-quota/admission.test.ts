/** ResourceQuota admission: upstream's 403s, status.used bookkeeping, dry run, conflicts and a lagging reader. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResourceQuotaPlugin } from '../../../../../src/apiserver/admission/resource-quota';
import { attributes, context, FakeCluster, pod, rejection } from '../fake-cluster';

type Obj = Record<string, unknown>;

function quota(name: string, hard: Record<string, string>, extra: { used?: Record<string, string>; spec?: Obj } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace: 'default' },
    spec: { hard, ...extra.spec },
    ...(extra.used ? { status: { hard, used: extra.used } } : {}),
  };
}

const plugin = () => createResourceQuotaPlugin({ retryDelayMs: () => 0 });

async function create(c: FakeCluster, p: ReturnType<typeof createResourceQuotaPlugin>, resource: string, obj: Obj, opts: { dryRun?: boolean; group?: string } = {}) {
  const attrs = attributes('CREATE', opts.group ?? '', resource, obj, { dryRun: opts.dryRun });
  if (p.handles(attrs)) await p.validate(attrs, context(c));
  return attrs;
}

const used = (c: FakeCluster, name = 'q') => (c.stored('', 'resourcequotas', 'default', name)?.status as { used?: Obj } | undefined)?.used;

describe('ResourceQuota: object counts', () => {
  it('blocks the fourth pod when hard pods=3, with the exact message', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '3' }));
    const p = plugin();
    for (const n of ['p1', 'p2', 'p3']) {
      await create(c, p, 'pods', pod(n));
      c.add('pods', pod(n));
    }
    assert.deepEqual(used(c), { pods: '3' });
    const err = await rejection(() => create(c, p, 'pods', pod('p4')));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "p4" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3');
    assert.deepEqual(used(c), { pods: '3' });
  });

  it('usage missing from status is computed from the stored objects (a quota not yet synced)', async () => {
    const c = new FakeCluster();
    for (const n of ['a', 'b']) c.add('pods', pod(n));
    c.add('pods', pod('done', undefined, { status: { phase: 'Succeeded' } }));
    c.add('pods', pod('failed', undefined, { status: { phase: 'Failed' } }));
    c.add('resourcequotas', quota('q', { pods: '3', 'count/pods': '10' }));
    await create(c, plugin(), 'pods', pod('c'));
    assert.deepEqual(used(c), { pods: '3', 'count/pods': '5' });
    assert.deepEqual((c.stored('', 'resourcequotas', 'default', 'q')?.status as Obj).hard, { pods: '3', 'count/pods': '10' });
    const err = await rejection(() => create(c, plugin(), 'pods', pod('d')));
    assert.equal(err.message, 'pods "d" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3');
  });

  it('count/deployments.apps and the legacy configmaps name', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { 'count/deployments.apps': '1', configmaps: '1' }, { used: { 'count/deployments.apps': '1', configmaps: '0' } }));
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const err = await rejection(() => create(c, plugin(), 'deployments', deploy, { group: 'apps' }));
    assert.equal(err.message, 'deployments.apps "web" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
    await create(c, plugin(), 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } });
    assert.deepEqual(used(c), { 'count/deployments.apps': '1', configmaps: '1' });
  });

  it('services, node ports and load balancers', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { services: '5', 'services.nodeports': '2', 'services.loadbalancers': '1' }, { used: { services: '0', 'services.nodeports': '0', 'services.loadbalancers': '0' } }));
    const svc = (name: string, type: string, ports: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ name: `p${i}`, port: 80 + i })) },
    });
    await create(c, plugin(), 'services', svc('np', 'NodePort', 2));
    assert.deepEqual(used(c), { services: '1', 'services.nodeports': '2', 'services.loadbalancers': '0' });
    const err = await rejection(() => create(c, plugin(), 'services', svc('lb', 'LoadBalancer', 1)));
    assert.equal(err.message, 'services "lb" is forbidden: exceeded quota: q, requested: services.nodeports=1, used: services.nodeports=2, limited: services.nodeports=2');
  });

  it('ignores events, subresources, cluster-scoped objects and namespaces without quotas', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '0', 'count/events': '0' }, { used: { pods: '0', 'count/events': '0' } }));
    const p = plugin();
    assert.equal(p.handles(attributes('CREATE', '', 'events', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' } })), false);
    assert.equal(p.handles(attributes('CREATE', '', 'pods', pod('x'), { subresource: 'binding' })), false);
    assert.equal(p.handles(attributes('CREATE', '', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } })), false);
    assert.equal(p.handles(attributes('DELETE', '', 'pods', undefined, { oldObject: pod('x') })), false);
    await create(new FakeCluster(), p, 'pods', pod('free'));
  });
});

describe('ResourceQuota: compute resources', () => {
  const hard = { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.memory': '2Gi' };
  const zero = { 'requests.cpu': '0', 'requests.memory': '0', 'limits.memory': '0' };

  it('charges requests and limits, printing quantities as upstream', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('compute', hard, { used: zero }));
    await create(c, plugin(), 'pods', pod('a', { web: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } } }));
    assert.deepEqual(used(c, 'compute'), { 'requests.cpu': '500m', 'requests.memory': '512Mi', 'limits.memory': '1Gi' });
    await create(c, plugin(), 'pods', pod('b', { web: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } } }));
    assert.deepEqual(used(c, 'compute'), { 'requests.cpu': '750m', 'requests.memory': '768Mi', 'limits.memory': '1536Mi' });
    const err = await rejection(() => create(c, plugin(), 'pods', pod('c', { web: { requests: { cpu: '500m', memory: '1Mi' }, limits: { memory: '1Mi' } } })));
    assert.equal(err.message, 'pods "c" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=750m, limited: requests.cpu=1');
  });

  it('a pod without the tracked requests is rejected: failed quota … must specify', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('compute', hard, { used: zero }));
    const p = pod('x', { web: { requests: { cpu: '100m' } }, side: { requests: { cpu: '100m', memory: '1Mi' } }, log: {} });
    const err = await rejection(() => create(c, plugin(), 'pods', p));
    assert.equal(err.message, 'pods "x" is forbidden: failed quota: compute: must specify limits.memory for: log,side,web; requests.cpu for: log; requests.memory for: log,web');
  });

  it('cpu and memory (= requests) quotas', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { cpu: '2', memory: '1Gi' }, { used: { cpu: '1800m', memory: '0' } }));
    const err = await rejection(() => create(c, plugin(), 'pods', pod('x', { a: { requests: { cpu: '100m', memory: '1Mi' } }, b: { requests: { cpu: '200m', memory: '1Mi' } } })));
    assert.equal(err.message, 'pods "x" is forbidden: exceeded quota: q, requested: cpu=300m, used: cpu=1800m, limited: cpu=2');
  });

  it('BestEffort / NotBestEffort scopes decide which quota applies', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('be', { pods: '0' }, { used: { pods: '0' }, spec: { scopes: ['BestEffort'] } }));
    c.add('resourcequotas', quota('nbe', { pods: '5' }, { used: { pods: '0' }, spec: { scopes: ['NotBestEffort'] } }));
    await create(c, plugin(), 'pods', pod('burstable', { web: { requests: { cpu: '100m' } } }));
    assert.deepEqual(used(c, 'nbe'), { pods: '1' });
    const err = await rejection(() => create(c, plugin(), 'pods', pod('besteffort')));
    assert.equal(err.message, 'pods "besteffort" is forbidden: exceeded quota: be, requested: pods=1, used: pods=0, limited: pods=0');
  });

  it('PriorityClass scope selector', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('high', { pods: '0' }, { used: { pods: '0' }, spec: { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } } }));
    await create(c, plugin(), 'pods', pod('low', undefined, { spec: { priorityClassName: 'low' } }));
    const err = await rejection(() => create(c, plugin(), 'pods', pod('vip', undefined, { spec: { priorityClassName: 'high' } })));
    assert.equal(err.message, 'pods "vip" is forbidden: exceeded quota: high, requested: pods=1, used: pods=0, limited: pods=0');
  });
});

describe('ResourceQuota: status writes', () => {
  it('dry run checks but does not write usage', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '1' }, { used: { pods: '0' } }));
    await create(c, plugin(), 'pods', pod('a'), { dryRun: true });
    assert.equal(c.writes.length, 0);
    assert.deepEqual(used(c), { pods: '0' });
    c.add('resourcequotas', quota('q', { pods: '1' }, { used: { pods: '1' } }));
    await rejection(() => create(c, plugin(), 'pods', pod('b'), { dryRun: true }));
  });

  it('retries after a Conflict with a fresh read', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '3' }, { used: { pods: '1' } }));
    c.conflicts = 2;
    await create(c, plugin(), 'pods', pod('a'));
    assert.equal(c.writes.length, 1);
    assert.deepEqual(used(c), { pods: '2' });
  });

  it('gives up with the Conflict after the retries', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '3' }, { used: { pods: '1' } }));
    c.conflicts = 10;
    const err = await rejection(() => create(c, plugin(), 'pods', pod('a')));
    assert.equal(err.code, 409);
    assert.equal(c.writes.length, 0);
  });

  it('concurrent creates in one namespace are serialized; a lagging reader does not lose usage', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '3' }, { used: { pods: '0' } }));
    c.lagging = true;
    const p = plugin();
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((n) => create(c, p, 'pods', pod(n))));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    assert.match(String((results[3] as PromiseRejectedResult).reason.message), /exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3$/);
    assert.deepEqual(used(c), { pods: '3' });
  });

  it('updates charge only the increase (pod scope change, PVC resize)', async () => {
    const c = new FakeCluster();
    const claim = (size: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default', resourceVersion: '5' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } });
    c.add('resourcequotas', quota('q', { 'requests.storage': '10Gi', persistentvolumeclaims: '5' }, { used: { 'requests.storage': '4Gi', persistentvolumeclaims: '1' } }));
    const attrs = attributes('UPDATE', '', 'persistentvolumeclaims', claim('6Gi'), { oldObject: claim('4Gi') });
    await plugin().validate(attrs, context(c));
    assert.deepEqual(used(c), { 'requests.storage': '6Gi', persistentvolumeclaims: '1' });
    const grow = attributes('UPDATE', '', 'persistentvolumeclaims', claim('11Gi'), { oldObject: claim('6Gi') });
    const err = await rejection(() => plugin().validate(grow, context(c)));
    assert.equal(err.message, 'persistentvolumeclaims "data" is forbidden: exceeded quota: q, requested: requests.storage=5Gi, used: requests.storage=6Gi, limited: requests.storage=10Gi');
  });
});

describe('ResourceQuota: batching', () => {
  it('requests queued behind a status write are checked together and the quota is written once per batch', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '8' }, { used: { pods: '0' } }));
    const p = plugin();
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const results = await Promise.allSettled(names.map((n) => create(c, p, 'pods', pod(n))));
    assert.deepEqual(results.map((r) => r.status), [...Array(8).fill('fulfilled'), 'rejected', 'rejected']);
    assert.match(String((results[9] as PromiseRejectedResult).reason.message), /^pods "p9" is forbidden: exceeded quota: q, requested: pods=1, used: pods=8, limited: pods=8$/);
    assert.deepEqual(used(c), { pods: '8' });
    // p0 alone, then p1..p9 in one batch.
    assert.deepEqual(c.writes.map((w) => (w.status as { used: Obj }).used.pods), ['1', '8']);
  });

  it('a dry-run request in a batch is checked against the others but adds nothing', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '2' }, { used: { pods: '0' } }));
    const p = plugin();
    const results = await Promise.allSettled([
      create(c, p, 'pods', pod('a')),
      create(c, p, 'pods', pod('b')),
      create(c, p, 'pods', pod('dry'), { dryRun: true }),
      create(c, p, 'pods', pod('c')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    assert.deepEqual(used(c), { pods: '2' });
  });

  it('a conflict re-checks the whole batch against the fresh quota', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '3' }, { used: { pods: '0' } }));
    const p = plugin();
    // The write after a's conflicts (a rival bumped the version); b, c, d queue behind a and form that batch.
    const write = c.updateStatus.bind(c);
    c.updateStatus = async (...args) => {
      const saved = await write(...args);
      if (c.writes.length === 1) c.conflicts = 1;
      return saved;
    };
    const first = create(c, p, 'pods', pod('a'));
    const rest = Promise.allSettled(['b', 'c', 'd'].map((n) => create(c, p, 'pods', pod(n))));
    await first;
    const results = await rest;
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected']);
    assert.equal(c.conflicts, 0);
    assert.deepEqual(c.writes.map((w) => (w.status as { used: Obj }).used.pods), ['1', '3']);
  });

  it('a batch goes on once its quota write is sequenced, before it is durable; the next batch waits for durable', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '10' }, { used: { pods: '0' } }));
    const p = plugin();
    const durable: (() => void)[] = [];
    const write = c.updateStatus.bind(c);
    c.updateStatus = async (group, resource, obj, opts) => {
      const saved = await write(group, resource, obj);
      opts?.onSequenced?.(saved);
      await new Promise<void>((resolve) => durable.push(resolve));
      return saved;
    };
    const admitted: string[] = [];
    const go = (n: string) => create(c, p, 'pods', pod(n)).then(() => admitted.push(n));
    const a = go('a');
    await a;
    assert.deepEqual(admitted, ['a'], 'admitted on sequencing, its write not yet durable');
    const later = ['b', 'c'].map(go);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(admitted, ['a'], 'the next batch waits for the durable write');
    assert.equal(c.writes.length, 1);
    durable.shift()!();
    await Promise.all(later);
    assert.deepEqual(admitted, ['a', 'b', 'c']);
    assert.deepEqual(c.writes.map((w) => (w.status as { used: Obj }).used.pods), ['1', '3'], 'b and c share one write');
    durable.shift()!();
  });

  it('a sequenced quota write that then fails is forgotten: the next batch reads the quota afresh', async () => {
    const c = new FakeCluster();
    c.add('resourcequotas', quota('q', { pods: '10' }, { used: { pods: '0' } }));
    const p = plugin();
    const write = c.updateStatus.bind(c);
    let failNext = true;
    c.updateStatus = async (group, resource, obj, opts) => {
      if (failNext) {
        failNext = false;
        // Sequenced with a version the store never makes durable, then lost (a failed append).
        opts?.onSequenced?.({ ...obj, metadata: { ...obj.metadata, resourceVersion: '999' } });
        await Promise.resolve();
        throw new Error('etcdserver: write-ahead log: EIO');
      }
      return write(group, resource, obj, opts);
    };
    await create(c, p, 'pods', pod('a'));
    await create(c, p, 'pods', pod('b'));
    assert.deepEqual(c.writes.map((w) => (w.status as { used: Obj }).used.pods), ['1'], 'b was charged against the stored quota, not the lost write');
  });
});
