/**
 * "Why this node": the explanation of a pod's last scheduling decision, like kube-scheduler-simulator's results —
 * per node each Filter plugin's verdict ("passed" or the rejecting plugin's reason), each Score plugin's raw,
 * normalized and weighted score, the ranking and the chosen node. Kept compact for the API: at most the top
 * MAX_SCORED nodes' scores, and Filter verdicts grouped by "<plugin>: <reason>" (with counts) when more than
 * GROUP_FILTER_ABOVE nodes were evaluated. `explanationAnnotations` renders it as the three pod annotations the
 * Binding (or the failure's status patch) carries. `DecisionStore` keeps the last one per pod uid, bounded.
 */
import type { NodeInfo, Status } from '../framework';
import type { Diagnosis } from './fit-error';
import type { NodeTotal, ScoreDetail } from './score';

export const FILTER_RESULT_ANNOTATION = 'scheduler.kubelab.dev/filter-result';
export const SCORE_RESULT_ANNOTATION = 'scheduler.kubelab.dev/score-result';
export const SELECTED_NODE_ANNOTATION = 'scheduler.kubelab.dev/selected-node';
export const MAX_SCORED = 3;
export const GROUP_FILTER_ABOVE = 50;
export const PASSED = 'passed';

/** Per node, per Filter plugin that ran: "passed" or the reason it rejected the node. */
export type FilterVerdicts = Record<string, Record<string, string>>;

export interface FilterSummary {
  /** Nodes evaluated, grouped: "passed" or "<plugin>: <reasons>" → number of nodes. */
  grouped: Record<string, number>;
}

export interface ScoredNode {
  node: string;
  rank: number;
  total: number;
  /** Plugin → raw, normalized and weighted (normalized × weight) score. */
  plugins: Record<string, { raw: number; normalized: number; weighted: number }>;
}

export interface Explanation {
  pod: string;
  uid: string;
  /** ISO time of the decision. */
  time: string;
  profile: string;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  filter: FilterVerdicts | FilterSummary;
  /** Set when PreFilter decided for every node. */
  preFilter?: string;
  weights: Record<string, number>;
  scores: ScoredNode[];
  selectedNode?: string;
  /** On failure: the FailedScheduling message. */
  message?: string;
}

export interface ExplainInput {
  pod: string;
  uid: string;
  time: number;
  profile: string;
  numAllNodes: number;
  filterPlugins: readonly string[];
  skippedFilters: ReadonlySet<string>;
  feasible: readonly NodeInfo[];
  diagnosis: Diagnosis;
  totals?: readonly NodeTotal[];
  detail?: ScoreDetail;
  selectedNode?: string;
  message?: string;
}

function verdictsFor(plugins: readonly string[], failed: Status | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of plugins) {
    if (failed && p === failed.plugin) {
      out[p] = failed.message();
      return out;
    }
    out[p] = PASSED;
  }
  if (failed) out[failed.plugin || 'PreFilter'] = failed.message();
  return out;
}

export function explain(i: ExplainInput): Explanation {
  const plugins = i.filterPlugins.filter((p) => !i.skippedFilters.has(p));
  const evaluated = i.feasible.length + i.diagnosis.nodeToStatus.size;
  let filter: FilterVerdicts | FilterSummary;
  if (evaluated > GROUP_FILTER_ABOVE) {
    const grouped: Record<string, number> = {};
    if (i.feasible.length) grouped[PASSED] = i.feasible.length;
    for (const s of i.diagnosis.nodeToStatus.values()) {
      const k = `${s.plugin}: ${s.message()}`;
      grouped[k] = (grouped[k] ?? 0) + 1;
    }
    filter = { grouped };
  } else {
    const v: FilterVerdicts = {};
    for (const n of i.feasible) v[n.name] = verdictsFor(plugins, undefined);
    for (const [n, s] of i.diagnosis.nodeToStatus) v[n] = verdictsFor(plugins, s);
    filter = v;
  }
  const weights: Record<string, number> = {};
  const scores: ScoredNode[] = [];
  if (i.totals && i.totals.length) {
    const d = i.detail;
    d?.plugins.forEach((p, k) => (weights[p] = d.weights[k]));
    const order = topIndexes(i.totals, i.selectedNode);
    for (const idx of order) {
      const t = i.totals[idx];
      const per: ScoredNode['plugins'] = {};
      d?.plugins.forEach((p, k) => (per[p] = { raw: d.raw[k][idx], normalized: d.normalized[k][idx], weighted: d.normalized[k][idx] * d.weights[k] }));
      scores.push({ node: t.name, rank: scores.length + 1, total: t.total, plugins: per });
    }
  }
  const e: Explanation = {
    pod: i.pod,
    uid: i.uid,
    time: new Date(i.time).toISOString(),
    profile: i.profile,
    numAllNodes: i.numAllNodes,
    evaluatedNodes: evaluated,
    feasibleNodes: i.feasible.length,
    filter,
    weights,
    scores,
  };
  if (i.diagnosis.preFilterMsg) e.preFilter = i.diagnosis.preFilterMsg;
  if (i.selectedNode) e.selectedNode = i.selectedNode;
  if (i.message) e.message = i.message;
  return e;
}

