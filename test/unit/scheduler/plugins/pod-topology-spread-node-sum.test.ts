/** NodeSum (the incremental per-node sums PodTopologySpread and InterPodAffinity keep between cycles): after any
 * sequence of node changes, additions, removals and replacements by clones, `totals` equals a fresh sum. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NodeSum, type Contribution } from '../../../../src/scheduler/plugins/podtopologyspread/node-sum';
import type { NodeInfo } from '../../../../src/scheduler/framework';
import { makeNode, makePod, nodeInfo } from '../../../helpers/scheduler-fixtures';

/** Contribution: per node, its zone with the number of pods labelled app=x, plus its name with 1 when it has any pod. */
function contribution(ni: NodeInfo): Contribution {
  const zone = (ni.node?.metadata?.labels as Record<string, string> | undefined)?.zone;
  if (zone === undefined) return [];
  const n = ni.pods.filter((p) => (p.pod.metadata?.labels as Record<string, string> | undefined)?.app === 'x').length;
  const out: [string, string, number][] = [['zone', zone, n]];
  if (ni.pods.length > 0) out.push(['host', ni.name, 1]);
  return out;
}

function fresh(nodes: readonly NodeInfo[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const ni of nodes) for (const [k, s, a] of contribution(ni)) (out[k] ??= {})[s] = (out[k][s] ?? 0) + a;
  return out;
}

function view(sum: NodeSum): Record<string, Record<string, number>> {
  return Object.fromEntries([...sum.totals].map(([k, m]) => [k, Object.fromEntries(m)]));
}

type Op = { kind: 'addPod' | 'removePod' | 'addNode' | 'dropNode' | 'clone' | 'relabel'; i: number; app: boolean; zone: number };
const op = fc.record({ kind: fc.constantFrom<Op['kind']>('addPod', 'removePod', 'addNode', 'dropNode', 'clone', 'relabel'), i: fc.nat(20), app: fc.boolean(), zone: fc.nat(3) });

describe('NodeSum', () => {
  it('keeps totals equal to a fresh sum through random cluster changes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 6 }), { minLength: 1, maxLength: 12 }), (cycles) => {
        let seq = 0;
        const mkNode = (zone: number) => nodeInfo(makeNode(`n${++seq}`, { labels: { zone: `z${zone}` } }));
        let nodes: NodeInfo[] = [mkNode(0), mkNode(1), mkNode(2)];
        const sum = new NodeSum();
        for (const ops of cycles) {
          for (const o of ops) {
            const ni = nodes.length ? nodes[o.i % nodes.length] : undefined;
            if (o.kind === 'addNode') nodes.push(mkNode(o.zone));
            else if (!ni) continue;
            else if (o.kind === 'addPod') ni.addPod(makePod(`p${++seq}`, { node: ni.name, labels: o.app ? { app: 'x' } : {} }));
            else if (o.kind === 'removePod' && ni.pods.length) ni.removePod(ni.pods[0].pod);
            else if (o.kind === 'dropNode') nodes = nodes.filter((n) => n !== ni);
            else if (o.kind === 'clone') nodes = nodes.map((n) => (n === ni ? n.clone() : n));
            else if (o.kind === 'relabel') ni.setNode(makeNode(ni.name, { labels: o.zone === 3 ? {} : { zone: `z${o.zone}` } }));
          }
          sum.update(nodes, contribution);
          assert.deepEqual(view(sum), fresh(nodes));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('an eligible domain without matching pods is kept with 0 and dropped when its last node leaves', () => {
    const a = nodeInfo(makeNode('a', { labels: { zone: 'z1' } }));
    const sum = new NodeSum().update([a], contribution);
    assert.deepEqual(view(sum), { zone: { z1: 0 } });
    sum.update([], contribution);
    assert.deepEqual(view(sum), {});
  });
});
