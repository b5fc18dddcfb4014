/**
 * Node selector matching as component-helpers' scheduling/corev1/nodeaffinity judges it, compiled once and then
 * matched allocation-free per node:
 * - `compileNodeSelector(ns)` (LazyErrorNodeSelector): terms ORed; an empty term (no matchExpressions, no
 *   matchFields) is dropped and matches nothing; a term that does not parse matches nothing and its errors are only
 *   reported when no other term matched. `newNodeSelector(ns)` (NewNodeSelector) throws on any parse error.
 * - Within a term, matchExpressions (In, NotIn, Exists, DoesNotExist, Gt, Lt, validated as labels.NewRequirement)
 *   and matchFields (In/NotIn with exactly one value, against the node's fields — only `metadata.name` exists) are
 *   ANDed; matchFields are ignored for a node without a name (as upstream).
 * - `requiredNodeAffinity(pod)` (GetRequiredNodeAffinity): `spec.nodeSelector` labels AND the required terms,
 *   cached per pod object. `newPreferredSchedulingTerms(terms)`: weighted terms (weight 0 or empty terms skipped);
 *   `score(node)` sums the weights of the terms the node matches.
 * Error texts are field errors with upstream's paths (`nodeSelectorTerms[0].matchExpressions[0].operator: …`).
 */
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import { fieldErr, fieldErrorMessage } from '../../../api/field-errors';
import { labelSelectorFromSet, newRequirement, selectorOf, type LabelOperator, type LabelRequirement, type LabelSelector } from '../../../api/selectors';

/** metav1.ObjectNameField. */
export const OBJECT_NAME_FIELD = 'metadata.name';

/** What matching reads from a node. */
export interface NodeLike {
  readonly metadata?: { readonly name?: string; readonly labels?: Readonly<Record<string, string>> };
}

const LABEL_OPS: Readonly<Record<string, LabelOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };
const SELECTOR_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const FIELD_OPS = ['In', 'NotIn'];

interface FieldTest {
  key: string;
  value: string;
  negate: boolean;
}

/** One parsed NodeSelectorTerm. */
export class CompiledTerm {
  constructor(
    private readonly labels: LabelSelector | undefined,
    private readonly fields: readonly FieldTest[] | undefined,
    /** Parse errors (the term then matches nothing). */
    readonly errors: readonly string[],
  ) {}

  matches(labels: Readonly<Record<string, string>> | undefined, name: string): boolean {
    if (this.errors.length > 0) return false;
    if (this.labels && !this.labels.matches(labels)) return false;
    if (this.fields && name !== '') {
      for (const f of this.fields) {
        const v = f.key === OBJECT_NAME_FIELD ? name : '';
        if ((v === f.value) === f.negate) return false;
      }
    }
    return true;
  }
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function labelPart(exprs: readonly NodeSelectorRequirement[], path: string, errors: string[]): LabelSelector | undefined {
  const reqs: LabelRequirement[] = [];
  const before = errors.length;
  exprs.forEach((e, i) => {
    const p = `${path}[${i}]`;
    const op = Object.prototype.hasOwnProperty.call(LABEL_OPS, e.operator) ? LABEL_OPS[e.operator] : undefined;
    if (!op) {
      errors.push(fieldErrorMessage(fieldErr.notSupported(child(p, 'operator'), e.operator, SELECTOR_OPS)));
      return;
    }
    try {
      reqs.push(newRequirement(e.key, op, e.values && e.values.length ? e.values : null, p));
    } catch (err) {
      errors.push((err as Error).message);
    }
  });
  return errors.length > before ? undefined : selectorOf(reqs);
}

function fieldPart(exprs: readonly NodeSelectorRequirement[], path: string, errors: string[]): FieldTest[] {
  const out: FieldTest[] = [];
  exprs.forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (!FIELD_OPS.includes(e.operator)) {
      errors.push(fieldErrorMessage(fieldErr.notSupported(child(p, 'operator'), e.operator, FIELD_OPS)));
    } else if ((e.values ?? []).length !== 1) {
      errors.push(fieldErrorMessage(fieldErr.invalid(child(p, 'values'), e.values ?? null, 'must have one element')));
    } else {
      out.push({ key: e.key, value: e.values![0], negate: e.operator === 'NotIn' });
    }
  });
  return out;
}

export function isEmptyTerm(term: NodeSelectorTerm | undefined): boolean {
  return !term || ((term.matchExpressions ?? []).length === 0 && (term.matchFields ?? []).length === 0);
}

/** newNodeSelectorTerm: `path` is the term's own path (e.g. `nodeSelectorTerms[0]`). */
export function compileTerm(term: NodeSelectorTerm, path = ''): CompiledTerm {
  const errors: string[] = [];
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  const labels = exprs.length ? labelPart(exprs, child(path, 'matchExpressions'), errors) : undefined;
  const f = fields.length ? fieldPart(fields, child(path, 'matchFields'), errors) : undefined;
  return new CompiledTerm(labels, f, errors);
}

function nodeName(node: NodeLike): string {
  return node.metadata?.name ?? '';
}

/** LazyErrorNodeSelector. */
export class CompiledNodeSelector {
  constructor(readonly terms: readonly CompiledTerm[]) {}

