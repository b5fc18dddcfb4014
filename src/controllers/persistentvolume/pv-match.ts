/**
 * Matching claims to volumes, as upstream's component-helpers/storage/volume (FindMatchingVolume,
 * CheckAccessModes, CheckVolumeModeMismatches, IsVolumeBoundToClaim, the class getters) and the PV controller's
 * index.go (findBestMatchForClaim: volumes grouped by their set of access modes, the groups that contain every
 * requested mode tried from the fewest modes up; in a group the pre-bound volume wins, else the smallest Available
 * volume of the claim's class whose labels match the claim's selector and whose capacity covers the request).
 * Pure functions over plain objects; ties between equally small volumes go to the smaller name (upstream: cache order).
 */
import { labelSelectorAsSelector } from '../../api/selectors';
import { tryParseQuantity, type Quantity } from '../../api/quantity';
import { ANN_BETA_STORAGE_CLASS, type PersistentVolume, type PersistentVolumeClaim } from './types';

/** v1helper access mode order (GetAccessModesAsString). */
const MODE_ORDER = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(c: PersistentVolumeClaim): string {
  const ann = c.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return c.spec?.storageClassName ?? '';
}

/** PersistentVolumeClaimHasClass: the claim asked for a class (even ""). */
export function claimHasClass(c: PersistentVolumeClaim): boolean {
  return c.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined || typeof c.spec?.storageClassName === 'string';
}

/** GetPersistentVolumeClass. */
export function volumeClass(v: PersistentVolume): string {
  const ann = v.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return v.spec?.storageClassName ?? '';
}

const ZERO = tryParseQuantity('0')!;

/** The claim's storage request (zero when absent). */
export function requestedStorage(c: PersistentVolumeClaim): Quantity {
  return tryParseQuantity(c.spec?.resources?.requests?.storage) ?? ZERO;
}

/** The volume's storage capacity (zero when absent). */
export function volumeStorage(v: PersistentVolume): Quantity {
  return tryParseQuantity(v.spec?.capacity?.storage) ?? ZERO;
}

/** IsVolumeBoundToClaim: pre-bound or bound to this claim (name, namespace, and uid when the ref has one). */
export function isVolumeBoundToClaim(v: PersistentVolume, c: PersistentVolumeClaim): boolean {
  const ref = v.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== c.metadata?.name || ref.namespace !== c.metadata?.namespace) return false;
  return !ref.uid || ref.uid === c.metadata?.uid;
}

/** CheckVolumeModeMismatches (an absent mode is Filesystem). */
export function volumeModeMismatch(c: PersistentVolumeClaim, v: PersistentVolume): boolean {
  return (c.spec?.volumeMode ?? 'Filesystem') !== (v.spec?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function checkAccessModes(c: PersistentVolumeClaim, v: PersistentVolume): boolean {
  const offered = new Set(v.spec?.accessModes ?? []);
  return (c.spec?.accessModes ?? []).every((m) => offered.has(m));
}

/** GetAccessModesAsString: the canonical index key of a set of modes. */
export function accessModesKey(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  const known = MODE_ORDER.filter((m) => set.has(m));
  const unknown = [...set].filter((m) => !MODE_ORDER.includes(m)).sort();
  return [...known, ...unknown].join(',');
}

/**
 * FindMatchingVolume (controller path: no node, no exclusions). With `delayBinding`, only a volume pre-bound to
 * the claim is returned (unbound volumes are left to the scheduler). Throws for an invalid selector.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const requested = requestedStorage(claim);
  const cls = claimClass(claim);
  const selector = claim.spec?.selector ? labelSelectorAsSelector(claim.spec.selector) : undefined;
  let best: PersistentVolume | undefined;
  let bestQty: Quantity | undefined;
  for (const v of volumes) {
    if (v.spec?.claimRef && !isVolumeBoundToClaim(v, claim)) continue;
    const qty = volumeStorage(v);
    if (qty.cmp(requested) < 0) continue;
    if (volumeModeMismatch(claim, v)) continue;
    if (v.metadata?.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(v, claim)) return v;
    if (delayBinding) continue;
    if (v.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(v.metadata?.labels)) continue;
    if (volumeClass(v) !== cls) continue;
    const c = bestQty === undefined ? 1 : bestQty.cmp(qty);
    if (c > 0 || (c === 0 && best && (v.metadata?.name ?? '') < (best.metadata?.name ?? ''))) {
      best = v;
      bestQty = qty;
    }
  }
  return best;
}

/** findBestMatchForClaim: tries the access-mode groups that can satisfy the claim, fewest modes first. */
export function findBestMatchForClaim(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const groups = new Map<string, PersistentVolume[]>();
  for (const v of volumes) {
    const k = accessModesKey(v.spec?.accessModes);
    const g = groups.get(k);
    if (g) g.push(v);
    else groups.set(k, [v]);
  }
  const wanted = claim.spec?.accessModes ?? [];
  const candidates = [...groups.keys()]
    .map((k) => ({ k, modes: k ? k.split(',') : [] }))
    .filter((g) => wanted.every((m) => g.modes.includes(m)))
    .sort((a, b) => a.modes.length - b.modes.length || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (const g of candidates) {
    const v = findMatchingVolume(claim, groups.get(g.k)!, delayBinding);
    if (v) return v;
  }
  return undefined;
}

/** checkVolumeSatisfyClaim: why the volume a claim names cannot serve it, or undefined when it can. */
export function checkVolumeSatisfyClaim(v: PersistentVolume, c: PersistentVolumeClaim): string | undefined {
  if (v.metadata?.deletionTimestamp) return `the volume is marked for deletion "${v.metadata?.name ?? ''}"`;
  if (volumeStorage(v).value() < requestedStorage(c).value()) return 'requested PV is too small';
  if (volumeClass(v) !== claimClass(c)) return 'storageClassName does not match';
  if (volumeModeMismatch(c, v)) return 'incompatible volumeMode';
  if (!checkAccessModes(c, v)) return 'incompatible accessMode';
  return undefined;
}
