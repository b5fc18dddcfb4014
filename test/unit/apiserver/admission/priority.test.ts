/** Priority: pod priority from PriorityClasses (stored, built-in, global default), upstream's 403s, one global default. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapPriorityClasses, createPriorityPlugin } from '../../../../src/apiserver/admission/priority';
import { attributes, context, FakeCluster, pod, rejection } from './fake-cluster';

type Obj = Record<string, unknown>;

const pc = (name: string, value: number, extra: Obj = {}): Obj => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });

function cluster(...classes: Obj[]): FakeCluster {
  const c = new FakeCluster();
  for (const x of classes) c.add('priorityclasses', x);
  return c;
}

async function admit(c: FakeCluster, spec: Obj = {}) {
  const attrs = attributes('CREATE', '', 'pods', pod('x', undefined, { spec }));
  const plugin = createPriorityPlugin();
  assert.equal(plugin.handles(attrs), true);
  await plugin.admit(attrs, context(c));
  return attrs.object!.spec as Obj;
}

describe('Priority: pods', () => {
  const cases: { name: string; classes: Obj[]; spec: Obj; want: Obj }[] = [
    { name: 'no class, no default: 0 and PreemptLowerPriority', classes: [], spec: {}, want: { priority: 0, preemptionPolicy: 'PreemptLowerPriority' } },
    { name: 'a named class', classes: [pc('high', 1000)], spec: { priorityClassName: 'high' }, want: { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' } },
    { name: 'a class that never preempts', classes: [pc('batch', 10, { preemptionPolicy: 'Never' })], spec: { priorityClassName: 'batch' }, want: { priorityClassName: 'batch', priority: 10, preemptionPolicy: 'Never' } },
    {
      name: 'the global default (lowest value wins when several claim it) is recorded',
      classes: [pc('def-a', 50, { globalDefault: true }), pc('def-b', 20, { globalDefault: true }), pc('other', 5)],
      spec: {},
      want: { priorityClassName: 'def-b', priority: 20, preemptionPolicy: 'PreemptLowerPriority' },
    },
    { name: 'built-in system-node-critical without a stored class', classes: [], spec: { priorityClassName: 'system-node-critical' }, want: { priorityClassName: 'system-node-critical', priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' } },
    { name: 'built-in system-cluster-critical', classes: [], spec: { priorityClassName: 'system-cluster-critical' }, want: { priorityClassName: 'system-cluster-critical', priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority' } },
    { name: 'a matching priority in the pod is accepted', classes: [pc('high', 1000)], spec: { priorityClassName: 'high', priority: 1000 }, want: { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' } },
  ];
  for (const tc of cases)
    it(tc.name, async () => {
      const spec = await admit(cluster(...tc.classes), tc.spec);
      assert.deepEqual({ priorityClassName: spec.priorityClassName, priority: spec.priority, preemptionPolicy: spec.preemptionPolicy }, { priorityClassName: undefined, ...tc.want });
    });

  const errors: [string, Obj[], Obj, string][] = [
    ['unknown class', [], { priorityClassName: 'foo' }, 'pods "x" is forbidden: no PriorityClass with name foo was found'],
    [
      'a different priority in the pod',
      [pc('high', 1000)],
      { priorityClassName: 'high', priority: 5 },
      'pods "x" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    ],
    [
      'a priority without a class',
      [],
      { priority: 7 },
      'pods "x" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    ],
    [
      'a different preemption policy',
      [pc('batch', 10, { preemptionPolicy: 'Never' })],
      { priorityClassName: 'batch', preemptionPolicy: 'PreemptLowerPriority' },
      'pods "x" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    ],
  ];
  for (const [name, classes, spec, want] of errors)
    it(name, async () => {
      const err = await rejection(() => admit(cluster(...classes), spec));
      assert.equal(err.code, 403);
      assert.equal(err.message, want);
    });

  it('updates keep the stored priority and preemption policy', async () => {
    const old = pod('x', undefined, { spec: { priority: 1000, preemptionPolicy: 'Never', priorityClassName: 'high' } });
    const attrs = attributes('UPDATE', '', 'pods', pod('x', undefined, { spec: { priorityClassName: 'high' } }), { oldObject: old });
    await createPriorityPlugin().admit(attrs, context(cluster()));
    assert.equal((attrs.object!.spec as Obj).priority, 1000);
    assert.equal((attrs.object!.spec as Obj).preemptionPolicy, 'Never');
  });

  it('bootstrapPriorityClasses are the two system classes', () => {
    assert.deepEqual(
      bootstrapPriorityClasses().map((c) => [c.metadata.name, c.value]),
      [['system-node-critical', 2000001000], ['system-cluster-critical', 2000000000]],
    );
  });
});

describe('Priority: PriorityClasses', () => {
  const validate = (c: FakeCluster, op: 'CREATE' | 'UPDATE', obj: Obj) => {
    const attrs = attributes(op, 'scheduling.k8s.io', 'priorityclasses', obj, op === 'UPDATE' ? { oldObject: obj } : {});
    const plugin = createPriorityPlugin();
    assert.equal(plugin.handles(attrs), true);
    return plugin.validate(attrs, context(c));
  };

  it('a second global default is rejected', async () => {
    const c = cluster(pc('low', 1, { globalDefault: true }));
    const err = await rejection(() => validate(c, 'CREATE', pc('other', 2, { globalDefault: true })));
    assert.equal(err.message, 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass low is already marked as default. Only one default can exist');
    await rejection(() => validate(c, 'UPDATE', pc('other', 2, { globalDefault: true })));
  });

  it('the default itself may be updated; non-defaults and a first default pass', async () => {
    const c = cluster(pc('low', 1, { globalDefault: true }));
    await validate(c, 'UPDATE', pc('low', 3, { globalDefault: true }));
    await validate(c, 'CREATE', pc('plain', 3));
    await validate(cluster(), 'CREATE', pc('first', 3, { globalDefault: true }));
  });
});
