/**
 * PodDisruptionBudgets as preemption reads them (upstream filterPodsWithPDBViolation): each PDB's selector is
 * parsed once per preemption attempt; a pod whose eviction would push a matching PDB's `disruptionsAllowed` below
 * zero is "violating". A PDB in another namespace, with an empty/nil/invalid selector, or listing the pod in
 * `status.disruptedPods` (eviction already processed) does not count. The split keeps the input order.
 */
import type { LabelSelector } from '../../../api/selectors/label-selector';
import { labelSelectorAsSelector } from '../../../api/selectors/label-selector-object';
import type { CachedObject } from '../../../client/informers';
import type { PodInfo } from '../../framework';

export interface ParsedPDB {
  namespace: string;
  selector: LabelSelector | undefined;
  disruptionsAllowed: number;
  disruptedPods: ReadonlySet<string>;
}

export function parsePDBs(pdbs: readonly CachedObject[]): ParsedPDB[] {
  return pdbs.map((pdb) => {
    const spec = (pdb.spec ?? {}) as { selector?: unknown };
    const status = (pdb.status ?? {}) as { disruptionsAllowed?: number; disruptedPods?: Record<string, unknown> };
    let selector: LabelSelector | undefined;
    try {
      selector = spec.selector == null ? undefined : labelSelectorAsSelector(spec.selector as never);
    } catch {
      selector = undefined; // an invalid selector matches no pod
    }
    return {
      namespace: String(pdb.metadata?.namespace ?? ''),
      selector,
      disruptionsAllowed: status.disruptionsAllowed ?? 0,
      disruptedPods: new Set(Object.keys(status.disruptedPods ?? {})),
    };
  });
}

export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly ParsedPDB[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const info of pods) {
    const meta = info.pod.metadata ?? {};
    const labels = meta.labels ?? {};
    let violated = false;
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== meta.namespace) return;
        if (!pdb.selector || pdb.selector.empty() || !pdb.selector.matches(labels)) return;
        if (pdb.disruptedPods.has(String(meta.name ?? ''))) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(info);
  }
  return { violating, nonViolating };
}
