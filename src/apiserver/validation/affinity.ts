/**
 * Scheduling-related PodSpec parts: node selectors and node affinity, pod (anti-)affinity terms, tolerations and
 * topology spread constraints, with core validation's messages and paths.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, objs, optNum, optObj, str, strs, type Obj } from './access';
import { each, isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from './formats';
import { validateLabelName } from './meta';
import { validateLabelSelector } from './selector';
import { validateAffinityLabelKeys, validateSpreadMatchLabelKeys } from './label-keys';
import { goPointer, goQuote, goStruct } from './go-repr';

function nodeSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = strs(rq.values);
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (!values.length) errs.push(fieldErr.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length) errs.push(fieldErr.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(fieldErr.required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(fieldErr.invalid(child(path, 'operator'), str(rq.operator), 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(str(rq.key), child(path, 'key')));
  values.forEach((v, i) => errs.push(...each(index(child(path, 'values'), i), v, isValidLabelValue(v))));
  return errs;
}

function nodeFieldRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (strs(rq.values).length !== 1)
      errs.push(fieldErr.required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else errs.push(fieldErr.invalid(child(path, 'operator'), str(rq.operator), 'not a valid selector operator'));
  if (rq.key !== 'metadata.name') errs.push(fieldErr.invalid(child(path, 'key'), str(rq.key), 'not a valid field selector key'));
  else strs(rq.values).forEach((v, i) => errs.push(...each(index(child(path, 'values'), i), v, nameIsDNSSubdomain(v, false))));
  return errs;
}

function nodeSelectorTerm(term: Obj, path: string): FieldError[] {
  return [
    ...objs(term.matchExpressions).flatMap((r, j) => nodeSelectorRequirement(r, index(child(path, 'matchExpressions'), j))),
    ...objs(term.matchFields).flatMap((r, j) => nodeFieldRequirement(r, index(child(path, 'matchFields'), j))),
  ];
}

export function validateNodeSelector(sel: unknown, path: string): FieldError[] {
  const terms = objs(optObj(sel)?.nodeSelectorTerms);
  const termsPath = child(path, 'nodeSelectorTerms');
  if (!terms.length) return [fieldErr.required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => nodeSelectorTerm(t, index(termsPath, i)));
}

function weight(v: unknown, path: string): FieldError[] {
  const w = optNum(v) ?? 0;
  return w <= 0 || w > 100 ? [fieldErr.invalid(path, w, 'must be in the range 1-100')] : [];
}

function podAffinityTerm(term: Obj, path: string): FieldError[] {
  const errs = [...validateLabelSelector(term.labelSelector, child(path, 'labelSelector')), ...validateLabelSelector(term.namespaceSelector, child(path, 'namespaceSelector'))];
  for (const ns of strs(term.namespaces)) errs.push(...each(child(path, 'namespace'), ns, nameIsDNSLabel(ns, false)));
  errs.push(...validateAffinityLabelKeys(term, path));
  const topologyKey = str(term.topologyKey);
  if (!topologyKey) errs.push(fieldErr.required(child(path, 'topologyKey'), 'can not be empty'));
  return [...errs, ...validateLabelName(topologyKey, child(path, 'topologyKey'))];
}

function podAffinity(a: Obj, path: string): FieldError[] {
  const required = objs(a.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) =>
    podAffinityTerm(t, index(child(path, 'requiredDuringSchedulingIgnoredDuringExecution'), i)),
  );
  const preferred = objs(a.preferredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => {
    const p = index(child(path, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
    return [...weight(t.weight, child(p, 'weight')), ...podAffinityTerm(optObj(t.podAffinityTerm) ?? {}, child(p, 'podAffinityTerm'))];
  });
  return [...required, ...preferred];
}

export function validateAffinity(aff: unknown, path: string): FieldError[] {
  const a = optObj(aff);
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = optObj(a.nodeAffinity);
  if (na) {
    const p = child(path, 'nodeAffinity');
    if (optObj(na.requiredDuringSchedulingIgnoredDuringExecution))
      errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, child(p, 'requiredDuringSchedulingIgnoredDuringExecution')));
    objs(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = index(child(p, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      errs.push(...weight(t.weight, child(tp, 'weight')), ...nodeSelectorTerm(optObj(t.preference) ?? {}, child(tp, 'preference')));
    });
  }
  if (optObj(a.podAffinity)) errs.push(...podAffinity(optObj(a.podAffinity)!, child(path, 'podAffinity')));
  if (optObj(a.podAntiAffinity)) errs.push(...podAffinity(optObj(a.podAntiAffinity)!, child(path, 'podAntiAffinity')));
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaintEffect(effect: string, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && !effect) return [fieldErr.required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [fieldErr.notSupported(path, effect, TAINT_EFFECTS)];
}

/** The core.Toleration upstream prints (%#v) as the bad value of an Exists toleration with a value. */
function goToleration(t: Obj): unknown {
  const seconds = goPointer('int64', t.tolerationSeconds !== undefined && t.tolerationSeconds !== null);
  return goStruct('core.Toleration', [
    ['Key', goQuote(str(t.key))],
    ['Operator', goQuote(str(t.operator))],
    ['Value', goQuote(str(t.value))],
    ['Effect', goQuote(str(t.effect))],
    ['TolerationSeconds', seconds],
  ]);
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(tolerations).forEach((t, i) => {
    const p = index(path, i);
    const k = str(t.key);
    const op = str(t.operator);
    const effect = str(t.effect);
    if (k) errs.push(...validateLabelName(k, child(p, 'key')));
    if (!k && op !== 'Exists')
      errs.push(fieldErr.invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute')
      errs.push(fieldErr.invalid(child(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(fieldErr.invalid(child(p, 'operator'), str(t.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (str(t.value)) errs.push(fieldErr.invalid(child(p, 'operator'), goToleration(t), "value must be empty when `operator` is 'Exists'"));
    } else errs.push(fieldErr.notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    if (effect) errs.push(...validateTaintEffect(effect, true, child(p, 'effect')));
  });
  return errs;
}

export function validateTopologySpreadConstraints(constraints: unknown, path: string): FieldError[] {
  const list = objs(constraints);
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const p = index(path, i);
    const skew = optNum(c.maxSkew) ?? 0;
    if (skew <= 0) errs.push(fieldErr.invalid(child(p, 'maxSkew'), skew, 'must be greater than zero'));
    if (!str(c.topologyKey)) errs.push(fieldErr.required(child(p, 'topologyKey'), 'can not be empty'));
    const when = str(c.whenUnsatisfiable);
    if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') errs.push(fieldErr.notSupported(child(p, 'whenUnsatisfiable'), when, ['DoNotSchedule', 'ScheduleAnyway']));
    if (list.slice(i + 1).some((o) => str(o.topologyKey) === str(c.topologyKey) && str(o.whenUnsatisfiable) === when))
      errs.push(fieldErr.duplicate(child(p, '{topologyKey, whenUnsatisfiable}'), `{${str(c.topologyKey)}, ${when}}`));
    const minDomains = optNum(c.minDomains);
    if (minDomains !== undefined) {
      if (minDomains <= 0) errs.push(fieldErr.invalid(child(p, 'minDomains'), minDomains, 'must be greater than zero'));
      if (when !== 'DoNotSchedule')
        errs.push(fieldErr.invalid(child(p, 'minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'])
      if (typeof c[f] === 'string' && c[f] !== 'Ignore' && c[f] !== 'Honor') errs.push(fieldErr.notSupported(child(p, f), c[f], ['Honor', 'Ignore']));
    errs.push(...validateSpreadMatchLabelKeys(c.matchLabelKeys, c.labelSelector, child(p, 'matchLabelKeys')));
    errs.push(...validateLabelSelector(c.labelSelector, child(p, 'labelSelector')));
  });
  return errs;
}
