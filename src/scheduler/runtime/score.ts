/**
 * Scoring the feasible nodes (upstream prioritizeNodes, frameworkImpl.RunScorePlugins and selectHost): PreScore,
 * then every non-skipped Score plugin on every node, its NormalizeScore, a range check ([0, 100] after
 * normalizing), × the plugin's weight, summed per node. Without Score plugins every node scores 1. `selectHost`
 * picks the highest total, choosing uniformly among ties by reservoir sampling. With `record`, the raw and
 * normalized scores per plugin are kept for the explanation.
 *
 * The per-node objects and arrays of a result (totals, the NodeScore list, the detail's rows) are reused by the next
 * call: read a result before calling again (the scheduling cycle selects the host and records the explanation right
 * away, with no await in between). At 500 scored nodes they were ~80 KB of garbage per pod, the scheduler's largest
 * source of it.
 */
import { MAX_NODE_SCORE, MIN_NODE_SCORE, Status, type CycleState, type NodeInfo, type NodeScore, type Pod } from '../framework';
import type { Framework } from './framework';

export interface NodeTotal {
  name: string;
  total: number;
}

/** Per scored plugin (in profile order): its weight and, per node index, the raw and normalized scores. */
export interface ScoreDetail {
  plugins: string[];
  weights: number[];
  raw: number[][];
  normalized: number[][];
}

export interface PrioritizeResult {
  totals: NodeTotal[];
  detail?: ScoreDetail;
  error?: Status;
}

export function prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], record: boolean): PrioritizeResult {
  if (fwk.scorePlugins.length === 0) return { totals: nodes.map((n) => ({ name: n.name, total: 1 })) };
  const pre = fwk.runPreScorePlugins(state, pod, nodes);
  if (!pre.isSuccess()) return { totals: [], error: pre };
  const n = nodes.length;
  const totals = scratch.totals(nodes);
  // One NodeScore list for every plugin in turn (each writes its scores over the last one's, then normalizes in place).
  const scores = scratch.scores(nodes);
  const detail: ScoreDetail | undefined = record ? { plugins: [], weights: [], raw: [], normalized: [] } : undefined;
  for (const pl of fwk.scorePlugins) {
    if (state.skipScorePlugins.has(pl.name)) continue;
    let failed: Status | undefined;
    try {
      for (let i = 0; i < n; i++) {
        const r = pl.score(state, pod, nodes[i]);
        if (typeof r !== 'number') {
          if (r.isSuccess()) failed = Status.error(`plugin "${pl.name}" returned a success Status instead of a score`);
          else failed = r;
          break;
        }
        scores[i].score = r;
      }
    } catch (e) {
      failed = Status.error(e instanceof Error ? e : String(e));
    }
    if (failed) return { totals: [], error: Status.error(`plugin "${pl.name}" failed with: ${failed.message()}`).withPlugin(pl.name) };
    const raw = detail ? scratch.row(2 * detail.plugins.length, scores) : undefined;
    if (pl.normalizeScore) {
      let s: Status;
      try {
        s = pl.normalizeScore(state, pod, scores);
      } catch (e) {
        s = Status.error(e instanceof Error ? e : String(e));
      }
      if (!s.isSuccess()) return { totals: [], error: Status.error(`plugin "${pl.name}" failed with: ${s.message()}`).withPlugin(pl.name) };
    }
    const weight = fwk.scoreWeights.get(pl.name) ?? 1;
    const [max, min] = [MAX_NODE_SCORE, MIN_NODE_SCORE];
    for (let i = 0; i < n; i++) {
      const sc = scores[i].score;
      if (sc > max || sc < min) {
        return { totals: [], error: Status.error(`plugin "${pl.name}" returns an invalid score ${sc}, it should in the range of [${min}, ${max}] after normalizing`) };
      }
      totals[i].total += sc * weight;
    }
    if (detail) {
      detail.plugins.push(pl.name);
      detail.weights.push(weight);
      detail.raw.push(raw!);
      detail.normalized.push(scratch.row(2 * detail.plugins.length - 1, scores));
    }
  }
  return { totals, detail };
}

/** The reused per-node objects and arrays of prioritizeNodes (see the header). */
class Scratch {
  private readonly totalObjs: NodeTotal[] = [];
  private readonly scoreObjs: NodeScore[] = [];
  private readonly totalList: NodeTotal[] = [];
  private readonly scoreList: NodeScore[] = [];
  private readonly rows: number[][] = [];

  totals(nodes: readonly NodeInfo[]): NodeTotal[] {
    const list = this.totalList;
    list.length = nodes.length;
    for (let i = 0; i < nodes.length; i++) {
      const t = this.totalObjs[i] ?? (this.totalObjs[i] = { name: '', total: 0 });
      t.name = nodes[i].name;
      t.total = 0;
      list[i] = t;
    }
    return list;
  }

  scores(nodes: readonly NodeInfo[]): NodeScore[] {
    const list = this.scoreList;
    list.length = nodes.length;
    for (let i = 0; i < nodes.length; i++) {
      // A NormalizeScore may have replaced an element: take the pooled object back.
      const s = this.scoreObjs[i] ?? (this.scoreObjs[i] = { name: '', score: 0 });
      s.name = nodes[i].name;
      s.score = 0;
      list[i] = s;
    }
    return list;
  }

  /** Row `k` of the detail: a copy of the current scores. */
  row(k: number, scores: readonly NodeScore[]): number[] {
    const r = this.rows[k] ?? (this.rows[k] = []);
    r.length = scores.length;
    for (let i = 0; i < scores.length; i++) r[i] = scores[i].score;
    return r;
  }
}

const scratch = new Scratch();

/** The node with the highest total; ties broken uniformly at random (reservoir sampling). */
export function selectHost(totals: readonly NodeTotal[], rand: (n: number) => number = (n) => Math.floor(Math.random() * n)): string {
  if (totals.length === 0) throw new Error('empty priorityList');
  let best = totals[0];
  let count = 1;
  for (let i = 1; i < totals.length; i++) {
    const t = totals[i];
    if (t.total > best.total) {
      best = t;
      count = 1;
    } else if (t.total === best.total) {
      count++;
      if (rand(count) === 0) best = t;
    }
  }
  return best.name;
}
