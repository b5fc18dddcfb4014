/**
 * The DaemonSet controller against the real in-process API server on a fake clock (the test plays the kubelet and
 * creates the Nodes): one pod per eligible node pinned by `matchFields metadata.name`, with the daemon tolerations
 * and revision labels; nodeSelector and taints; nodes joining, relabelled, tainted and leaving; failed pods
 * replaced with FailedDaemonPod and a backoff; RollingUpdate never exceeding maxUnavailable (and surging with
 * maxSurge); OnDelete; ControllerRevisions with revisionHistoryLimit; status counts and events.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { daemonSetControllerFactory } from '../../../src/controllers/daemonset';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
type Meta = { name?: string; labels?: Record<string, string>; ownerReferences?: { kind: string; uid: string; controller?: boolean }[]; deletionTimestamp?: string };
type Term = { matchFields?: { key: string; operator: string; values: string[] }[] };
type PodSpec = { tolerations?: unknown[]; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: Term[] } } }; containers: { image: string }[] };

const meta = (o: Obj) => (o.metadata ?? {}) as Meta;
const spec = (o: Obj) => o.spec as PodSpec;
/** The node a daemon pod is pinned to by its required node affinity. */
const pinnedNode = (p: Obj) => spec(p).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values[0];

function node(name: string, labels: Record<string, string> = {}, taints: unknown[] = []): Obj {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } };
}

function daemonSet(name: string, extra: { nodeSelector?: Record<string, string>; tolerations?: unknown[]; updateStrategy?: unknown; annotations?: Record<string, string>; image?: string; minReadySeconds?: number; revisionHistoryLimit?: number } = {}): Obj {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, annotations: extra.annotations },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: extra.updateStrategy,
      minReadySeconds: extra.minReadySeconds,
      revisionHistoryLimit: extra.revisionHistoryLimit,
      template: { metadata: { labels }, spec: { nodeSelector: extra.nodeSelector, tolerations: extra.tolerations, containers: [{ name: 'c', image: extra.image ?? 'agent:v1' }] } },
    },
  };
}

