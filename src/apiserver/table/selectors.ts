/**
 * Label maps and label selectors rendered as upstream renders them in tables: `labels.FormatLabels` (sorted `k=v`
 * pairs, "<none>" when empty), `metav1.FormatLabelSelector` ("<none>" for a nil or empty selector, "<error>" for an
 * invalid one) and the raw `LabelSelectorAsSelector(...).String()` the Deployment printer uses.
 *
 * Selectors render through src/api/selectors (requirements sorted by key, values sorted, upstream's operators).
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { isPlainObject } from '../../api/object';
import { labelSelectorAsSelector } from '../../api/selectors';

/** labels.Set.String(): sorted by key, `k=v` joined by ",". Empty string for an empty or missing map. */
export function labelsString(labels: unknown): string {
  if (!isPlainObject(labels)) return '';
  const keys = Object.keys(labels).sort();
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out += (i === 0 ? '' : ',') + k + '=' + String(labels[k]);
  }
  return out;
}

/** labels.FormatLabels: like labelsString, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  return labelsString(labels) || '<none>';
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(), through the shared selector code. Returns undefined when the selector
 * is invalid. A nil selector selects nothing and an empty one everything; both print as "".
 */
export function labelSelectorString(sel: LabelSelector | null | undefined): string | undefined {
  if (sel === null || sel === undefined || !isPlainObject(sel)) return '';
  try {
    return labelSelectorAsSelector(sel as never).toString();
  } catch {
    return undefined;
  }
}

/** metav1.FormatLabelSelector: "<none>" when it selects everything or nothing, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}
