/**
 * Label maps and label selectors rendered as upstream renders them in tables: `labels.FormatLabels` (sorted `k=v`
 * pairs, "<none>" when empty), `metav1.FormatLabelSelector` ("<none>" for a nil or empty selector, "<error>" for an
 * invalid one) and the raw `LabelSelectorAsSelector(...).String()` the Deployment printer uses.
 *
 * Requirements are sorted by key (stable), set values are sorted, operators render as `k=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`. Key and value syntax is not re-validated: objects reaching a table passed validation.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { isPlainObject } from '../../api/object';

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

interface Requirement {
  key: string;
  text: string;
}

function sortedValues(values: unknown): string[] | undefined {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) return undefined;
  return values.map(String).sort();
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(). Returns undefined when the selector is invalid (unknown operator,
 * `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values). A nil selector selects nothing and an empty one
 * everything; both print as "".
 */
export function labelSelectorString(sel: LabelSelector | null | undefined): string | undefined {
  if (sel === null || sel === undefined || !isPlainObject(sel)) return '';
  const reqs: Requirement[] = [];
  if (isPlainObject(sel.matchLabels)) {
    for (const [key, value] of Object.entries(sel.matchLabels)) reqs.push({ key, text: `${key}=${String(value)}` });
  }
  for (const expr of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    const key = String(expr?.key ?? '');
    const values = sortedValues(expr?.values);
    if (values === undefined) return undefined;
    switch (expr?.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key, text: `${key} ${expr.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})` });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return undefined;
        reqs.push({ key, text: expr.operator === 'Exists' ? key : `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when it selects everything or nothing, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}
