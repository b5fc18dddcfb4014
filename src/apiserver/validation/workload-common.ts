/**
 * Pieces shared by the workload validators (apps, batch, ReplicationController): int-or-percent values, the
 * selector/template-labels match, and the strict selector checks of apps/v1 controllers.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, obj, strMap } from './access';
import { each, isValidPercent } from './formats';
import { goIntOrString, goLabelSelector, goStringMap } from './go-repr';
import { validateImmutable, validateNonnegative } from './meta';
import { labelSelectorAsSelector, selectorIsEmptyObject, validateLabelSelector, type Selector } from './selector';

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return each(path, goIntOrString(v), isValidPercent(v));
  if (typeof v === 'number') return validateNonnegative(v, path);
  return [];
}

function percent(v: unknown): number | undefined {
  return typeof v === 'string' && !isValidPercent(v).length ? Number(v.slice(0, -1)) : undefined;
}

/** getIntOrPercentValue (a malformed string counts as 0, as upstream's IntValue does). */
export function intOrPercentValue(v: unknown): number {
  const p = percent(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : 0;
}

export function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const p = percent(v);
  return p !== undefined && p > 100 ? [fieldErr.invalid(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** The template-labels check: an Invalid at `<template>.metadata.labels` showing the labels as a Go map. */
export function templateLabelsMatch(selector: Selector | undefined, template: unknown, templatePath: string): FieldError[] {
  const labels = obj(obj(template).metadata).labels;
  if (!selector || selector.empty || selector.matches(strMap(labels))) return [];
  return [fieldErr.invalid(child(templatePath, 'metadata', 'labels'), goStringMap(labels), SELECTOR_MISMATCH)];
}

/**
 * apps/v1 selector handling for Deployment and ReplicaSet: required, strictly valid, not empty; returns the matcher
 * (undefined when it cannot be built, after reporting "invalid label selector").
 */
export function appsSelector(sel: unknown, path: string, kindWord: string, errs: FieldError[], conversionDetail = 'invalid label selector'): Selector | undefined {
  if (sel === undefined || sel === null) errs.push(fieldErr.required(path));
  else {
    errs.push(...validateLabelSelector(sel, path));
    if (selectorIsEmptyObject(sel)) errs.push(fieldErr.invalid(path, goLabelSelector(sel), `empty selector is invalid for ${kindWord}`));
  }
  const s = labelSelectorAsSelector(sel);
  if (!s) errs.push(fieldErr.invalid(path, goLabelSelector(sel), conversionDetail));
  return s;
}

/** The apps/v1 strategies' rule: spec.selector may not change on update. */
export function selectorImmutable(spec: unknown, oldSpec: unknown): FieldError[] {
  const n = obj(spec).selector;
  return validateImmutable(n, obj(oldSpec).selector, 'spec.selector', goLabelSelector(n));
}
