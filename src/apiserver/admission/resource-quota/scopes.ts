/**
 * Quota scopes: a ResourceQuota's `spec.scopes` (each an Exists requirement) and `spec.scopeSelector` match
 * expressions, and whether a pod falls under one (podMatchesScopeFunc). A PriorityClass requirement is a label
 * selector over `{PriorityClass: <spec.priorityClassName>}` (no label when the pod names no class).
 */
import { list, str, sub, type Obj } from '../plugin-util';

export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: readonly string[];
}

/** getScopeSelectorsFromQuota. */
export function quotaScopeSelectors(quota: Readonly<Obj>): ScopeRequirement[] {
  const spec = sub(quota, 'spec');
  const out: ScopeRequirement[] = [];
  const scopes = spec?.scopes;
  if (Array.isArray(scopes)) for (const s of scopes) if (typeof s === 'string') out.push({ scopeName: s, operator: 'Exists' });
  for (const e of list(sub(spec, 'scopeSelector'), 'matchExpressions')) {
    const values = Array.isArray(e.values) ? e.values.filter((v): v is string => typeof v === 'string') : undefined;
    out.push({ scopeName: str(e, 'scopeName'), operator: str(e, 'operator'), ...(values ? { values } : {}) });
  }
  return out;
}

export interface PodScopeFns {
  isTerminating(pod: Readonly<Obj>): boolean;
  isBestEffort(pod: Readonly<Obj>): boolean;
}

export function podMatchesScope(req: ScopeRequirement, pod: Readonly<Obj>, fns: PodScopeFns): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return fns.isTerminating(pod);
    case 'NotTerminating':
      return !fns.isTerminating(pod);
    case 'BestEffort':
      return fns.isBestEffort(pod);
    case 'NotBestEffort':
      return !fns.isBestEffort(pod);
    case 'PriorityClass':
      return priorityClassMatches(req, str(sub(pod, 'spec'), 'priorityClassName'));
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespacePodAffinity(pod);
    default:
      return false;
  }
}

function priorityClassMatches(req: ScopeRequirement, className: string): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'Exists':
      return className !== '';
    case 'DoesNotExist':
      return className === '';
    case 'In':
      return className !== '' && values.includes(className);
    case 'NotIn':
      return className === '' || !values.includes(className);
    default:
      return false;
  }
}

function crossNamespace(term: Obj | undefined): boolean {
  if (!term) return false;
  return (Array.isArray(term.namespaces) && term.namespaces.length > 0) || term.namespaceSelector != null;
}

function anyCrossNamespace(affinity: Obj | undefined): boolean {
  if (!affinity) return false;
  if (list(affinity, 'requiredDuringSchedulingIgnoredDuringExecution').some(crossNamespace)) return true;
  return list(affinity, 'preferredDuringSchedulingIgnoredDuringExecution').some((w) => crossNamespace(sub(w, 'podAffinityTerm')));
}

/** usesCrossNamespacePodAffinity: an (anti-)affinity term naming namespaces or a namespace selector. */
export function usesCrossNamespacePodAffinity(pod: Readonly<Obj>): boolean {
  const affinity = sub(sub(pod, 'spec'), 'affinity');
  return anyCrossNamespace(sub(affinity, 'podAffinity')) || anyCrossNamespace(sub(affinity, 'podAntiAffinity'));
}