  /** Whether any term matches. */
  matches(node: NodeLike | undefined): boolean {
    if (!node) return false;
    const labels = node.metadata?.labels;
    const name = nodeName(node);
    for (const t of this.terms) if (t.matches(labels, name)) return true;
    return false;
  }

  /** Match with upstream's lazy error: the parse errors, aggregated, when no term matched. */
  match(node: NodeLike | undefined): { matched: boolean; error?: string } {
    if (this.matches(node)) return { matched: true };
    const errs = this.terms.flatMap((t) => t.errors);
    return errs.length ? { matched: false, error: aggregate(errs) } : { matched: false };
  }

  parseErrors(): string[] {
    return this.terms.flatMap((t) => t.errors);
  }
}

function aggregate(msgs: readonly string[]): string {
  const u = [...new Set(msgs)];
  return u.length === 1 ? u[0] : `[${u.join(', ')}]`;
}

/** NewLazyErrorNodeSelector. `path` prefixes the field paths in errors. */
export function compileNodeSelector(ns: NodeSelector | undefined, path = ''): CompiledNodeSelector {
  const terms: CompiledTerm[] = [];
  (ns?.nodeSelectorTerms ?? []).forEach((t, i) => {
    if (!isEmptyTerm(t)) terms.push(compileTerm(t, `${child(path, 'nodeSelectorTerms')}[${i}]`));
  });
  return new CompiledNodeSelector(terms);
}

/** NewNodeSelector: throws an Error with the aggregated parse errors. */
export function newNodeSelector(ns: NodeSelector, path = ''): CompiledNodeSelector {
  const s = compileNodeSelector(ns, path);
  const errs = s.parseErrors();
  if (errs.length) throw new Error(aggregate(errs));
  return s;
}

/** Weighted preferred terms (nodeaffinity.PreferredSchedulingTerms). */
export class PreferredTerms {
  constructor(readonly terms: readonly { term: CompiledTerm; weight: number }[]) {}

  /** The sum of the weights of the terms `node` matches. */
  score(node: NodeLike): number {
    const labels = node.metadata?.labels;
    const name = nodeName(node);
    let s = 0;
    for (const t of this.terms) if (t.term.matches(labels, name)) s += t.weight;
    return s;
  }
}

/** NewPreferredSchedulingTerms: throws on parse errors; weight-0 and empty terms are skipped. */
export function newPreferredSchedulingTerms(terms: readonly PreferredSchedulingTerm[], path = ''): PreferredTerms {
  const out: { term: CompiledTerm; weight: number }[] = [];
  const errs: string[] = [];
  terms.forEach((t, i) => {
    if (!t.weight || isEmptyTerm(t.preference)) return;
    const term = compileTerm(t.preference, path ? `${path}[${i}]` : `[${i}]`);
    if (term.errors.length) errs.push(...term.errors);
    else out.push({ term, weight: t.weight });
  });
  if (errs.length) throw new Error(aggregate(errs));
  return new PreferredTerms(out);
}

type PodSpecLike = {
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector; preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[] } };
};

/** RequiredNodeAffinity: the pod's nodeSelector AND its required node affinity terms. */
export class RequiredNodeAffinity {
  constructor(
    readonly labelSelector: LabelSelector | undefined,
    readonly nodeSelector: CompiledNodeSelector | undefined,
  ) {}

  /** Match, ignoring parse errors (they make terms match nothing). */
  matches(node: NodeLike): boolean {
    if (this.labelSelector && !this.labelSelector.matches(node.metadata?.labels)) return false;
    return this.nodeSelector ? this.nodeSelector.matches(node) : true;
  }

  /** Match with the lazy parse error of the required terms (when none matched). */
  match(node: NodeLike): { matched: boolean; error?: string } {
    if (this.labelSelector && !this.labelSelector.matches(node.metadata?.labels)) return { matched: false };
    return this.nodeSelector ? this.nodeSelector.match(node) : { matched: true };
  }
}

const requiredCache = new WeakMap<object, RequiredNodeAffinity>();

function specOf(pod: object): PodSpecLike {
  return ((pod as { spec?: PodSpecLike }).spec ?? {}) as PodSpecLike;
}

/** GetRequiredNodeAffinity, computed once per pod object (pods are immutable). */
export function requiredNodeAffinity(pod: object): RequiredNodeAffinity {
  let r = requiredCache.get(pod);
  if (r) return r;
  const spec = specOf(pod);
  const sel = spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0 ? labelSelectorFromSet(spec.nodeSelector) : undefined;
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  r = new RequiredNodeAffinity(sel, req ? compileNodeSelector(req) : undefined);
  requiredCache.set(pod, r);
  return r;
}

/** The pod's preferred node affinity terms, or undefined when it has none; throws on parse errors. */
export function podPreferredNodeAffinity(pod: object): PreferredTerms | undefined {
  const terms = specOf(pod).affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms ? newPreferredSchedulingTerms(terms) : undefined;
}

/** Whether `node` satisfies the pod's nodeSelector and required node affinity (parse errors ignored). */
export function podMatchesNodeSelectorAndAffinityTerms(pod: object, node: NodeLike): boolean {
  return requiredNodeAffinity(pod).matches(node);
}
