/**
 * helper.DefaultSelector: the selector the default (cluster-level) spread constraints use for a pod — the union of
 * the selectors of the Services in the pod's namespace that select it (a Service without a selector selects
 * nothing), plus the selector of its controlling ReplicationController, ReplicaSet or StatefulSet. Read from the
 * scheduler's listers; a missing owner or a selector that does not parse is ignored, as upstream.
 */
import type { LabelSelector as V1LabelSelector } from 'kubernetes-types/meta/v1';
import { labelSelectorFromSet, type LabelSelector } from '../../../api/selectors';
import { labelSelectorAsSelector } from '../../../api/selectors/label-selector-object';
import type { Lister } from '../../../client/informers';
import type { Pod } from '../../framework';

export interface OwnerListers {
  services: Lister;
  replicationControllers: Lister;
  replicaSets: Lister;
  statefulSets: Lister;
}

type OwnerRef = { apiVersion?: string; kind?: string; name?: string; controller?: boolean };

export function defaultSelector(pod: Pod, l: OwnerListers): LabelSelector {
  const ns = String(pod.metadata?.namespace ?? '');
  const labels = (pod.metadata?.labels ?? {}) as Record<string, string>;
  const set: Record<string, string> = {};
  for (const svc of l.services.list(ns)) {
    const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (sel == null) continue;
    if (labelSelectorFromSet(sel).matches(labels)) Object.assign(set, sel);
  }
  let selector = labelSelectorFromSet(set);
  const owner = ((pod.metadata?.ownerReferences ?? []) as OwnerRef[]).find((o) => o.controller === true);
  if (!owner) return selector;
  const kind = `${owner.apiVersion ?? ''}/${owner.kind ?? ''}`;
  const name = owner.name ?? '';
  switch (kind) {
    case 'v1/ReplicationController': {
      const rc = l.replicationControllers.get(ns, name);
      if (rc) selector = labelSelectorFromSet({ ...set, ...((rc.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {}) });
      break;
    }
    case 'apps/v1/ReplicaSet':
    case 'apps/v1/StatefulSet': {
      const obj = kind.endsWith('ReplicaSet') ? l.replicaSets.get(ns, name) : l.statefulSets.get(ns, name);
      if (!obj) break;
      try {
        const other = labelSelectorAsSelector((obj.spec as { selector?: V1LabelSelector } | undefined)?.selector);
        if (other.selectable) selector = selector.add(...other.requirements);
      } catch {
        // a selector that does not parse is ignored
      }
      break;
    }
    default:
  }
  return selector;
}
