/**
 * LimitRanger (plugin/pkg/admission/limitranger): one object that is both a mutating and a validating plugin.
 *
 * - Handles pods on CREATE (pod updates are skipped: containers are immutable) and PersistentVolumeClaims on CREATE
 *   and UPDATE; never subresources; nothing whose stored object is being deleted.
 * - admit (pods): for every LimitRange in the namespace, each container and init container gets the `Container`
 *   items' `default` as limits and `defaultRequest` as requests where it has none, and the pod is annotated
 *   `kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for container web; …`. (Copying a
 *   limit into a missing request is API defaulting, done before admission; LimitRange defaulting already filled
 *   `defaultRequest` from `default`/`min`.)
 * - validate: `Container` min/max/maxLimitRequestRatio per container and init container, `Pod` ones over the pod's
 *   aggregate requests/limits, `PersistentVolumeClaim` min/max over the claim's storage request. The first
 *   LimitRange with violations rejects with 403 `pods "x" is forbidden: <aggregate>`, the aggregate being one
 *   message or `[m1, m2]` (duplicates dropped), each worded as upstream.
 */
import { Quantity } from '../../api/quantity';
import { parseFrozenResourceList, parseResourceList, type ResourceList } from '../../api/quantity-math';
import { admissionForbidden, ensure, isResource, list, str, sub, type Obj } from './plugin-util';
import { containerResourceList, podLimits, podRequests } from './pod-resources';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, ValidatingPlugin } from './types';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';
/** resource.MaxMilliValue: values above it are compared in whole units. */
const MAX_MILLI = 9223372036854775n;

export type LimitRangerPlugin = MutatingPlugin & ValidatingPlugin;

export function createLimitRangerPlugin(): LimitRangerPlugin {
  return {
    name: 'LimitRanger',
    handles(attrs: AdmissionAttributes): boolean {
      if (attrs.oldObject?.metadata?.deletionTimestamp) return false;
      if (isResource(attrs, '', 'pods')) return attrs.operation === 'CREATE';
      return isResource(attrs, '', 'persistentvolumeclaims') && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE');
    },
    admit(attrs: AdmissionAttributes, ctx: AdmissionContext): void {
      if (!attrs.object || attrs.resource.resource !== 'pods') return;
      for (const lr of limitRanges(attrs, ctx)) applyDefaults(lr, attrs.object);
    },
    validate(attrs: AdmissionAttributes, ctx: AdmissionContext): void {
      const obj = attrs.object;
      if (!obj) return;
      for (const lr of limitRanges(attrs, ctx)) {
        const errs = attrs.resource.resource === 'pods' ? validatePod(lr, obj) : validateClaim(lr, obj);
        if (errs.length) throw admissionForbidden(attrs, aggregate(errs));
      }
    },
  };
}

function limitRanges(attrs: AdmissionAttributes, ctx: AdmissionContext): readonly Obj[] {
  return ctx.reader.list('', 'limitranges', attrs.namespace);
}

function items(lr: Obj, type: string): Obj[] {
  return list(sub(lr, 'spec'), 'limits').filter((i) => str(i, 'type') === type);
}

/** utilerrors.NewAggregate(errs).Error(). */
function aggregate(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** PodMutateLimitFunc: defaults from one LimitRange; the annotation lists what this LimitRange set. */
function applyDefaults(lr: Obj, pod: Obj): void {
  const limits: ResourceList = new Map();
  const requests: ResourceList = new Map();
  for (const item of items(lr, 'Container')) {
    for (const [k, q] of parseFrozenResourceList(item.defaultRequest)) requests.set(k, q);
    for (const [k, q] of parseFrozenResourceList(item.default)) limits.set(k, q);
  }
  const notes: string[] = [];
  const spec = sub(pod, 'spec');
  for (const [key, label] of [['containers', 'container'], ['initContainers', 'init container']] as const) {
    for (const c of list(spec, key)) {
      const setLimits = fill(c, 'limits', limits);
      const setRequests = fill(c, 'requests', requests);
      const name = str(c, 'name');
      if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${label} ${name}`);
      if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${label} ${name}`);
    }
  }
  if (notes.length) ensure(ensure(pod, 'metadata'), 'annotations')[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

/** Sets the defaults a container lacks; returns the names it set. */
function fill(c: Obj, kind: 'limits' | 'requests', defaults: ResourceList): string[] {
  const have = sub(sub(c, 'resources'), kind);
  const missing = [...defaults].filter(([k]) => !have || !(k in have));
  if (!missing.length) return [];
  const target = ensure(ensure(c, 'resources'), kind);
  for (const [k, q] of missing) target[k] = q.toString();
  return missing.map(([k]) => k);
}

/** requestLimitEnforcedValues: milli-units when all three fit, whole units otherwise (missing values are 0). */
function enforcedValues(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const whole = [req?.value() ?? 0n, lim?.value() ?? 0n, enforced.value()] as [bigint, bigint, bigint];
  if (whole.every((v) => v <= MAX_MILLI)) return [req?.milliValue() ?? 0n, lim?.milliValue() ?? 0n, enforced.milliValue()];
  return whole;
}

type Check = (type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList) => string | undefined;

const minConstraint: Check = (type, name, enforced, requests, limits) => {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`;
  return undefined;
};

const maxConstraint: Check = (type, name, enforced, requests, limits) => {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${enforced}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
};

/** maxRequestConstraint: max over requests only (claims have no limits). */
const maxRequestConstraint: Check = (type, name, enforced, requests) => {
  const req = requests.get(name);
  const [r, , e] = enforcedValues(req, undefined, enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
};

const ratioConstraint: Check = (type, name, enforced, requests, limits) => {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l] = enforcedValues(req, lim, enforced);
  if (!req || r === 0n) return `${name} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${name} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  const display = Number(l) / Number(r);
  let observed = display;
  let max = Number(enforced.value());
  if (enforced.value() <= MAX_MILLI) {
    observed *= 1000;
    max = Number(enforced.milliValue());
  }
  if (observed > max) return `${name} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${display.toFixed(6)}`;
  return undefined;
};

function check(item: Obj, type: string, requests: ResourceList, limits: ResourceList, errs: string[], max: Check = maxConstraint): void {
  const run = (field: string, fn: Check): void => {
    for (const [k, q] of parseFrozenResourceList(item[field])) {
      const err = fn(type, k, q, requests, limits);
      if (err) errs.push(err);
    }
  };
  run('min', minConstraint);
  run('max', max);
  if (max !== maxRequestConstraint) run('maxLimitRequestRatio', ratioConstraint);
}

/** PodValidateLimitFunc. */
function validatePod(lr: Obj, pod: Obj): string[] {
  const errs: string[] = [];
  const spec = sub(pod, 'spec');
  for (const item of list(sub(lr, 'spec'), 'limits')) {
    const type = str(item, 'type');
    if (type === 'Container')
      for (const c of [...list(spec, 'containers'), ...list(spec, 'initContainers')])
        check(item, type, containerResourceList(c, 'requests'), containerResourceList(c, 'limits'), errs);
    if (type === 'Pod') check(item, type, podRequests(pod), podLimits(pod), errs);
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc: storage requests only; limits are not user input for claims. */
function validateClaim(lr: Obj, pvc: Obj): string[] {
  const errs: string[] = [];
  const requests = parseResourceList(sub(sub(pvc, 'spec'), 'resources')?.requests);
  for (const item of items(lr, 'PersistentVolumeClaim')) check(item, 'PersistentVolumeClaim', requests, new Map(), errs, maxRequestConstraint);
  return errs;
}
