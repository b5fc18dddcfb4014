/**
 * metav1.LabelSelector: validation (ValidateLabelSelector, strict label values), conversion to a matcher
 * (LabelSelectorAsSelector: nil selects nothing, `{}` selects everything, an invalid requirement is an error), and
 * the map selectors of ReplicationController and Service (labels.Set(...).AsSelector()).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, isZero, obj, objs, optObj, str, strMap, strs } from './access';
import { each, isQualifiedName, isValidLabelValue } from './formats';
import { validateLabelName, validateLabels } from './meta';

export interface Selector {
  /** Selects everything (no requirements). */
  empty: boolean;
  matches(labels: Record<string, string>): boolean;
}

export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  const s = optObj(sel);
  if (!s) return [];
  const errs = validateLabels(s.matchLabels, child(path, 'matchLabels'));
  objs(s.matchExpressions).forEach((e, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = strs(e.values);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) errs.push(fieldErr.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) errs.push(fieldErr.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErr.invalid(child(p, 'operator'), str(e.operator), 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(str(e.key), child(p, 'key')));
    values.forEach((v, j) => errs.push(...each(index(child(p, 'values'), j), v, isValidLabelValue(v))));
  });
  return errs;
}

const NOTHING: Selector = { empty: false, matches: () => false };

/** LabelSelectorAsSelector; undefined when the selector cannot be converted (upstream returns an error). */
export function labelSelectorAsSelector(sel: unknown): Selector | undefined {
  if (sel === undefined || sel === null) return NOTHING;
  const s = obj(sel);
  const reqs: ((l: Record<string, string>) => boolean)[] = [];
  const labels = strMap(s.matchLabels);
  for (const [k, v] of Object.entries(labels)) {
    if (isQualifiedName(k).length || isValidLabelValue(v).length) return undefined;
    reqs.push((l) => l[k] === v);
  }
  for (const e of objs(s.matchExpressions)) {
    const k = str(e.key);
    const values = strs(e.values);
    if (isQualifiedName(k).length || values.some((v) => isValidLabelValue(v).length)) return undefined;
    switch (e.operator) {
      case 'In':
        if (!values.length) return undefined;
        reqs.push((l) => k in l && values.includes(l[k]));
        break;
      case 'NotIn':
        if (!values.length) return undefined;
        reqs.push((l) => !(k in l) || !values.includes(l[k]));
        break;
      case 'Exists':
        if (values.length) return undefined;
        reqs.push((l) => k in l);
        break;
      case 'DoesNotExist':
        if (values.length) return undefined;
        reqs.push((l) => !(k in l));
        break;
      default:
        return undefined;
    }
  }
  return { empty: reqs.length === 0, matches: (l) => reqs.every((r) => r(l)) };
}

/** labels.Set(m).AsSelector() for map selectors (RC, Service). */
export function mapSelector(m: unknown): Selector {
  const want = strMap(m);
  const keys = Object.keys(want);
  return { empty: keys.length === 0, matches: (l) => keys.every((k) => l[k] === want[k]) };
}

export function selectorIsEmptyObject(sel: unknown): boolean {
  const s = obj(sel);
  return isZero(s.matchLabels) && isZero(s.matchExpressions);
}