describe('DaemonSet controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([daemonSetControllerFactory]);
    for (const n of ['n1', 'n2', 'n3']) await t.admin.create(R.nodes, '', node(n, { zone: n === 'n3' ? 'b' : 'a' }));
  });
  after(async () => t.stop());

  const podsOf = async (app: string) => (await t.list(R.pods, NS, { labelSelector: `app=${app}` })).filter((p) => !meta(p).deletionTimestamp);
  const nodesOf = async (app: string) => (await podsOf(app)).map(pinnedNode).sort();
  const status = async (name: string) => ((await t.admin.get(R.daemonsets, NS, name)).status ?? {}) as Record<string, number>;
  const untilNodes = (app: string, want: string[]) =>
    t.until(async () => JSON.stringify(await nodesOf(app)) === JSON.stringify(want), `${app} pods on ${want.join(',')}`);
  const isReady = (p: Obj) => ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

  /** The kubelet's part: the pod runs and is ready since now. */
  async function setReady(name: string): Promise<void> {
    const at = new Date(Math.floor(t.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    await t.admin.patch(R.pods, NS, name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] } }, 'merge', 'status');
  }

  it('runs one pod per node, pinned by node affinity, with the daemon tolerations, labels, events and status', async () => {
    const ds = await t.admin.create(R.daemonsets, NS, daemonSet('agent', { annotations: { 'deprecated.daemonset.template.generation': '1' } }));
    await untilNodes('agent', ['n1', 'n2', 'n3']);
    const pods = await podsOf('agent');
    const revs = (await t.list(R.controllerrevisions, NS)).filter((r) => meta(r).name?.startsWith('agent-'));
    assert.equal(revs.length, 1);
    const hash = meta(revs[0]).labels?.['controller-revision-hash'];
    assert.equal(meta(revs[0]).name, `agent-${hash}`);
    assert.equal(revs[0].revision, 1);
    assert.equal(((revs[0].data as { spec: { template: Record<string, unknown> } }).spec.template).$patch, 'replace');
    for (const p of pods) {
      assert.match(String(meta(p).name), /^agent-[a-z0-9]{5}$/);
      assert.deepEqual(meta(p).labels, { app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
      assert.deepEqual(meta(p).ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepEqual(spec(p).affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pinnedNode(p)] }] }] } } });
      assert.equal((p.spec as { nodeName?: string }).nodeName, undefined);
      assert.deepEqual(spec(p).tolerations, [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    }
    await t.until(async () => (await status('agent')).currentNumberScheduled === 3, 'status current 3');
    assert.deepEqual(await status('agent'), { currentNumberScheduled: 3, desiredNumberScheduled: 3, numberMisscheduled: 0, numberReady: 0, numberUnavailable: 3, updatedNumberScheduled: 3, observedGeneration: 1 });
    for (const p of pods) await setReady(String(meta(p).name));
    await t.until(async () => (await status('agent')).numberAvailable === 3, 'all available');
    const st = await status('agent');
    assert.equal(st.numberReady, 3);
    assert.equal(st.numberUnavailable, undefined); // 0 is omitted on the wire
    await t.settle();
    const events = (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string }).name === 'agent');
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
    for (const e of events) {
      assert.match(String(e.message), /^Created pod: agent-[a-z0-9]{5}$/);
      assert.deepEqual(e.source, { component: 'daemonset-controller' });
    }
    // Syncs caused by unrelated updates create nothing more.
    for (let i = 0; i < 3; i++) await t.admin.patch(R.daemonsets, NS, 'agent', { metadata: { annotations: { poke: String(i) } } });
    await t.settle();
    assert.equal((await podsOf('agent')).length, 3);
  });

  it('follows nodes as they join, change labels and leave', async () => {
    await t.admin.create(R.daemonsets, NS, daemonSet('zonal', { nodeSelector: { zone: 'a' } }));
    await untilNodes('zonal', ['n1', 'n2']);
    await t.until(async () => (await status('zonal')).desiredNumberScheduled === 2, 'desired 2');
    await t.admin.create(R.nodes, '', node('n4', { zone: 'a' }));
    await untilNodes('zonal', ['n1', 'n2', 'n4']);
    await untilNodes('agent', ['n1', 'n2', 'n3', 'n4']);
    await t.admin.patch(R.nodes, '', 'n3', { metadata: { labels: { zone: 'a' } } });
    await untilNodes('zonal', ['n1', 'n2', 'n3', 'n4']);
    await t.admin.patch(R.nodes, '', 'n1', { metadata: { labels: { zone: 'b' } } });
    await untilNodes('zonal', ['n2', 'n3', 'n4']);
    await t.admin.delete(R.nodes, '', 'n4');
    await untilNodes('zonal', ['n2', 'n3']);
    await untilNodes('agent', ['n1', 'n2', 'n3']);
    await t.until(async () => {
      const st = await status('zonal');
      return st.desiredNumberScheduled === 2 && st.currentNumberScheduled === 2 && !st.numberMisscheduled;
    }, 'zonal status 2/2');
    await t.admin.patch(R.nodes, '', 'n1', { metadata: { labels: { zone: 'a' } } });
    await untilNodes('zonal', ['n1', 'n2', 'n3']);
  });

  it('respects taints: NoSchedule keeps new pods off, NoExecute evicts, tolerations and default tolerations let pods in', async () => {
    await t.admin.create(R.nodes, '', node('t1', { zone: 'c' }, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]));
    await t.admin.create(R.nodes, '', node('t2', { zone: 'c' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]));
    await t.admin.create(R.daemonsets, NS, daemonSet('plain', { nodeSelector: { zone: 'c' } }));
    await t.admin.create(R.daemonsets, NS, daemonSet('tolerant', { nodeSelector: { zone: 'c' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }));
    await untilNodes('plain', ['t2']);
    await untilNodes('tolerant', ['t1', 't2']);
    // A NoSchedule taint added later does not evict: the pod may continue running (but counts as misscheduled).
    await t.admin.patch(R.nodes, '', 't2', { spec: { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoSchedule' }] } });
    await t.until(async () => (await status('plain')).numberMisscheduled === 1, 'plain misscheduled 1');
    assert.deepEqual(await nodesOf('plain'), ['t2']);
    // NoExecute evicts the pods that do not tolerate it.
    await t.admin.patch(R.nodes, '', 't1', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'maintenance', effect: 'NoExecute' }] } });
    await untilNodes('tolerant', ['t2']);
    await t.admin.patch(R.nodes, '', 't1', { spec: { taints: [] } });
    await untilNodes('tolerant', ['t1', 't2']);
    await untilNodes('plain', ['t1', 't2']);
    for (const n of ['t1', 't2']) await t.admin.delete(R.nodes, '', n);
    await untilNodes('plain', []);
  });

  it('deletes a failed daemon pod with FailedDaemonPod and recreates it, backing off on repeated failures', async () => {
    const failPod = async (name: string) => t.admin.patch(R.pods, NS, name, { status: { phase: 'Failed' } }, 'merge', 'status');
    const onN2 = async () => (await podsOf('agent')).find((p) => pinnedNode(p) === 'n2');
    const first = await onN2();
    await failPod(String(meta(first!).name));
    const second = await t.until(async () => {
      const p = await onN2();
      return p && meta(p).name !== meta(first!).name ? p : undefined;
    }, 'replacement on n2');
    const failedEvents = async () => (await t.list(R.events, NS)).filter((e) => e.reason === 'FailedDaemonPod');
    const events = await t.until(async () => ((await failedEvents()).length > 0 ? failedEvents() : undefined), 'FailedDaemonPod event');
    assert.equal(events.length, 1);
    assert.equal(events[0].message, `Found failed daemon pod ${NS}/${meta(first!).name} on node n2, will try to kill it`);
    assert.equal(events[0].type, 'Warning');
    // Failing again at once: the backoff (1 s, then 2 s) holds the deletion until the clock moves.
    await failPod(String(meta(second).name));
    await t.settle();
    assert.equal(meta((await onN2())!).name, meta(second).name);
    await t.advance(1500);
    await t.until(async () => meta((await onN2()) ?? {}).name !== meta(second).name, 'replaced after the backoff');
  });

  it('rolls out a new template never exceeding maxUnavailable, then prunes revisions beyond the limit', async () => {
    await t.admin.create(R.daemonsets, NS, daemonSet('roll', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }, revisionHistoryLimit: 1 }));
    await untilNodes('roll', ['n1', 'n2', 'n3']);
    for (const p of await podsOf('roll')) await setReady(String(meta(p).name));
    await t.until(async () => (await status('roll')).numberAvailable === 3, 'v1 available');
    let maxSeen = 0;
    const rollTo = async (image: string) => {
      await t.admin.patch(R.daemonsets, NS, 'roll', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
      for (let round = 0; round < 200; round++) {
        await t.settle();
        const pods = await podsOf('roll');
        const availableNodes = new Set(pods.filter(isReady).map(pinnedNode));
        maxSeen = Math.max(maxSeen, 3 - availableNodes.size);
        assert.ok(3 - availableNodes.size <= 1, `unavailable nodes ${3 - availableNodes.size} > maxUnavailable 1`);
        if (pods.length === 3 && pods.every((p) => isReady(p) && spec(p).containers[0].image === image)) return;
        for (const p of pods) if (!isReady(p) && spec(p).containers[0].image === image) await setReady(String(meta(p).name));
      }
      assert.fail(`rollout to ${image} did not finish`);
    };
    await rollTo('agent:v2');
    assert.equal(maxSeen, 1, 'the rollout did take pods down, one at a time');
    await t.until(async () => {
      const st = await status('roll');
      return st.updatedNumberScheduled === 3 && st.numberAvailable === 3 && st.observedGeneration === 2;
    }, 'status after v2');
    await rollTo('agent:v3');
    const revs = async () => (await t.list(R.controllerrevisions, NS)).filter((r) => meta(r).name?.startsWith('roll-'));
    await t.until(async () => (await revs()).length === 2, 'v3 and one old revision kept');
    const kept = (await revs()).map((r) => r.revision).sort();
    assert.deepEqual(kept, [2, 3]);
  });

  it('surges with maxSurge: the new pod starts next to the old one, which goes once the new one is available', async () => {
    await t.admin.create(R.daemonsets, NS, daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await untilNodes('surge', ['n1', 'n2', 'n3']);
    for (const p of await podsOf('surge')) await setReady(String(meta(p).name));
    await t.until(async () => (await status('surge')).numberAvailable === 3, 'v1 available');
    await t.admin.patch(R.daemonsets, NS, 'surge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:v2' }] } } } });
    let sawSurge = false;
    for (let round = 0; ; round++) {
      assert.ok(round < 200, 'surge rollout did not finish');
      await t.settle();
      const pods = await podsOf('surge');
      assert.equal(new Set(pods.filter(isReady).map(pinnedNode)).size, 3, 'every node keeps an available pod');
      assert.ok(pods.length <= 4, `at most one surge pod: ${pods.length}`);
      if (pods.length === 4) sawSurge = true;
      if (pods.length === 3 && pods.every((p) => spec(p).containers[0].image === 'agent:v2' && isReady(p))) break;
      for (const p of pods) if (!isReady(p)) await setReady(String(meta(p).name));
    }
    assert.ok(sawSurge);
  });

  it('adopts a matching orphan on its node instead of creating one, and releases it when its labels stop matching', async () => {
    const pinned = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } };
    await t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { affinity: pinned, containers: [{ name: 'c', image: 'agent:v1' }] } });
    // OnDelete: an adopted pod carries no revision hash, so a rolling update would replace it at once.
    const owner = await t.admin.create(R.daemonsets, NS, daemonSet('adopt', { updateStrategy: { type: 'OnDelete' } }));
    await untilNodes('adopt', ['n1', 'n2', 'n3']);
    const orphan = await t.admin.get(R.pods, NS, 'orphan');
    assert.equal(meta(orphan).ownerReferences?.[0]?.uid, owner.metadata?.uid);
    assert.ok((await podsOf('adopt')).some((p) => meta(p).name === 'orphan'));
    await t.admin.patch(R.pods, NS, 'orphan', { metadata: { labels: { app: 'other' } } });
    await t.until(async () => (meta(await t.admin.get(R.pods, NS, 'orphan')).ownerReferences ?? []).length === 0, 'released');
    await untilNodes('adopt', ['n1', 'n2', 'n3']);
    assert.ok(!(await podsOf('adopt')).some((p) => meta(p).name === 'orphan'));
  });

  it('OnDelete keeps old pods until they are deleted, then recreates them from the new template', async () => {
    await t.admin.create(R.daemonsets, NS, daemonSet('manual', { updateStrategy: { type: 'OnDelete' } }));
    await untilNodes('manual', ['n1', 'n2', 'n3']);
    await t.admin.patch(R.daemonsets, NS, 'manual', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:v2' }] } } } });
    await t.until(async () => (await status('manual')).observedGeneration === 2, 'observed generation 2');
    const st = await status('manual');
    assert.equal(st.updatedNumberScheduled, undefined);
    assert.ok((await podsOf('manual')).every((p) => spec(p).containers[0].image === 'agent:v1'));
    const victim = (await podsOf('manual')).find((p) => pinnedNode(p) === 'n1')!;
    await t.admin.delete(R.pods, NS, String(meta(victim).name));
    await t.until(async () => (await podsOf('manual')).some((p) => pinnedNode(p) === 'n1' && spec(p).containers[0].image === 'agent:v2'), 'n1 recreated at v2');
    await t.until(async () => (await status('manual')).updatedNumberScheduled === 1, 'one updated');
  });
});
