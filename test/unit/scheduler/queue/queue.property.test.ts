/**
 * Property: under random sequences of add / pop (then fail, error, bind, or fail later) / cluster events / updates /
 * deletes / activate / clock advances, no pod is lost or duplicated: every live pod not being scheduled is in exactly
 * one of activeQ, backoffQ, unschedulablePods, the counts add up, and each pop returns the PrioritySort head.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Pod, QueuedPodInfo } from '../../../../src/scheduler/framework';
import { ClusterEvents as E } from '../../../../src/scheduler/queue';
import { makePod } from '../../../helpers/scheduler-fixtures';
import { fakePlugin, newQueue, prioritySortLess, withLabels } from './harness';

const op = fc.oneof(
  fc.record({ t: fc.constant('add' as const), i: fc.nat(7), prio: fc.nat(3) }),
  fc.record({ t: fc.constant('pop' as const), outcome: fc.constantFrom('fail', 'error', 'bind', 'hold') }),
  fc.record({ t: fc.constant('finish' as const) }),
  fc.record({ t: fc.constant('event' as const), e: fc.constantFrom(E.NodeAdd, E.PvAdd, E.WildCardEvent) }),
  fc.record({ t: fc.constant('update' as const), i: fc.nat(7) }),
  fc.record({ t: fc.constant('delete' as const), i: fc.nat(7) }),
  fc.record({ t: fc.constant('activate' as const), i: fc.nat(7) }),
  fc.record({ t: fc.constant('advance' as const), ms: fc.constantFrom(1, 999, 1000, 5000, 31_000, 400_000) }),
);

describe('SchedulingQueue (property)', () => {
  it('never loses or duplicates a pod; pops follow PrioritySort', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 30, maxLength: 120 }), async (ops) => {
        const { q, clock } = newQueue({ plugins: [fakePlugin('fooPlugin', [{ event: E.NodeAdd }])] });
        const live = new Map<number, Pod>();
        const held = new Map<number, { qpi: QueuedPodInfo; cycle: number }>();
        const idOf = (pod: Pod) => Number(String(pod.metadata?.name).slice(1));
        const fail = (qpi: QueuedPodInfo, cycle: number, plugins: string[]) => {
          for (const p of plugins) qpi.unschedulablePlugins.add(p);
          assert.equal(q.addUnschedulableIfNotPresent(qpi, cycle), undefined);
        };
        for (const o of ops) {
          if (o.t === 'add' && !live.has(o.i)) {
            const pod = makePod(`p${o.i}`, { priority: o.prio });
            live.set(o.i, pod);
            q.add(pod);
          } else if (o.t === 'pop' && q.pendingPods().active > 0) {
            const queued = q.podsIn('active').map((k) => q.getPod(live.get(Number(k.split('/p')[1]))!)!);
            const qpi = (await q.pop())!;
            assert.ok(queued.every((other) => other === qpi || !prioritySortLess(other, qpi)), 'popped the head');
            const id = idOf(qpi.podInfo.pod);
            const cycle = q.schedulingCycle();
            if (o.outcome === 'fail') fail(qpi, cycle, ['fooPlugin']);
            else if (o.outcome === 'error') fail(qpi, cycle, []);
            else if (o.outcome === 'hold') held.set(id, { qpi, cycle });
            else {
              q.done(String(qpi.podInfo.pod.metadata?.uid));
              live.delete(id);
            }
          } else if (o.t === 'finish') {
            for (const [, h] of held) fail(h.qpi, h.cycle, ['fooPlugin']);
            held.clear();
          } else if (o.t === 'event') {
            q.moveAllToActiveOrBackoffQueue(o.e);
          } else if (o.t === 'update' && live.has(o.i)) {
            const old = live.get(o.i)!;
            const next = withLabels(old, { v: String(Math.random()) });
            live.set(o.i, next);
            q.update(old, next);
          } else if (o.t === 'delete' && live.has(o.i)) {
            q.delete(live.get(o.i)!);
            live.delete(o.i);
            const h = held.get(o.i);
            if (h) {
              fail(h.qpi, h.cycle, ['fooPlugin']);
              held.delete(o.i);
            }
          } else if (o.t === 'activate' && live.has(o.i)) {
            q.activate([live.get(o.i)!]);
          } else if (o.t === 'advance') {
            clock.advance(o.ms);
          }
          let queued = 0;
          for (const [id, pod] of live) {
            if (held.has(id)) {
              assert.equal(q.queueOf(pod), undefined, `p${id} is in flight`);
              continue;
            }
            assert.notEqual(q.queueOf(pod), undefined, `p${id} is queued`);
            queued++;
          }
          const c = q.pendingPods();
          assert.equal(c.active + c.backoff + c.unschedulable, queued);
        }
        q.close();
      }),
      { numRuns: 150 },
    );
  });
});
