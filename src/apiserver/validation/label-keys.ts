/**
 * The `matchLabelKeys` / `mismatchLabelKeys` lists of pod (anti-)affinity terms and of topology spread constraints
 * (core validation's validateMatchLabelKeysAndMismatchLabelKeys and validateMatchLabelKeys): each key is a valid
 * label name, the lists need a labelSelector, a key may not also appear in the selector, and the two lists of an
 * affinity term are disjoint. Paths and messages are upstream's, quirks included (the "exists in both
 * matchLabelKeys and labelSelector" error of an affinity term is reported at `<term>[i]`).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, obj, objs, optObj, str, strs } from './access';
import { validateLabelName } from './meta';

function labelKeys(path: string, keys: string[], selector: unknown): FieldError[] {
  if (!keys.length) return [];
  if (!optObj(selector)) return [fieldErr.forbidden(path, 'must not be specified when labelSelector is not set')];
  return keys.flatMap((k, i) => validateLabelName(k, index(path, i)));
}

/** validateMatchLabelKeysAndMismatchLabelKeys for one PodAffinityTerm at `path`. */
export function validateAffinityLabelKeys(termIn: unknown, path: string): FieldError[] {
  const term = obj(termIn);
  const match = strs(term.matchLabelKeys);
  const mismatch = strs(term.mismatchLabelKeys);
  const selector = optObj(term.labelSelector);
  const errs = [...labelKeys(child(path, 'matchLabelKeys'), match, selector), ...labelKeys(child(path, 'mismatchLabelKeys'), mismatch, selector)];
  if (selector) {
    const positions = new Map<string, number>();
    match.forEach((k, i) => positions.set(k, i));
    const seen = new Set(Object.keys(obj(selector.matchLabels)));
    for (const e of objs(selector.matchExpressions)) {
      const k = str(e.key);
      const i = positions.get(k);
      if (i !== undefined && seen.has(k)) errs.push(fieldErr.invalid(index(path, i), k, 'exists in both matchLabelKeys and labelSelector'));
      seen.add(k);
    }
  }
  const mismatchSet = new Set(mismatch);
  match.forEach((k, i) => {
    if (mismatchSet.has(k)) errs.push(fieldErr.invalid(index(child(path, 'matchLabelKeys'), i), k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  return errs;
}

/**
 * validateMatchLabelKeys of a TopologySpreadConstraint; `path` is `<constraint>.matchLabelKeys`. Unlike affinity
 * terms, a missing selector does not stop the per-key checks.
 */
export function validateSpreadMatchLabelKeys(keysIn: unknown, selectorIn: unknown, path: string): FieldError[] {
  const keys = strs(keysIn);
  if (!keys.length) return [];
  const selector = obj(selectorIn);
  const selectorKeys = new Set([...Object.keys(obj(selector.matchLabels)), ...objs(selector.matchExpressions).map((e) => str(e.key))]);
  const errs: FieldError[] = optObj(selectorIn) ? [] : [fieldErr.forbidden(path, 'must not be specified when labelSelector is not set')];
  keys.forEach((k, i) => {
    errs.push(...validateLabelName(k, index(path, i)));
    if (selectorKeys.has(k)) errs.push(fieldErr.invalid(index(path, i), k, 'exists in both matchLabelKeys and labelSelector'));
  });
  return errs;
}
