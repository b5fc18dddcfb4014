/**
 * The pod garbage collector against the real in-process API server on a fake clock: terminated pods beyond the
 * threshold (evicted first, then oldest), pods bound to a node that does not exist (after the 40 s quarantine,
 * marked Failed with DisruptionTarget DeletionByPodGC, then force-deleted), terminating pods on an out-of-service
 * node, and unscheduled terminating pods.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { newPodGCControllerFactory } from '../../../src/controllers/podgc';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';

const NS = 'default';
const KEEP = 'example.com/keep';

describe('pod garbage collector', () => {
  let t: ControllerTest;
  before(async () => {
    t = await startControllerTest([newPodGCControllerFactory({ terminatedPodGCThreshold: 3 })]);
    await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'real' } });
  });
  after(async () => t.stop());

  const pod = (name: string, spec: Obj = {}, meta: Obj = {}): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...meta },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  });
  const get = async (name: string) => {
    try {
      return await t.admin.get(R.pods, NS, name);
    } catch {
      return undefined;
    }
  };
  const setPhase = (name: string, phase: string, reason?: string) => t.admin.patch(R.pods, NS, name, { status: { phase, reason } }, 'merge', 'status');
  const unfinalize = (name: string) => t.admin.patch(R.pods, NS, name, { metadata: { finalizers: null } }, 'merge');

  it('deletes terminated pods beyond the threshold: evicted first, then the oldest', async () => {
    const names = ['t1', 't2', 't3', 't4', 't5'];
    for (const n of names) {
      await t.admin.create(R.pods, NS, pod(n, { nodeName: 'real' }));
      await setPhase(n, n === 't3' ? 'Succeeded' : 'Failed', n === 't5' ? 'Evicted' : undefined);
      t.clock.advance(2_000);
    }
    await t.admin.create(R.pods, NS, pod('running', { nodeName: 'real' }));
    await setPhase('running', 'Running');
    await t.settle();
    await t.advance(20_000);
    await t.until(async () => !(await get('t5')) && !(await get('t1')), 't5 (evicted) and t1 (oldest) deleted');
    for (const n of ['t2', 't3', 't4', 'running']) assert.ok(await get(n), `${n} kept`);
  });

  it('force-deletes pods of a node that does not exist, after the quarantine, with DisruptionTarget', async () => {
    await t.admin.create(R.pods, NS, pod('orphan', { nodeName: 'ghost' }, { finalizers: [KEEP] }));
    await t.admin.create(R.pods, NS, pod('housed', { nodeName: 'real' }));
    await t.settle();
    await t.advance(20_000);
    await t.advance(20_000);
    assert.equal((await get('orphan'))?.metadata?.deletionTimestamp, undefined, 'still quarantined');
    await t.advance(20_000);
    await t.advance(20_000);
    const p = await t.until(async () => {
      const x = await get('orphan');
      return x?.metadata?.deletionTimestamp ? x : undefined;
    }, 'orphan deleted');
    assert.equal(p.metadata?.deletionGracePeriodSeconds, 0);
    const st = p.status as { phase: string; conditions: Obj[] };
    assert.equal(st.phase, 'Failed');
    const dt = st.conditions.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([dt?.status, dt?.reason, dt?.message], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists']);
    assert.ok(await get('housed'));
    await unfinalize('orphan');
  });

  it('force-deletes terminating pods on a not-ready out-of-service node', async () => {
    await t.admin.create(R.nodes, '', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'oos' },
      spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] },
    });
    await t.admin.create(R.pods, NS, pod('stuck', { nodeName: 'oos' }));
    await t.admin.create(R.pods, NS, pod('stuck-ok', { nodeName: 'real' }));
    await setPhase('stuck', 'Running');
    await t.admin.delete(R.pods, NS, 'stuck');
    await t.admin.delete(R.pods, NS, 'stuck-ok');
    assert.ok((await get('stuck'))?.metadata?.deletionTimestamp, 'graceful deletion pending');
    await t.settle();
    await t.advance(20_000);
    await t.until(async () => !(await get('stuck')), 'stuck force-deleted');
    assert.ok(await get('stuck-ok'), 'a terminating pod on a node without the taint stays');
  });

  it('force-deletes unscheduled terminating pods', async () => {
    await t.admin.create(R.pods, NS, pod('limbo', {}, { finalizers: [KEEP] }));
    await t.admin.delete(R.pods, NS, 'limbo');
    await t.settle();
    await t.advance(20_000);
    await t.until(async () => (await get('limbo'))?.status?.['phase' as never] === 'Failed', 'limbo marked Failed');
    assert.equal((await get('limbo'))?.metadata?.deletionGracePeriodSeconds, 0);
    await unfinalize('limbo');
  });
});
