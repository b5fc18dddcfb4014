/** FitError's message, word for word as upstream's FitError.Error(). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../../../src/scheduler/framework';
import { Diagnosis, fitErrorMessage } from '../../../../src/scheduler/runtime/fit-error';

function diag(statuses: Record<string, string[]>): Diagnosis {
  const d = new Diagnosis();
  for (const [n, r] of Object.entries(statuses)) d.nodeToStatus.set(n, Status.unschedulable(...r));
  return d;
}

describe('fitErrorMessage', () => {
  it('counts reasons over nodes and sorts "<count> <reason>" as strings', () => {
    const d = diag({ n1: ['Insufficient cpu'], n2: ["node(s) didn't match Pod's node affinity/selector"], n3: ["node(s) didn't match Pod's node affinity/selector"] });
    assert.equal(fitErrorMessage(3, d), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.");
    d.postFilterMsg = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    assert.equal(
      fitErrorMessage(3, d),
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('a node with several reasons counts each; sorting is by string (10 before 2)', () => {
    const d = diag({ a: ['Insufficient cpu', 'Insufficient memory'], b: ['Insufficient memory'] });
    for (let i = 0; i < 10; i++) d.nodeToStatus.set(`t${i}`, Status.unschedulable('node(s) had untolerated taint {k: v}'));
    assert.equal(fitErrorMessage(12, d), '0/12 nodes are available: 1 Insufficient cpu, 10 node(s) had untolerated taint {k: v}, 2 Insufficient memory.');
  });

  it('absent nodes take the absent status reasons; none when it has no reason', () => {
    const d = diag({ n1: ['Insufficient cpu'] });
    assert.equal(fitErrorMessage(3, d), '0/3 nodes are available: 1 Insufficient cpu.');
    d.absentNodesStatus = Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
    assert.equal(fitErrorMessage(3, d), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it('a PreFilter message replaces the per-node reasons', () => {
    const d = new Diagnosis();
    d.preFilterMsg = "node(s) didn't satisfy plugin NodeName";
    assert.equal(fitErrorMessage(5, d), "0/5 nodes are available: node(s) didn't satisfy plugin NodeName.");
  });
});
