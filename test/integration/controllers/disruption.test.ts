/**
 * The disruption controller and the eviction subresource against the real in-process API server on a fake clock;
 * the test plays the kubelet (binds pods and marks them Running and Ready). Covers PDB status for minAvailable and
 * maxUnavailable (ints and percentages; expected pods from the controllers' specs: ReplicaSet, Deployment through its
 * ReplicaSet, StatefulSet, ReplicationController), the DisruptionAllowed condition, evictions allowed and refused
 * (429 with the DisruptionBudget cause), disruptedPods and its 2-minute expiry with the NotDeleted event, unready
 * pods and unhealthyPodEvictionPolicy, pending pods, dry runs, several budgets (500), unmanaged pods, the fail-safe
 * status, and stale DisruptionTarget conditions.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, R, type Obj } from '../../../src/controllers/framework';
import { disruptionControllerFactory } from '../../../src/controllers/disruption/disruption-controller';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { findKubectl, Kubectl } from '../../helpers/kubectl';

const NS = 'default';
type Status = { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptionsAllowed: number; observedGeneration?: number; disruptedPods?: Record<string, string>; conditions?: Record<string, unknown>[] };

describe('disruption controller and evictions', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([disruptionControllerFactory]);
  });
  after(async () => t.stop());

  const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

  async function owner(r: typeof R.replicasets, kind: string, name: string, replicas: number, extra: Record<string, unknown> = {}): Promise<Obj> {
    const apiVersion = r.group ? `${r.group}/v1` : 'v1';
    const selector = kind === 'ReplicationController' ? { app: name } : { matchLabels: { app: name } };
    return t.admin.create(r, NS, { apiVersion, kind, metadata: { name, ...extra }, spec: { replicas, selector, template: template(name), ...(kind === 'StatefulSet' ? { serviceName: name } : {}) } });
  }

  async function runPod(name: string, app: string, o: { owner?: Obj; ownerKind?: string; ownerApiVersion?: string; ready?: boolean; phase?: string } = {}): Promise<void> {
    const ownerReferences = o.owner
      ? [{ apiVersion: o.ownerApiVersion ?? 'apps/v1', kind: o.ownerKind ?? 'ReplicaSet', name: o.owner.metadata?.name, uid: o.owner.metadata?.uid, controller: true }]
      : undefined;
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app }, ownerReferences }, spec: template(app).spec });
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'node-1' } }, { name, subresource: 'binding' });
    if (o.phase === 'Pending') return;
    await setReady(name, o.ready ?? true);
  }

  async function setReady(name: string, ready: boolean): Promise<void> {
    await t.admin.patch(R.pods, NS, name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, 'merge', 'status');
  }

  const pdb = (name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, ...spec } });
  const statusOf = async (name: string) => (await t.admin.get(R.poddisruptionbudgets, NS, name)).status as Status | undefined;
  const untilStatus = (name: string, want: Partial<Status>) =>
    t.until(async () => {
      const st = await statusOf(name);
      return st && Object.entries(want).every(([k, v]) => JSON.stringify(st[k as keyof Status]) === JSON.stringify(v)) ? st : undefined;
    }, `${name} status ${JSON.stringify(want)}`);

  async function evict(name: string, extra: { deleteOptions?: Record<string, unknown>; query?: Record<string, string> } = {}): Promise<{ code: number; body: Record<string, unknown> }> {
    const body: Obj = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } };
    if (extra.deleteOptions) body.deleteOptions = extra.deleteOptions;
    try {
      const res = await t.admin.call({ method: 'POST', path: t.admin.path(R.pods, NS, name, 'eviction'), query: extra.query, body });
      return { code: 201, body: res };
    } catch (e) {
      if (e instanceof ApiError) return { code: e.code, body: e.status ?? {} };
      throw e;
    }
  }
  const exists = async (name: string) => {
    try {
      const p = await t.admin.get(R.pods, NS, name);
      return p.metadata?.deletionTimestamp ? 'terminating' : 'running';
    } catch {
      return 'gone';
    }
  };

  it('computes minAvailable status and lets one eviction through, then refuses with 429', async () => {
    const rs = await owner(R.replicasets, 'ReplicaSet', 'web', 3);
    for (const n of ['web-1', 'web-2', 'web-3']) await runPod(n, 'web', { owner: rs });
    const created = await t.admin.create(R.poddisruptionbudgets, NS, pdb('web', { minAvailable: 2 }));
    const st = await untilStatus('web', { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    assert.equal(st.observedGeneration, created.metadata?.generation);
    assert.deepEqual(
      st.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['DisruptionAllowed', 'True', 'SufficientPods', '']],
    );

    const ok = await evict('web-1');
    assert.equal(ok.code, 201);
    assert.deepEqual(ok.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const victim = await t.admin.get(R.pods, NS, 'web-1');
    assert.ok(victim.metadata?.deletionTimestamp, 'graceful deletion started');
    const cond = ((victim.status as { conditions: Record<string, unknown>[] }).conditions).find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
    // The controller drops the entry once it sees the pod being deleted and stops counting the pod as healthy.
    await untilStatus('web', { currentHealthy: 2, disruptionsAllowed: 0, disruptedPods: undefined });
    const after = await statusOf('web');
    assert.equal(after?.disruptedPods, undefined);
    assert.deepEqual(after?.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);

    const refused = await evict('web-2');
    assert.equal(refused.code, 429);
    assert.equal(refused.body.reason, 'TooManyRequests');
    assert.equal(refused.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(refused.body.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] });
    assert.equal(await exists('web-2'), 'running');
  });

  it('records the evicted pod in disruptedPods and forgets it after two minutes with a NotDeleted event', async () => {
    const rs = await owner(R.replicasets, 'ReplicaSet', 'slow', 2);
    for (const n of ['slow-1', 'slow-2']) await runPod(n, 'slow', { owner: rs });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('slow', { maxUnavailable: 1 }));
    const st = await untilStatus('slow', { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 });
    // What the eviction subresource writes before a delete that (here) never happens.
    const cur = await t.admin.get(R.poddisruptionbudgets, NS, 'slow');
    const at = new Date(Math.floor(t.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    await t.admin.updateStatus(R.poddisruptionbudgets, NS, { ...cur, status: { ...st, disruptionsAllowed: 0, disruptedPods: { 'slow-1': at } } });
    await untilStatus('slow', { currentHealthy: 1, disruptionsAllowed: 0, disruptedPods: { 'slow-1': at } });
    await t.advance(2 * 60 * 1000 + 1000);
    await untilStatus('slow', { currentHealthy: 2, disruptionsAllowed: 1 });
    assert.equal((await statusOf('slow'))?.disruptedPods, undefined);
    const ev = await t.until(async () => (await t.list(R.events, NS)).find((e) => e.reason === 'NotDeleted'), 'NotDeleted event');
    assert.equal(ev.message, "Pod was expected by PDB default/default to be deleted but it wasn't");
    assert.equal((ev.involvedObject as { name: string }).name, 'slow-1');
    assert.deepEqual(ev.source, { component: 'controllermanager' });
  });

  it('scales percentages by the controllers: Deployment, StatefulSet, ReplicationController', async () => {
    const d = await owner(R.deployments, 'Deployment', 'dep', 4);
    const rs = await t.admin.create(R.replicasets, NS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'dep-abc', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'dep', uid: d.metadata?.uid, controller: true }] },
      spec: { replicas: 3, selector: { matchLabels: { app: 'dep' } }, template: template('dep') },
    });
    for (const n of ['dep-1', 'dep-2', 'dep-3']) await runPod(n, 'dep', { owner: rs });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('dep', { maxUnavailable: '50%' }));
    // Expected 4 (the Deployment's replicas, not the ReplicaSet's 3); 50% of 4 rounded up is 2 → 2 desired.
    await untilStatus('dep', { expectedPods: 4, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });

    const ss = await owner(R.statefulsets, 'StatefulSet', 'db', 3);
    for (const n of ['db-0', 'db-1']) await runPod(n, 'db', { owner: ss, ownerKind: 'StatefulSet' });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('db', { minAvailable: '60%' }));
    await untilStatus('db', { expectedPods: 3, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 });

    const rc = await owner(R.replicationcontrollers, 'ReplicationController', 'legacy', 2);
    for (const n of ['legacy-1', 'legacy-2']) await runPod(n, 'legacy', { owner: rc, ownerKind: 'ReplicationController', ownerApiVersion: 'v1' });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('legacy', { maxUnavailable: '10%' }));
    await untilStatus('legacy', { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 });
  });

  it('fails safe when a pod has no findable controller, and warns about unmanaged pods', async () => {
    await runPod('orphan-1', 'orphan', { owner: { metadata: { name: 'ghost', uid: 'no-such-uid' } } });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('orphan', { maxUnavailable: 1 }));
    const st = await t.until(async () => {
      const s = await statusOf('orphan');
      return s?.conditions?.length ? s : undefined;
    }, 'fail-safe status');
    assert.equal(st?.disruptionsAllowed, 0);
    assert.deepEqual(st?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['DisruptionAllowed', 'False', 'SyncFailed', 'found no controllers for pod "orphan-1"']]);
    const failed = await t.until(async () => (await t.list(R.events, NS)).find((e) => e.reason === 'CalculateExpectedPodCountFailed'), 'event');
    assert.equal(failed.message, 'Failed to calculate the number of expected pods: found no controllers for pod "orphan-1"');

    await runPod('bare-1', 'bare');
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('bare', { minAvailable: '50%' }));
    const ev = await t.until(async () => (await t.list(R.events, NS)).find((e) => e.reason === 'UnmanagedPods'), 'UnmanagedPods event');
    assert.equal(
      ev.message,
      'Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: bare,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
  });

  it('evicts unready pods only from a healthy budget unless AlwaysAllow, pending pods always, and dry runs nothing', async () => {
    const rs = await owner(R.replicasets, 'ReplicaSet', 'un', 4);
    for (const n of ['un-1', 'un-2', 'un-3']) await runPod(n, 'un', { owner: rs });
    await runPod('un-4', 'un', { owner: rs, ready: false });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('un', { minAvailable: 3 }));
    await untilStatus('un', { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0 });
    // Healthy budget (3 >= 3): the unready pod goes without using the budget.
    assert.equal((await evict('un-4')).code, 201);
    assert.equal((await statusOf('un'))?.disruptionsAllowed, 0);
    // Make the budget unhealthy: an unready pod is then protected (IfHealthyBudget) ...
    await setReady('un-3', false);
    await untilStatus('un', { currentHealthy: 2, disruptionsAllowed: 0 });
    assert.equal((await evict('un-3')).code, 429);
    // ... unless the policy is AlwaysAllow.
    await t.admin.patch(R.poddisruptionbudgets, NS, 'un', { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } }, 'merge');
    await t.settle();
    assert.equal((await evict('un-3')).code, 201);
    // A ready pod still needs the budget; a dry run answers the same and changes nothing.
    assert.equal((await evict('un-1', { query: { dryRun: 'All' } })).code, 429);
    await runPod('un-p', 'un', { owner: rs, phase: 'Pending' });
    assert.equal((await evict('un-p', { deleteOptions: { dryRun: ['All'] } })).code, 201);
    assert.equal(await exists('un-p'), 'running');
    assert.equal((await evict('un-p')).code, 201);
    assert.equal(await exists('un-p'), 'terminating');
  });

  it('a dry-run eviction through a budget leaves the budget and the pod alone', async () => {
    const rs = await owner(R.replicasets, 'ReplicaSet', 'dry', 2);
    for (const n of ['dry-1', 'dry-2']) await runPod(n, 'dry', { owner: rs });
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('dry', { minAvailable: 1 }));
    const before = await untilStatus('dry', { disruptionsAllowed: 1 });
    const rv = (await t.admin.get(R.poddisruptionbudgets, NS, 'dry')).metadata?.resourceVersion;
    assert.equal((await evict('dry-1', { query: { dryRun: 'All' } })).code, 201);
    assert.equal(await exists('dry-1'), 'running');
    assert.equal((await t.admin.get(R.poddisruptionbudgets, NS, 'dry')).metadata?.resourceVersion, rv);
    assert.deepEqual(await statusOf('dry'), before);
  });

  it('refuses pods covered by two budgets with a 500', async () => {
    const rs = await owner(R.replicasets, 'ReplicaSet', 'two', 2);
    for (const n of ['two-1', 'two-2']) await runPod(n, 'two', { owner: rs });
    await t.admin.create(R.poddisruptionbudgets, NS, { ...pdb('two-a', { minAvailable: 1 }), spec: { minAvailable: 1, selector: { matchLabels: { app: 'two' } } } });
    await t.admin.create(R.poddisruptionbudgets, NS, { ...pdb('two-b', { minAvailable: 1 }), spec: { minAvailable: 1, selector: { matchLabels: { app: 'two' } } } });
    const res = await evict('two-1');
    assert.equal(res.code, 500);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });
    // The controller warns when a pod event finds several budgets.
    await t.admin.patch(R.pods, NS, 'two-1', { metadata: { annotations: { touched: 'yes' } } }, 'merge');
    const warn = await t.until(async () => (await t.list(R.events, NS)).find((e) => e.reason === 'MultiplePodDisruptionBudgets'), 'warning');
    assert.match(String(warn.message), /^Pod "default"\/"two-[12]" matches multiple PodDisruptionBudgets\. {2}Chose "two-[ab]" arbitrarily\.$/);
  });

  it('resets a stale DisruptionTarget condition after two minutes', async () => {
    await runPod('stale-1', 'stale');
    const at = new Date(Math.floor(t.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    await t.admin.patch(R.pods, NS, 'stale-1', { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: at }] } }, 'merge', 'status');
    await t.advance(60_000);
    const cond = async () => ((await t.admin.get(R.pods, NS, 'stale-1')).status as { conditions: Record<string, unknown>[] }).conditions.find((c) => c.type === 'DisruptionTarget');
    assert.equal((await cond())?.status, 'True');
    await t.advance(61_000);
    const c = await t.until(async () => ((await cond())?.status === 'False' ? cond() : undefined), 'condition reset');
    assert.equal(c?.reason, undefined);
  });

  it('kubectl drain evicts through the budget: one pod goes, the other is retried until the budget allows it', async (ctx) => {
    const found = await findKubectl();
    if (!found.ok) return ctx.skip(found.reason);
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'drain-node' } });
    const rs = await owner(R.replicasets, 'ReplicaSet', 'drain', 2);
    for (const n of ['drain-1', 'drain-2']) {
      await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: n, labels: { app: 'drain' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'drain', uid: rs.metadata?.uid, controller: true }] }, spec: template('drain').spec });
      await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name: n }, target: { kind: 'Node', name: 'drain-node' } }, { name: n, subresource: 'binding' });
      await setReady(n, true);
    }
    await t.admin.create(R.poddisruptionbudgets, NS, pdb('drain', { minAvailable: 1 }));
    await untilStatus('drain', { disruptionsAllowed: 1 });
    const k = new Kubectl({ kubeconfig: t.tc.cluster.kubeconfig, runTimeoutMs: 40_000 });
    try {
      const first = await k.run(['drain', 'drain-node', '--grace-period=0', '--timeout=7s']);
      assert.notEqual(first.code, 0);
      assert.match(first.stdout, /node\/drain-node cordoned/);
      assert.match(first.stdout + first.stderr, /error when evicting pods\/"drain-[12]" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
      const left = (await t.list(R.pods, NS, { labelSelector: 'app=drain' })).map((p) => p.metadata?.name);
      assert.equal(left.length, 1, `one pod evicted, one protected: ${left.join(',')}`);
      await t.admin.patch(R.poddisruptionbudgets, NS, 'drain', { spec: { minAvailable: 0 } }, 'merge');
      await untilStatus('drain', { desiredHealthy: 0, disruptionsAllowed: 1 });
      const second = await k.run(['drain', 'drain-node', '--grace-period=0', '--timeout=20s']);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, new RegExp(`pod/${left[0]} evicted`));
      assert.match(second.stdout, /node\/drain-node drained/);
      assert.deepEqual(await t.list(R.pods, NS, { labelSelector: 'app=drain' }), []);
    } finally {
      await k.dispose();
    }
  });
});
