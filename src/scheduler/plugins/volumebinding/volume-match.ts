/**
 * Matching claims to volumes on the scheduler's path (component-helpers storage/volume FindMatchingVolume with a
 * node, CheckNodeAffinity, GetBindVolumeToClaim; v1helper MatchTopologySelectorTerms): a volume matches a claim on a
 * node when it is not excluded, not bound to another claim, big enough, of the claim's volumeMode, not being
 * deleted and its node affinity admits the node's labels; a volume pre-bound to the claim wins at once (or, when its
 * affinity rejects the node, nothing matches); otherwise the smallest Available volume of the claim's class whose
 * labels match the claim's selector and that offers every access mode the claim asks for. Pure.
 */
import type { NodeSelectorTerm, TopologySelectorTerm } from 'kubernetes-types/core/v1';
import { labelSelectorAsSelector } from '../../../api/selectors/label-selector-object';
import { tryParseQuantity, type Quantity } from '../../../api/quantity';
import { nodeSelectorTermsMatch } from '../../../controllers/daemonset/node-affinity';
import { claimClassName, volumeClassName, type PersistentVolume, type PersistentVolumeClaim } from './volume-types';

const ZERO = tryParseQuantity('0')!;
type Labels = Readonly<Record<string, string>>;

export function requestedStorage(c: PersistentVolumeClaim): Quantity {
  return tryParseQuantity(c.spec?.resources?.requests?.storage) ?? ZERO;
}

export function volumeStorage(v: PersistentVolume): Quantity {
  return tryParseQuantity(v.spec?.capacity?.storage) ?? ZERO;
}

/** IsVolumeBoundToClaim. */
export function isVolumeBoundToClaim(v: PersistentVolume, c: PersistentVolumeClaim): boolean {
  const ref = v.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== c.metadata?.name || ref.namespace !== c.metadata?.namespace) return false;
  return !ref.uid || ref.uid === c.metadata?.uid;
}

/** CheckNodeAffinity: undefined when the volume may be used on a node with these labels, else the error text. */
export function checkNodeAffinity(v: PersistentVolume, nodeLabels: Labels): string | undefined {
  const required = v.spec?.nodeAffinity?.required;
  if (!required) return undefined;
  const terms: NodeSelectorTerm[] = required.nodeSelectorTerms ?? [];
  const node = { metadata: { labels: { ...nodeLabels } } };
  return nodeSelectorTermsMatch(terms, node) ? undefined : 'no matching NodeSelectorTerms';
}

/** MatchTopologySelectorTerms: no terms admit every node; an empty term admits none. */
export function matchTopologySelectorTerms(terms: readonly TopologySelectorTerm[] | undefined, labels: Labels): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => {
    const exprs = t.matchLabelExpressions ?? [];
    if (exprs.length === 0) return false;
    return exprs.every((e) => Object.prototype.hasOwnProperty.call(labels, e.key) && (e.values ?? []).includes(labels[e.key]));
  });
}

/** FindMatchingVolume for the scheduler (node given, delayBinding). Throws for an invalid claim selector. */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  nodeLabels: Labels,
  excluded: ReadonlySet<string>,
): PersistentVolume | undefined {
  const requested = requestedStorage(claim);
  const cls = claimClassName(claim);
  const selector = claim.spec?.selector ? labelSelectorAsSelector(claim.spec.selector as never) : undefined;
  const wanted = claim.spec?.accessModes ?? [];
  let best: PersistentVolume | undefined;
  let bestQty: Quantity | undefined;
  for (const v of volumes) {
    if (excluded.has(v.metadata?.name ?? '')) continue;
    if (v.spec?.claimRef && !isVolumeBoundToClaim(v, claim)) continue;
    const qty = volumeStorage(v);
    if (qty.cmp(requested) < 0) continue;
    if ((claim.spec?.volumeMode ?? 'Filesystem') !== (v.spec?.volumeMode ?? 'Filesystem')) continue;
    if (v.metadata?.deletionTimestamp) continue;
    const affinityOk = checkNodeAffinity(v, nodeLabels) === undefined;
    if (isVolumeBoundToClaim(v, claim)) return affinityOk ? v : undefined;
    if (v.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(v.metadata?.labels)) continue;
    if (volumeClassName(v) !== cls) continue;
    if (!affinityOk) continue;
    const offered = new Set(v.spec?.accessModes ?? []);
    if (!wanted.every((m) => offered.has(m))) continue;
    if (!best || bestQty!.cmp(qty) > 0) {
      best = v;
      bestQty = qty;
    }
  }
  return best;
}

/** GetBindVolumeToClaim: a copy of the volume with claimRef set to the claim (and bound-by-controller); dirty if changed. */
export function bindVolumeToClaim(v: PersistentVolume, c: PersistentVolumeClaim): { pv: PersistentVolume; dirty: boolean } {
  const setByController = !isVolumeBoundToClaim(v, c);
  const pv = structuredClone(v) as PersistentVolume;
  let dirty = false;
  const ref = v.spec?.claimRef;
  if (!ref || ref.name !== c.metadata?.name || ref.namespace !== c.metadata?.namespace || ref.uid !== c.metadata?.uid) {
    pv.spec = {
      ...pv.spec,
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: c.metadata?.namespace,
        name: c.metadata?.name,
        uid: c.metadata?.uid,
        apiVersion: 'v1',
        resourceVersion: c.metadata?.resourceVersion,
      },
    };
    dirty = true;
  }
  const ann = pv.metadata?.annotations ?? {};
  if (setByController && !Object.prototype.hasOwnProperty.call(ann, 'pv.kubernetes.io/bound-by-controller')) {
    pv.metadata = { ...pv.metadata, annotations: { ...ann, 'pv.kubernetes.io/bound-by-controller': 'yes' } };
    dirty = true;
  }
  return { pv, dirty };
}
