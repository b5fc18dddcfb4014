import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Node as V1Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1';
import { requiredNodeAffinityMatches } from '../../../../../src/controllers/daemonset/node-affinity';
import { compileNodeSelector, compileTerm, newNodeSelector, newPreferredSchedulingTerms, podPreferredNodeAffinity, requiredNodeAffinity, type NodeLike } from '../../../../../src/scheduler/plugins/helpers/node-affinity';

const node = (name: string, labels: Record<string, string> = {}): NodeLike => ({ metadata: { name, labels } });
const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const termMatches = (t: NodeSelectorTerm, n: NodeLike) => compileTerm(t).matches(n.metadata?.labels, n.metadata?.name ?? '');

describe('node selector terms (component-helpers nodeaffinity)', () => {
  const n = node('node-1', { zone: 'a', gen: '7', gpu: 'nvidia' });
  const cases: [string, NodeSelectorTerm, boolean][] = [
    ['In matches', { matchExpressions: [expr('zone', 'In', ['a', 'b'])] }, true],
    ['In misses', { matchExpressions: [expr('zone', 'In', ['b'])] }, false],
    ['NotIn on a missing key matches', { matchExpressions: [expr('disk', 'NotIn', ['ssd'])] }, true],
    ['NotIn with the value misses', { matchExpressions: [expr('zone', 'NotIn', ['a'])] }, false],
    ['Exists', { matchExpressions: [expr('gpu', 'Exists')] }, true],
    ['DoesNotExist', { matchExpressions: [expr('gpu', 'DoesNotExist')] }, false],
    ['Gt', { matchExpressions: [expr('gen', 'Gt', ['6'])] }, true],
    ['Gt equal misses', { matchExpressions: [expr('gen', 'Gt', ['7'])] }, false],
    ['Lt', { matchExpressions: [expr('gen', 'Lt', ['8'])] }, true],
    ['Lt on a missing key misses', { matchExpressions: [expr('cores', 'Lt', ['8'])] }, false],
    ['Gt on a non-integer label misses', { matchExpressions: [expr('zone', 'Gt', ['1'])] }, false],
    ['expressions are ANDed', { matchExpressions: [expr('zone', 'In', ['a']), expr('gpu', 'DoesNotExist')] }, false],
    ['matchFields In metadata.name', { matchFields: [expr('metadata.name', 'In', ['node-1'])] }, true],
    ['matchFields NotIn metadata.name', { matchFields: [expr('metadata.name', 'NotIn', ['node-1'])] }, false],
    ['matchFields on another field compares with an empty value', { matchFields: [expr('spec.foo', 'NotIn', ['x'])] }, true],
    ['matchFields AND matchExpressions', { matchFields: [expr('metadata.name', 'In', ['node-1'])], matchExpressions: [expr('zone', 'In', ['b'])] }, false],
    ['an operator that does not exist matches nothing', { matchExpressions: [expr('zone', 'Equals', ['a'])] }, false],
    ['In without values matches nothing', { matchExpressions: [expr('zone', 'In', [])] }, false],
    ['Exists with values matches nothing', { matchExpressions: [expr('zone', 'Exists', ['a'])] }, false],
    ['Gt with a non-integer value matches nothing', { matchExpressions: [expr('gen', 'Gt', ['x'])] }, false],
    ['matchFields with two values matches nothing', { matchFields: [expr('metadata.name', 'In', ['node-1', 'node-2'])] }, false],
    ['an invalid label value matches nothing', { matchExpressions: [expr('zone', 'NotIn', ['a b'])] }, false],
  ];
  for (const [name, term, want] of cases) it(name, () => assert.equal(termMatches(term, n), want));

  it('matchFields are ignored for a node without a name', () => {
    assert.equal(termMatches({ matchFields: [expr('metadata.name', 'In', ['x'])] }, node('')), true);
  });

  it('terms are ORed; empty terms are dropped and match nothing', () => {
    const s = compileNodeSelector({ nodeSelectorTerms: [{}, { matchExpressions: [expr('zone', 'In', ['a'])] }] });
    assert.equal(s.terms.length, 1);
    assert.equal(s.matches(n), true);
    assert.equal(compileNodeSelector({ nodeSelectorTerms: [{}, { matchExpressions: [] }] }).matches(n), false);
    assert.equal(s.matches(undefined), false);
  });

  it('parse errors are lazy: reported only when no term matched', () => {
    const s = compileNodeSelector({ nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'Bad', ['a'])] }, { matchExpressions: [expr('zone', 'In', ['a'])] }] });
    assert.deepEqual(s.match(n), { matched: true });
    const miss = s.match(node('x', { zone: 'z' }));
    assert.equal(miss.matched, false);
    assert.equal(miss.error, 'nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Bad": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"');
  });

  it('NewNodeSelector rejects any parse error, aggregated', () => {
    assert.throws(
      () => newNodeSelector({ nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['a', 'b'])] }, { matchExpressions: [expr('zone', 'In')] }] }),
      (e: Error) =>
        e.message ===
        `[nodeSelectorTerms[0].matchFields[0].values: Invalid value: ["a","b"]: must have one element, nodeSelectorTerms[1].matchExpressions[0].values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]`,
    );
  });

  it('preferred terms: weights of matching terms summed; weight 0 and empty terms skipped; errors thrown', () => {
    const p = newPreferredSchedulingTerms([
      { weight: 2, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } },
      { weight: 5, preference: { matchExpressions: [expr('gpu', 'Exists')] } },
      { weight: 0, preference: { matchExpressions: [expr('zone', 'Bad')] } },
      { weight: 9, preference: {} },
      { weight: 7, preference: { matchExpressions: [expr('zone', 'In', ['b'])] } },
    ]);
    assert.equal(p.score(n), 7);
    assert.throws(() => newPreferredSchedulingTerms([{ weight: 1, preference: { matchExpressions: [expr('zone', 'Gt', ['a'])] } }]), /\[0\]\.matchExpressions\[0\]\.values\[0\]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer/);
    assert.equal(podPreferredNodeAffinity({ spec: {} }), undefined);
  });

  it('required node affinity: nodeSelector AND required terms; cached per pod object', () => {
    const pod = { spec: { nodeSelector: { zone: 'a' }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('gpu', 'Exists')] }] } } } } };
    const r = requiredNodeAffinity(pod);
    assert.equal(r, requiredNodeAffinity(pod));
    assert.equal(r.matches(n), true);
    assert.equal(r.matches(node('x', { zone: 'a' })), false);
    assert.equal(r.matches(node('x', { gpu: '1' })), false);
    assert.equal(requiredNodeAffinity({ spec: {} }).matches(node('x')), true);
  });
});

