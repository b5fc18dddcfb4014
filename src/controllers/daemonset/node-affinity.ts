/**
 * Whether a pod's required node constraints admit a node (component-helpers nodeaffinity
 * GetRequiredNodeAffinity(pod).Match(node)): every `spec.nodeSelector` label must equal the node's, and when
 * `requiredDuringSchedulingIgnoredDuringExecution` is set, at least one of its terms must match. A term matches
 * when all its matchExpressions hold on the node's labels (In, NotIn, Exists, DoesNotExist, Gt, Lt) and all its
 * matchFields hold on the node's fields (only `metadata.name` with In/NotIn and one value); an empty term, or a term
 * that does not parse, matches nothing (upstream ignores parse errors here). Pure.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1';
import { newRequirement, type LabelOperator, type LabelRequirement } from '../../api/selectors';

const LABEL_OPS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

/** metav1.ObjectNameField. */
export const OBJECT_NAME_FIELD = 'metadata.name';

type Check = (labels: Record<string, string>, name: string) => boolean;

function labelCheck(exprs: readonly NodeSelectorRequirement[]): Check | undefined {
  const reqs: LabelRequirement[] = [];
  for (const e of exprs) {
    const op = Object.prototype.hasOwnProperty.call(LABEL_OPS, e.operator) ? LABEL_OPS[e.operator] : undefined;
    if (!op) return undefined;
    try {
      reqs.push(newRequirement(e.key, op, e.values && e.values.length ? e.values : null));
    } catch {
      return undefined;
    }
  }
  return (labels) => reqs.every((r) => r.matches(labels));
}

function fieldCheck(exprs: readonly NodeSelectorRequirement[]): Check | undefined {
  const tests: ((name: string) => boolean)[] = [];
  for (const e of exprs) {
    if (e.key !== OBJECT_NAME_FIELD || (e.values ?? []).length !== 1) return undefined;
    const v = e.values![0];
    if (e.operator === 'In') tests.push((n) => n === v);
    else if (e.operator === 'NotIn') tests.push((n) => n !== v);
    else return undefined;
  }
  return (_labels, name) => tests.every((t) => t(name));
}

/** The term's matcher, or undefined when the term is empty or invalid (then it matches nothing). */
export function compileTerm(term: NodeSelectorTerm): Check | undefined {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return undefined;
  const l = exprs.length ? labelCheck(exprs) : () => true;
  const f = fields.length ? fieldCheck(fields) : () => true;
  if (!l || !f) return undefined;
  return (labels, name) => l(labels, name) && f(labels, name);
}

export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const name = node.metadata?.name ?? '';
  return terms.some((t) => compileTerm(t)?.(labels, name) ?? false);
}

export function requiredNodeAffinityMatches(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== v) return false;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node);
}