/** Indexes of the MAX_SCORED highest totals, best first; among equal totals the chosen node first, then list order. */
function topIndexes(totals: readonly NodeTotal[], chosen: string | undefined): number[] {
  const top: number[] = [];
  // The lowest total in `top` once it is full: a node below it (the usual case) is skipped with one comparison.
  let floor = -Infinity;
  for (let idx = 0; idx < totals.length; idx++) {
    const t = totals[idx];
    if (top.length === MAX_SCORED && (t.total < floor || (t.total === floor && t.name !== chosen))) continue;
    let at = top.length;
    while (at > 0) {
      const o = totals[top[at - 1]];
      if (t.total > o.total || (t.total === o.total && t.name === chosen)) at--;
      else break;
    }
    top.splice(at, 0, idx);
    if (top.length > MAX_SCORED) top.pop();
    if (top.length === MAX_SCORED) floor = totals[top[MAX_SCORED - 1]].total;
  }
  return top;
}

/** What each plugin's array in the score-result annotation holds. */
export const SCORE_COLUMNS = ['raw', 'normalized', 'weighted'] as const;

/**
 * The pod annotations for an explanation (selected-node only when a node was chosen). Compact JSON:
 * filter-result `{node: {plugin: "passed" | reason}}` (or `{grouped: {"passed" | "<plugin>: <reason>": count}}`, or
 * `{preFilter, numAllNodes}`); score-result `{weights, columns: ["raw","normalized","weighted"], nodes: [{node, rank,
 * total, plugins: {plugin: [raw, normalized, weighted]}}]}`; selected-node `{node, numAllNodes, evaluatedNodes,
 * feasibleNodes}`.
 */
export function explanationAnnotations(e: Explanation): Record<string, string> {
  const out: Record<string, string> = {
    [FILTER_RESULT_ANNOTATION]: JSON.stringify(e.preFilter ? { preFilter: e.preFilter, numAllNodes: e.numAllNodes } : e.filter),
    [SCORE_RESULT_ANNOTATION]: JSON.stringify({
      weights: e.weights,
      columns: SCORE_COLUMNS,
      nodes: e.scores.map((s) => ({ node: s.node, rank: s.rank, total: s.total, plugins: Object.fromEntries(Object.entries(s.plugins).map(([p, v]) => [p, [v.raw, v.normalized, v.weighted]])) })),
    }),
  };
  if (e.selectedNode) {
    out[SELECTED_NODE_ANNOTATION] = JSON.stringify({ node: e.selectedNode, numAllNodes: e.numAllNodes, evaluatedNodes: e.evaluatedNodes, feasibleNodes: e.feasibleNodes });
  }
  return out;
}

/** The last decision per pod uid, oldest dropped beyond `max`. */
export class DecisionStore {
  private readonly m = new Map<string, Explanation>();

  /** The annotations carry every decision; memory keeps only the most recent ones (a 5,000-node decision is ~25 KB). */
  constructor(private readonly max = 1_000) {}

  set(e: Explanation): void {
    this.m.delete(e.uid);
    this.m.set(e.uid, e);
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value!);
  }

  get(uid: string): Explanation | undefined {
    return this.m.get(uid);
  }

  delete(uid: string): void {
    this.m.delete(uid);
  }
}
