/**
 * "Why this node": the scheduler's explanation of a pod's last scheduling decision, read from the three annotations
 * the scheduler writes with the Binding or the failure's status patch (src/scheduler/runtime/explain.ts):
 * selected-node `{node, numAllNodes, evaluatedNodes, feasibleNodes}`, score-result `{weights, columns, nodes: [{node,
 * rank, total, plugins: {plugin: [raw, normalized, weighted]}}]}` and filter-result (per node `{plugin: "passed" |
 * reason}`, or `{grouped: {"passed" | "<plugin>: <reason>": count}}` above 50 nodes, or `{preFilter, numAllNodes}`).
 * Renders the chosen node, the ranking table (total and each plugin's weighted score with raw and normalized), and
 * the filter verdicts per node (or grouped). Without annotations it says why there is nothing to show.
 */
import { FILTER_RESULT_ANNOTATION, PASSED, SCORE_RESULT_ANNOTATION, SELECTED_NODE_ANNOTATION } from '../../../scheduler/runtime/explain';
import { arr, int, obj, str, type Json } from './common';
import { TabWriter } from './tabwriter';

function parse(v: unknown): Json | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const o = JSON.parse(v) as unknown;
    return typeof o === 'object' && o !== null ? (o as Json) : undefined;
  } catch {
    return undefined;
  }
}

const fmt = (n: unknown) => (typeof n === 'number' ? String(Math.round(n * 100) / 100) : '-');

function scheduledCondition(pod: Json): Json | undefined {
  return arr(obj(pod.status).conditions).find((c) => c.type === 'PodScheduled');
}

export function whyThisNode(pod: unknown): string {
  const p = obj(pod);
  const meta = obj(p.metadata);
  const ann = obj(meta.annotations);
  const who = `${str(meta.namespace)}/${str(meta.name)}`;
  const selected = parse(ann[SELECTED_NODE_ANNOTATION]);
  const scores = parse(ann[SCORE_RESULT_ANNOTATION]);
  const filter = parse(ann[FILTER_RESULT_ANNOTATION]);
  const nodeName = str(obj(p.spec).nodeName);
  if (!filter && !scores && !selected) {
    if (!nodeName) {
      const cond = scheduledCondition(p);
      const why = cond && str(cond.message) ? `\nPodScheduled=${str(cond.status)} ${str(cond.reason)}: ${str(cond.message)}` : '';
      return `Pod ${who} has not been scheduled yet, so there is no scheduling decision to explain.${why}\n`;
    }
    return `Pod ${who} runs on node ${nodeName}, but carries no scheduling explanation: it was scheduled before the scheduler recorded explanations, by another scheduler, or bound directly (spec.nodeName set at creation).\n`;
  }
  const out: string[] = [`Why this node: pod ${who}`];
  if (selected) {
    out.push(`Chosen node: ${str(selected.node)}`);
    out.push(`Nodes: ${int(selected.numAllNodes)} in the cluster, ${int(selected.evaluatedNodes)} evaluated, ${int(selected.feasibleNodes)} feasible`);
  } else {
    const cond = scheduledCondition(p);
    out.push(`No node was chosen${cond && str(cond.message) ? `: ${str(cond.message)}` : '.'}`);
    if (nodeName) out.push(`(The pod now runs on ${nodeName}; the explanation is of the last failed attempt.)`);
  }
  const ranked = arr(scores?.nodes);
  if (ranked.length) {
    const weights = obj(scores?.weights);
    const plugins = Object.keys(weights).length ? Object.keys(weights) : Object.keys(obj(ranked[0]!.plugins));
    out.push('', `Ranking (top ${ranked.length}; each plugin: weighted = normalized × weight, raw in brackets):`);
    const tw = new TabWriter();
    tw.write(`  Rank\tNode\tTotal\t${plugins.map((pl) => `${pl} (×${fmt(weights[pl])})`).join('\t')}\n`);
    for (const n of ranked) {
      const per = obj(n.plugins);
      const cells = plugins.map((pl) => {
        const v = Array.isArray(per[pl]) ? (per[pl] as unknown[]) : [];
        return v.length ? `${fmt(v[2])} [${fmt(v[0])}]` : '-';
      });
      tw.write(`  ${int(n.rank)}\t${str(n.node)}${str(n.node) === str(selected?.node) ? ' *' : ''}\t${fmt(n.total)}\t${cells.join('\t')}\n`);
    }
    out.push(tw.toString().replace(/\n$/, ''));
  }
  if (filter) {
    out.push('');
    if (typeof filter.preFilter === 'string') {
      out.push(`Filter: PreFilter rejected all ${int(filter.numAllNodes)} nodes: ${filter.preFilter}`);
    } else if (filter.grouped !== undefined) {
      out.push('Filter verdicts (grouped by reason):');
      const tw = new TabWriter();
      tw.write('  Nodes\tVerdict\n');
      for (const [k, v] of Object.entries(obj(filter.grouped)).sort((a, b) => int(b[1]) - int(a[1]))) tw.write(`  ${int(v)}\t${k}\n`);
      out.push(tw.toString().replace(/\n$/, ''));
    } else {
      out.push('Filter verdicts per node:');
      const tw = new TabWriter();
      tw.write('  Node\tVerdict\n');
      const rows = Object.entries(filter).map(([node, v]) => {
        const failed = Object.entries(obj(v)).find(([, r]) => r !== PASSED);
        return [node, failed ? `${failed[0]}: ${str(failed[1])}` : PASSED] as const;
      });
      rows.sort((a, b) => (a[1] === PASSED ? 0 : 1) - (b[1] === PASSED ? 0 : 1) || (a[0] < b[0] ? -1 : 1));
      for (const [node, verdict] of rows) tw.write(`  ${node}\t${verdict}\n`);
      out.push(tw.toString().replace(/\n$/, ''));
    }
  }
  return `${out.join('\n')}\n`;
}
