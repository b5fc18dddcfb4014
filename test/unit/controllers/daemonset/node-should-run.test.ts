import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeShouldRunDaemonPod } from '../../../../src/controllers/daemonset/node-should-run';
import { requiredNodeAffinityMatches } from '../../../../src/controllers/daemonset/node-affinity';
import { ds, node } from './fixtures';

const affinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

describe('NodeShouldRunDaemonPod', () => {
  // [name, template spec, node, shouldRun, shouldContinueRunning] — after upstream's TestNodeShouldRunDaemonPod.
  const cases: [string, Record<string, unknown>, ReturnType<typeof node>, boolean, boolean][] = [
    ['plain node', {}, node('n'), true, true],
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, node('n', { disk: 'ssd' }), true, true],
    ['nodeSelector does not match', { nodeSelector: { disk: 'ssd' } }, node('n', { disk: 'hdd' }), false, false],
    ['nodeSelector label missing', { nodeSelector: { disk: 'ssd' } }, node('n'), false, false],
    ['template nodeName is another node', { nodeName: 'other' }, node('n'), false, false],
    ['template nodeName is this node', { nodeName: 'n' }, node('n'), true, true],
    ['affinity In matches', affinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }]), node('n', { zone: 'b' }), true, true],
    ['affinity In does not match', affinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }]), node('n', { zone: 'b' }), false, false],
    ['affinity terms are ORed', affinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }]), node('n', { zone: 'b' }), true, true],
    ['affinity NotIn on the node name', affinity([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n'] }] }]), node('n'), false, false],
    ['affinity with an empty term matches nothing', affinity([{}]), node('n'), false, false],
    ['affinity with no terms matches nothing', affinity([]), node('n'), false, false],
    ['NoSchedule taint not tolerated', {}, node('n', {}, [{ key: 'k', effect: 'NoSchedule' }]), false, true],
    ['NoExecute taint not tolerated', {}, node('n', {}, [{ key: 'k', effect: 'NoExecute' }]), false, false],
    ['PreferNoSchedule taint is ignored', {}, node('n', {}, [{ key: 'k', effect: 'PreferNoSchedule' }]), true, true],
    ['NoSchedule taint tolerated', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] }, node('n', {}, [{ key: 'k', effect: 'NoSchedule' }]), true, true],
    ['NoExecute tolerated, NoSchedule not', { tolerations: [{ key: 'x', operator: 'Exists', effect: 'NoExecute' }] }, node('n', {}, [{ key: 'x', effect: 'NoExecute' }, { key: 'y', effect: 'NoSchedule' }]), false, true],
    ['default toleration: not-ready NoExecute', {}, node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), true, true],
    ['default toleration: unreachable NoExecute', {}, node('n', {}, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]), true, true],
    ['default toleration: unschedulable NoSchedule', {}, node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), true, true],
    ['default toleration: memory-pressure NoSchedule', {}, node('n', {}, [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }]), true, true],
    ['network-unavailable blocks a pod network pod', {}, node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), false, true],
    ['network-unavailable tolerated with hostNetwork', { hostNetwork: true }, node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), true, true],
  ];
  for (const [name, spec, n, run, cont] of cases) {
    it(name, () => assert.deepEqual(nodeShouldRunDaemonPod(n, ds(spec)), { shouldRun: run, shouldContinueRunning: cont }));
  }
});

describe('required node affinity', () => {
  const spec = (exprs: unknown[]) => ({ containers: [], ...affinity([{ matchExpressions: exprs }]) }) as never;
  const cases: [string, unknown[], Record<string, string>, boolean][] = [
    ['Exists', [{ key: 'a', operator: 'Exists' }], { a: '' }, true],
    ['DoesNotExist', [{ key: 'a', operator: 'DoesNotExist' }], { a: '' }, false],
    ['Gt', [{ key: 'cpu', operator: 'Gt', values: ['4'] }], { cpu: '8' }, true],
    ['Gt equal', [{ key: 'cpu', operator: 'Gt', values: ['8'] }], { cpu: '8' }, false],
    ['Lt', [{ key: 'cpu', operator: 'Lt', values: ['4'] }], { cpu: '2' }, true],
    ['Gt on a non-number label', [{ key: 'cpu', operator: 'Gt', values: ['4'] }], { cpu: 'x' }, false],
    ['invalid term (In without values) matches nothing', [{ key: 'a', operator: 'In', values: [] }], { a: 'x' }, false],
    ['unknown operator matches nothing', [{ key: 'a', operator: 'Foo' }], { a: 'x' }, false],
    ['NotIn with the label missing', [{ key: 'a', operator: 'NotIn', values: ['x'] }], {}, true],
    ['requirements of a term are ANDed', [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }], { a: '1' }, false],
  ];
  for (const [name, exprs, labels, want] of cases) it(name, () => assert.equal(requiredNodeAffinityMatches(spec(exprs), node('n', labels)), want));

  it('matchFields with two values for metadata.name is invalid (matches nothing)', () => {
    const s = { containers: [], ...affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n', 'm'] }] }]) } as never;
    assert.equal(requiredNodeAffinityMatches(s, node('n')), false);
  });
});