describe('required node affinity agrees with the DaemonSet controller matcher (property)', () => {
  const keys = fc.constantFrom('zone', 'gpu', 'gen', 'bad key!');
  const values = fc.constantFrom('a', 'b', '1', '7', '12', 'x y');
  const op = fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Nope');
  const requirement = fc.record({ key: keys, operator: op, values: fc.option(fc.array(values, { maxLength: 2 }), { nil: undefined }) });
  // Only metadata.name: for other keys upstream compares with an empty value, the controller helper rejects the term.
  const field = fc.record({ key: fc.constant('metadata.name'), operator: fc.constantFrom('In', 'NotIn', 'Exists'), values: fc.array(fc.constantFrom('n1', 'n2'), { maxLength: 2 }) });
  const term = fc.record({ matchExpressions: fc.option(fc.array(requirement, { maxLength: 3 }), { nil: undefined }), matchFields: fc.option(fc.array(field, { maxLength: 2 }), { nil: undefined }) });
  const spec = fc.record({
    nodeSelector: fc.option(fc.dictionary(fc.constantFrom('zone', 'gpu'), values, { maxKeys: 2 }), { nil: undefined }),
    affinity: fc.option(fc.record({ nodeAffinity: fc.record({ requiredDuringSchedulingIgnoredDuringExecution: fc.record({ nodeSelectorTerms: fc.array(term, { maxLength: 3 }) }) }) }), { nil: undefined }),
  });
  const nodeArb = fc.record({ metadata: fc.record({ name: fc.constantFrom('n1', 'n2'), labels: fc.dictionary(fc.constantFrom('zone', 'gpu', 'gen'), values, { maxKeys: 3 }) }) });

  it('matches exactly when the controller helper does', () => {
    fc.assert(
      fc.property(spec, nodeArb, (s, n) => {
        const want = requiredNodeAffinityMatches(s as PodSpec, n as V1Node);
        assert.equal(requiredNodeAffinity({ spec: s }).matches(n), want);
      }),
      { numRuns: 2000 },
    );
  });
});
