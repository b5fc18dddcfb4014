/**
 * What PodTopologySpread's filtering and scoring share (upstream podtopologyspread/common.go): the parsed spread
 * constraint (selector built once, matchLabelKeys merged in, minDomains / nodeAffinityPolicy / nodeTaintsPolicy
 * defaulted to 1 / Honor / Ignore), the node-inclusion policies, the topology-key checks, and counting the pods of a
 * node that a constraint selects (same namespace, not terminating) — memoized per NodeInfo generation so a node that
 * did not change is not re-counted in the next cycle.
 */
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { labelSelectorFromSet, type LabelSelector } from '../../../api/selectors';
import { labelSelectorAsSelector } from '../../../api/selectors/label-selector-object';
import { findUntoleratedTaint, type Taint, type Toleration } from '../../../api/tolerations';
import type { Node, NodeInfo, Pod } from '../../framework';
import type { RequiredNodeAffinity } from '../helpers/node-affinity';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export type InclusionPolicy = 'Honor' | 'Ignore' | string;
export type UnsatisfiableAction = 'DoNotSchedule' | 'ScheduleAnyway';

/** Upstream topologySpreadConstraint: a v1.TopologySpreadConstraint with its selector parsed. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  nodeAffinityPolicy: InclusionPolicy;
  nodeTaintsPolicy: InclusionPolicy;
}

/** systemDefaultConstraints: hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

export function podLabels(pod: Pod): Readonly<Record<string, string>> {
  return (pod.metadata?.labels ?? {}) as Record<string, string>;
}

export function nodeLabels(node: Node | undefined): Readonly<Record<string, string>> {
  return (node?.metadata?.labels ?? {}) as Record<string, string>;
}

/** filterTopologySpreadConstraints: the constraints with `action`, parsed. Throws SelectorError on a bad selector. */
export function filterTopologySpreadConstraints(
  constraints: readonly TopologySpreadConstraint[],
  labels: Readonly<Record<string, string>>,
  action: UnsatisfiableAction,
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorAsSelector(c.labelSelector);
    if (c.matchLabelKeys && c.matchLabelKeys.length > 0) {
      const match: Record<string, string> = {};
      let any = false;
      for (const k of c.matchLabelKeys) {
        if (Object.prototype.hasOwnProperty.call(labels, k)) {
          match[k] = labels[k];
          any = true;
        }
      }
      // mergeLabelSetWithSelector: a nil selector (Nothing) contributes no requirements.
      if (any) selector = selector.selectable ? labelSelectorFromSet(match).add(...selector.requirements) : labelSelectorFromSet(match);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** Whether ALL topology keys of the constraints are node labels. */
export function nodeLabelsMatchSpreadConstraints(labels: Readonly<Record<string, string>>, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (!Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return false;
  return true;
}

/** Whether some constraint's selector matches the labels. */
export function podLabelsMatchSpreadConstraints(constraints: readonly SpreadConstraint[], labels: Readonly<Record<string, string>>): boolean {
  return constraints.some((c) => c.selector.matches(labels));
}

const doNotScheduleTaint = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** matchNodeInclusionPolicies: nodeAffinityPolicy Honor needs the pod's required node affinity to match; nodeTaintsPolicy
 * Honor needs every NoSchedule/NoExecute taint tolerated. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, requiredAffinity: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !requiredAffinity.matches(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const taints = (node.spec as { taints?: Taint[] } | undefined)?.taints;
    const tolerations = (pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations;
    if (taints && taints.length > 0 && findUntoleratedTaint(taints, tolerations, doNotScheduleTaint)) return false;
  }
  return true;
}

/** What a node's eligibility and count for constraint `c` depend on besides the node: the topology keys it must
 * carry (all constraints' unless `requireAll` is false), the count key, and the pod's node affinity / tolerations
 * when the policies honor them. The key of the incremental NodeSum. */
export function eligibilitySignature(prefix: string, pod: Pod, constraints: readonly SpreadConstraint[], c: SpreadConstraint, key: string, requireAll = true): string {
  const spec = (pod.spec ?? {}) as { nodeSelector?: unknown; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } }; tolerations?: unknown };
  return JSON.stringify([
    prefix,
    requireAll ? constraints.map((x) => x.topologyKey) : null,
    c.topologyKey,
    key,
    c.nodeAffinityPolicy === 'Honor' ? [spec.nodeSelector ?? null, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null] : null,
    c.nodeTaintsPolicy === 'Honor' ? (spec.tolerations ?? null) : null,
  ]);
}

/** The memo key of counting `selector` in namespace `ns` (build it once per cycle, not per node). */
export function countKey(selector: LabelSelector, ns: string): string {
  return `${ns}\u0000${selector.selectable ? selector.toString() : '\u0000nothing'}`;
}

interface Count {
  generation: number;
  n: number;
}
/** countKey → per NodeInfo (weakly) the count at a generation. A few keys live at a time (one per selector in use). */
const memo = new Map<string, WeakMap<NodeInfo, Count>>();
const MAX_MEMO_KEYS = 64;

function memoFor(key: string): WeakMap<NodeInfo, Count> {
  let m = memo.get(key);
  if (m === undefined) {
    if (memo.size >= MAX_MEMO_KEYS) memo.delete(memo.keys().next().value as string);
    memo.set(key, (m = new WeakMap()));
  }
  return m;
}

/** countPodsMatchSelector over a node's pods: same namespace, no deletionTimestamp, labels selected. Memoized per
 * NodeInfo generation under `key` (= countKey(selector, ns)). */
export function countPodsMatchSelector(ni: NodeInfo, selector: LabelSelector, ns: string, key = countKey(selector, ns)): number {
  const m = memoFor(key);
  const hit = m.get(ni);
  if (hit !== undefined && hit.generation === ni.generation) return hit.n;
  let n = 0;
  const pods = ni.pods;
  for (let i = 0; i < pods.length; i++) {
    const md = pods[i].pod.metadata;
    if (md?.deletionTimestamp || md?.namespace !== ns) continue;
    if (selector.matches(md.labels as Record<string, string> | undefined)) n++;
  }
  m.set(ni, { generation: ni.generation, n });
  return n;
}
