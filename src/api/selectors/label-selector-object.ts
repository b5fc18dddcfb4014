/**
 * metav1.LabelSelector objects (`{matchLabels, matchExpressions}`): validation as apimachinery's
 * ValidateLabelSelector words it (a FieldError list for a 422), and conversion to a matcher as
 * LabelSelectorAsSelector does it — a nil selector selects nothing, an empty one selects everything.
 */
import type { LabelSelector as V1LabelSelector } from 'kubernetes-types/meta/v1';
import { fieldErr, type FieldError } from '../field-errors';
import { goQuote } from './go-format';
import { newRequirement, SelectorError, type LabelOperator, type LabelRequirement } from './label-requirement';
import { everything, nothing, selectorOf, type LabelSelector } from './label-selector';
import { isQualifiedName, isValidLabelValue } from './label-validation';

export type { V1LabelSelector };

export interface LabelSelectorValidationOptions {
  /** Tolerate invalid values in matchExpressions (only for objects that already hold them). */
  allowInvalidLabelValueInSelector?: boolean;
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** ValidateLabelName: one FieldError per IsQualifiedName message. */
export function validateLabelName(name: string, fldPath: string): FieldError[] {
  return isQualifiedName(name).map((m) => fieldErr.invalid(fldPath, name, m));
}

/** ValidateLabels (metadata.labels, matchLabels): key and value errors are both reported at `fldPath`. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined, fldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels) return errs;
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, fldPath));
    for (const m of isValidLabelValue(v)) errs.push(fieldErr.invalid(fldPath, v, m));
  }
  return errs;
}

/** ValidateLabelSelector; `fldPath` is where the selector sits, e.g. `spec.selector`. */
export function validateLabelSelector(
  ps: V1LabelSelector | null | undefined,
  fldPath: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!ps) return [];
  const errs = validateLabels(ps.matchLabels, child(fldPath, 'matchLabels'));
  (ps.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${child(fldPath, 'matchExpressions')}[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) errs.push(fieldErr.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) errs.push(fieldErr.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErr.invalid(`${p}.operator`, expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key, `${p}.key`));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const m of isValidLabelValue(v)) errs.push(fieldErr.invalid(`${p}.values[${j}]`, v, m));
      });
    }
  });
  return errs;
}

const OPERATORS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * LabelSelectorAsSelector: nil/undefined → Nothing(), no matchLabels and no matchExpressions → Everything(),
 * otherwise the AND of `k=v` for each matchLabel and one requirement per expression. Throws SelectorError with
 * upstream's text (`"Foo" is not a valid label selector operator`, `values: Invalid value: []string(nil): …`).
 */
export function labelSelectorAsSelector(ps: V1LabelSelector | null | undefined): LabelSelector {
  if (ps === null || ps === undefined) return nothing();
  const matchLabels = ps.matchLabels ?? {};
  const exprs = ps.matchExpressions ?? [];
  const keys = Object.keys(matchLabels);
  if (keys.length + exprs.length === 0) return everything();
  const reqs: LabelRequirement[] = keys.map((k) => newRequirement(k, '=', [matchLabels[k]]));
  for (const expr of exprs) {
    const op = Object.prototype.hasOwnProperty.call(OPERATORS, expr.operator) ? OPERATORS[expr.operator] : undefined;
    if (!op) throw new SelectorError(`${goQuote(String(expr.operator))} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values && expr.values.length ? expr.values : null));
  }
  return selectorOf(reqs);
}

/**
 * LabelSelectorAsMap: the equality-only form (ReplicationController selectors); undefined for a nil selector.
 * Throws SelectorError where the selector cannot be expressed as a map, with upstream's text.
 */
export function labelSelectorAsMap(ps: V1LabelSelector | null | undefined): Record<string, string> | undefined {
  if (ps === null || ps === undefined) return undefined;
  const out: Record<string, string> = { ...(ps.matchLabels ?? {}) };
  for (const expr of ps.matchExpressions ?? []) {
    switch (expr.operator) {
      case 'In':
        if ((expr.values ?? []).length !== 1) {
          throw new SelectorError(`operator ${goQuote(expr.operator)} without a single value cannot be converted into the old label selector format`);
        }
        out[expr.key] = expr.values![0];
        break;
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        throw new SelectorError(`operator ${goQuote(expr.operator)} cannot be converted into the old label selector format`);
      default:
        throw new SelectorError(`${goQuote(String(expr.operator))} is not a valid selector operator`);
    }
  }
  return out;
}
