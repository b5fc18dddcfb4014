/**
 * LimitRange and ResourceQuota (create, update, status): resource names per limit type, the min ≤ default request ≤
 * default ≤ max orderings and ratios, quota resource names and values, and quota scopes.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import type { Quantity } from '../../api/quantity';
import { child, index, key, obj, objs, sortedEntries, str, strs, type Obj } from './access';
import { each, isQualifiedName, nameIsDNSSubdomain } from './formats';
import { goStringSlice } from './go-repr';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { isOvercommitAllowed, quantityAt, validateContainerResourceName, validateQuantityValue, validateQuotaResourceName, validateResourceName } from './resources';

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];

function limitResourceName(type: string, name: string, path: string): FieldError[] {
  return type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, path) : validateResourceName(name, path);
}

function limitItem(item: Obj, path: string, seen: Set<string>): FieldError[] {
  const type = str(item.type);
  const errs = each(child(path, 'type'), type, isQualifiedName(type));
  if (!errs.length && !type.includes('/') && !LIMIT_TYPES.includes(type)) errs.push(fieldErr.invalid(child(path, 'type'), type, 'must be a standard limit type or fully qualified'));
  if (seen.has(type)) errs.push(fieldErr.duplicate(child(path, 'type'), type));
  seen.add(type);
  const q: Record<string, Map<string, Quantity>> = {};
  const read = (field: string): void => {
    q[field] = new Map();
    for (const [name, raw] of sortedEntries(item[field])) {
      errs.push(...limitResourceName(type, name, key(child(path, field), name)));
      const v = quantityAt(raw, key(child(path, field), name), errs);
      if (v) q[field].set(name, v);
    }
  };
  read('max');
  read('min');
  if (type === 'Pod') {
    q.default = new Map();
    q.defaultRequest = new Map();
    if (Object.keys(obj(item.default)).length) errs.push(fieldErr.forbidden(child(path, 'default'), "may not be specified when `type` is 'Pod'"));
    if (Object.keys(obj(item.defaultRequest)).length) errs.push(fieldErr.forbidden(child(path, 'defaultRequest'), "may not be specified when `type` is 'Pod'"));
  } else {
    read('default');
    read('defaultRequest');
  }
  if (type === 'PersistentVolumeClaim' && !q.min.has('storage') && !q.max.has('storage'))
    errs.push(fieldErr.required(child(path, 'limits'), 'either minimum or maximum storage value is required, but neither was provided'));
  read('maxLimitRequestRatio');
  const keys = [...new Set(Object.values(q).flatMap((m) => [...m.keys()]))].sort();
  for (const k of keys) {
    const [min, max, def, req, ratio] = ['min', 'max', 'default', 'defaultRequest', 'maxLimitRequestRatio'].map((f) => q[f].get(k));
    const at = (f: string): string => key(child(path, f), k);
    if (min && max && min.cmp(max) > 0) errs.push(fieldErr.invalid(at('min'), min.toString(), `min value ${min} is greater than max value ${max}`));
    if (req && min && min.cmp(req) > 0) errs.push(fieldErr.invalid(at('defaultRequest'), req.toString(), `min value ${min} is greater than default request value ${req}`));
    if (req && max && req.cmp(max) > 0) errs.push(fieldErr.invalid(at('defaultRequest'), req.toString(), `default request value ${req} is greater than max value ${max}`));
    if (req && def && req.cmp(def) > 0) errs.push(fieldErr.invalid(at('defaultRequest'), req.toString(), `default request value ${req} is greater than default limit value ${def}`));
    if (def && min && min.cmp(def) > 0) errs.push(fieldErr.invalid(at('default'), min.toString(), `min value ${min} is greater than default value ${def}`));
    if (def && max && def.cmp(max) > 0) errs.push(fieldErr.invalid(at('default'), max.toString(), `default value ${def} is greater than max value ${max}`));
    if (ratio && ratio.toNumber() < 1) errs.push(fieldErr.invalid(at('maxLimitRequestRatio'), ratio.toString(), `ratio ${ratio} is less than 1`));
    if (ratio && min && max) {
      const limit = max.toNumber() / min.toNumber();
      if (ratio.toNumber() > limit) errs.push(fieldErr.invalid(at('maxLimitRequestRatio'), ratio.toString(), `ratio ${ratio} is greater than max/min = ${limit.toFixed(6)}`));
    }
    if (!isOvercommitAllowed(k) && def && req && def.cmp(req) !== 0)
      errs.push(fieldErr.invalid(at('defaultRequest'), req.toString(), `default value ${def} must equal to defaultRequest value ${req} in ${k}`));
  }
  return errs;
}

export function validateLimitRange(lr: Obj): FieldError[] {
  const errs = validateObjectMeta(lr.metadata, true, nameIsDNSSubdomain);
  const seen = new Set<string>();
  objs(obj(lr.spec).limits).forEach((item, i) => errs.push(...limitItem(item, index('spec.limits', i), seen)));
  return errs;
}

export function validateLimitRangeUpdate(lr: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(lr.metadata, old.metadata), ...validateLimitRange(lr)];
}

function resourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of sortedEntries(list)) {
    const p = key(path, name);
    errs.push(...validateQuotaResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (q) errs.push(...validateQuantityValue(name, q, p));
  }
  return errs;
}

function quotaSpec(specIn: unknown): FieldError[] {
  const spec = obj(specIn);
  const errs = resourceList(spec.hard, 'spec.hard');
  const scopes = strs(spec.scopes);
  const shown = goStringSlice(spec.scopes, '[]core.ResourceQuotaScope');
  for (const s of scopes) if (!SCOPES.includes(s)) errs.push(fieldErr.invalid('spec.scopes', shown, 'unsupported scope'));
  const conflict = (a: string, b: string): boolean => scopes.includes(a) && scopes.includes(b);
  if (conflict('BestEffort', 'NotBestEffort')) errs.push(fieldErr.invalid('spec.scopes', shown, 'conflicting scopes'));
  if (conflict('Terminating', 'NotTerminating')) errs.push(fieldErr.invalid('spec.scopes', shown, 'conflicting scopes'));
  objs(obj(spec.scopeSelector).matchExpressions).forEach((e) => {
    const p = 'spec.scopeSelector.matchExpressions';
    if (!SCOPES.includes(str(e.scopeName))) errs.push(fieldErr.invalid(`${p}.scopeName`, str(e.scopeName), 'unsupported scope'));
    const op = str(e.operator);
    if (op === 'In' || op === 'NotIn') {
      if (!strs(e.values).length) errs.push(fieldErr.required(`${p}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (strs(e.values).length)
        errs.push(fieldErr.invalid(`${p}.values`, goStringSlice(e.values), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    } else errs.push(fieldErr.invalid(`${p}.operator`, op, 'not a valid selector operator'));
  });
  return errs;
}

export function validateResourceQuota(rq: Obj): FieldError[] {
  const status = obj(rq.status);
  return [
    ...validateObjectMeta(rq.metadata, true, nameIsDNSSubdomain),
    ...quotaSpec(rq.spec),
    ...resourceList(status.hard, 'status.hard'),
    ...resourceList(status.used, 'status.used'),
  ];
}

export function validateResourceQuotaUpdate(rq: Obj, old: Obj): FieldError[] {
  const errs = [...validateObjectMetaUpdate(rq.metadata, old.metadata), ...quotaSpec(rq.spec)];
  const n = new Set(strs(obj(rq.spec).scopes));
  const o = new Set(strs(obj(old.spec).scopes));
  if (n.size !== o.size || [...n].some((s) => !o.has(s)))
    errs.push(fieldErr.invalid('spec.scopes', goStringSlice(obj(rq.spec).scopes, '[]core.ResourceQuotaScope'), 'field is immutable'));
  return errs;
}

export function validateResourceQuotaStatusUpdate(rq: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(rq.metadata, old.metadata);
  if (!str(obj(rq.metadata).resourceVersion)) errs.push(fieldErr.required('resourceVersion'));
  const status = obj(rq.status);
  return [...errs, ...resourceList(status.hard, 'status.hard'), ...resourceList(status.used, 'status.used')];
}
