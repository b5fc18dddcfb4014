/**
 * The taint eviction controller against the real in-process API server on a fake clock: pods on a node with a
 * NoExecute taint they do not tolerate are deleted at once (DisruptionTarget condition first), tolerated ones
 * after their smallest tolerationSeconds, forever-tolerating ones never; removing the taint or adding a
 * forever toleration cancels a scheduled deletion; events as upstream.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { taintEvictionControllerFactory } from '../../../src/controllers/tainteviction';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
const TAINT = { key: 'example.com/broken', value: 'yes', effect: 'NoExecute' };

function pod(name: string, node: string, tolerations: Obj[] = []): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, tolerations, containers: [{ name: 'c', image: 'nginx' }] } };
}

describe('taint eviction controller', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([taintEvictionControllerFactory]);
  });
  after(async () => t.stop());

  const exists = async (name: string) => {
    try {
      const p = await t.admin.get(R.pods, NS, name);
      return !p.metadata?.deletionTimestamp;
    } catch {
      return false;
    }
  };
  const setTaints = async (node: string, taints: Obj[] | null) => t.admin.patch(R.nodes, '', node, { spec: { taints } }, 'merge');
  const eventsFor = async (name: string) =>
    (await t.list(R.events, NS)).filter((e) => (e.involvedObject as { name?: string }).name === name).map((e) => String(e.message));

  it('deletes a pod that does not tolerate a NoExecute taint at once, with the DisruptionTarget condition', async () => {
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await t.admin.create(R.pods, NS, pod('plain', 'n1'));
    await t.admin.create(R.pods, NS, pod('tolerant', 'n1', [{ key: TAINT.key, operator: 'Exists', effect: 'NoExecute' }]));
    await t.settle();
    await setTaints('n1', [TAINT]);
    await t.until(async () => !(await exists('plain')), 'plain deleted');
    const p = await t.admin.get(R.pods, NS, 'plain');
    const conds = (p.status as { conditions?: Obj[] }).conditions ?? [];
    const dt = conds.find((c) => c.type === 'DisruptionTarget');
    assert.ok(dt, 'DisruptionTarget condition');
    assert.equal(dt.status, 'True');
    assert.equal(dt.reason, 'DeletionByTaintManager');
    assert.equal(dt.message, 'Taint manager: deleting due to NoExecute taint');
    await t.settle();
    assert.deepEqual(await eventsFor('plain'), ['Marking for deletion Pod default/plain']);
    const ev = (await t.list(R.events, NS)).find((e) => (e.involvedObject as { name?: string }).name === 'plain');
    assert.equal(ev?.reason, 'TaintManagerEviction');
    assert.deepEqual(ev?.source, { component: 'taint-eviction-controller' });
    // A toleration without tolerationSeconds tolerates forever.
    await t.advance(3600_000);
    assert.equal(await exists('tolerant'), true);
  });

  it('deletes after the smallest tolerationSeconds of the tolerations used', async () => {
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
    await t.admin.create(R.pods, NS, pod('timed', 'n2', [{ key: TAINT.key, operator: 'Equal', value: 'yes', effect: 'NoExecute', tolerationSeconds: 60 }]));
    await t.settle();
    const second = { key: 'example.com/second', effect: 'NoExecute' };
    await setTaints('n2', [TAINT, second]);
    await t.settle();
    // `second` is not tolerated by `timed`: it goes now, whatever its toleration of TAINT says.
    assert.equal(await exists('timed'), false);

    await t.admin.create(R.pods, NS, pod('timed2', 'n2', [
      { key: TAINT.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 90 },
      { key: 'example.com/second', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 40 },
    ]));
    await t.settle();
    await t.advance(39_000);
    assert.equal(await exists('timed2'), true);
    await t.advance(1_000);
    await t.until(async () => !(await exists('timed2')), 'timed2 deleted after 40 s');
  });

  it('cancels a scheduled deletion when the taint goes away, with an event', async () => {
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } });
    await t.admin.create(R.pods, NS, pod('saved', 'n3', [{ key: TAINT.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]));
    await t.settle();
    await setTaints('n3', [TAINT]);
    await t.advance(10_000);
    await setTaints('n3', null);
    await t.settle();
    await t.advance(60_000);
    assert.equal(await exists('saved'), true);
    await t.settle();
    assert.deepEqual(await eventsFor('saved'), ['Cancelling deletion of Pod default/saved']);
  });

  it('cancels when the pod comes to tolerate the taint forever', async () => {
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n4' }, spec: { taints: [TAINT] } });
    await t.admin.create(R.pods, NS, pod('learner', 'n4', [{ key: TAINT.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]));
    await t.settle();
    await t.advance(10_000);
    const p = await t.admin.get(R.pods, NS, 'learner');
    const tolerations = [...((p.spec as { tolerations: Obj[] }).tolerations), { key: 'example.com/other', operator: 'Exists' }];
    // Adding a toleration that does not match the taint keeps the schedule (upstream keeps an earlier one).
    await t.admin.patch(R.pods, NS, 'learner', { spec: { tolerations } }, 'merge');
    await t.settle();
    await t.advance(10_000);
    assert.equal(await exists('learner'), true);
    await t.advance(10_000);
    await t.until(async () => !(await exists('learner')), 'learner deleted at 30 s');

    await t.admin.create(R.pods, NS, pod('learner2', 'n4', [{ key: TAINT.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]));
    await t.settle();
    await t.advance(10_000);
    // An earlier toleration that tolerates the taint forever is the one used: the deletion is cancelled.
    const p2 = await t.admin.get(R.pods, NS, 'learner2');
    const forever = [{ key: TAINT.key, operator: 'Exists', effect: 'NoExecute' }, ...((p2.spec as { tolerations: Obj[] }).tolerations)];
    await t.admin.patch(R.pods, NS, 'learner2', { spec: { tolerations: forever } }, 'merge');
    await t.settle();
    await t.advance(60_000);
    assert.equal(await exists('learner2'), true);
    await t.settle();
    assert.deepEqual(await eventsFor('learner2'), ['Cancelling deletion of Pod default/learner2']);
  });
});
