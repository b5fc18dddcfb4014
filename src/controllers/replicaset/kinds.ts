/**
 * The two kinds the ReplicaSet controller manages (upstream runs the same code for ReplicationControllers through
 * an adapter): where they live, their identity, and how their selector and template are read. A ReplicaSet's
 * selector is a metav1.LabelSelector; a ReplicationController's is a plain label map (a missing one means the
 * template's labels, defaulted by the API server).
 */
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import { labelSelectorFromSet, nothing, type LabelSelector } from '../../api/selectors/label-selector';
import type { CachedObject, ResourceRef } from '../../client/informers';
import { R } from '../framework/resources';

export interface ReplicaKind {
  resource: ResourceRef;
  apiVersion: string;
  kind: string;
  /** ServiceAccount and event source component. */
  serviceAccount: string;
  selectorOf(o: CachedObject): LabelSelector;
}

const selectors = new WeakMap<object, LabelSelector>();
/** Selectors by owner uid and selector spec: each status write makes a new owner object, the selector stays. */
const byUidAndSpec = new Map<string, LabelSelector>();

function cached(o: CachedObject, spec: unknown, parse: () => LabelSelector): LabelSelector {
  let s = selectors.get(o);
  if (s) return s;
  const key = `${String(o.metadata?.uid ?? '')}\0${JSON.stringify(spec) ?? ''}`;
  s = byUidAndSpec.get(key);
  if (!s) {
    try {
      s = parse();
    } catch {
      s = nothing();
    }
    if (byUidAndSpec.size >= 1024) byUidAndSpec.delete(byUidAndSpec.keys().next().value!);
    byUidAndSpec.set(key, s);
  }
  selectors.set(o, s);
  return s;
}

export const REPLICA_SET: ReplicaKind = {
  resource: R.replicasets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  serviceAccount: 'replicaset-controller',
  selectorOf: (o) => {
    const spec = (o.spec as { selector?: never } | undefined)?.selector;
    return cached(o, spec, () => labelSelectorAsSelector(spec));
  },
};

export const REPLICATION_CONTROLLER: ReplicaKind = {
  resource: R.replicationcontrollers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  serviceAccount: 'replication-controller',
  selectorOf: (o) => {
    const sel = (o.spec as { selector?: Record<string, string> } | undefined)?.selector;
    return cached(o, sel, () => {
      // An empty map selects nothing here (upstream: labels.SelectorFromSet of an empty set selects everything, but
      // validation never lets one through: the API server defaults it to the template labels).
      return sel && Object.keys(sel).length > 0 ? labelSelectorFromSet(sel) : nothing();
    });
  },
};

export interface ReplicaSpec {
  replicas: number;
  minReadySeconds: number;
  template: { metadata?: { labels?: Record<string, string> } } | undefined;
}

export function replicaSpec(o: CachedObject): ReplicaSpec {
  const s = (o.spec ?? {}) as { replicas?: number; minReadySeconds?: number; template?: ReplicaSpec['template'] };
  return { replicas: s.replicas ?? 1, minReadySeconds: s.minReadySeconds ?? 0, template: s.template };
}
