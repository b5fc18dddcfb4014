/**
 * Compute-resource checks from core validation: resource names (standard, container, quota), quantity values
 * (non-negative, integer resources), requests ≤ limits, non-overcommitable (extended, hugepages) resources, and
 * the resource-name helpers of pkg/apis/core/helper.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { Quantity, tryParseQuantity } from '../../api/quantity';
import { child, key, obj, objs, sortedEntries, str } from './access';
import { each, isQualifiedName } from './formats';
import { IS_NEGATIVE } from './meta';

const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_QUOTA = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

export const isHugePage = (n: string): boolean => n.startsWith('hugepages-');
export const isNative = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/');
export const isExtended = (n: string): boolean => !isNative(n) && !n.startsWith('requests.') && isQualifiedName(`requests.${n}`).length === 0;
export const isOvercommitAllowed = (n: string): boolean => isNative(n) && !isHugePage(n);
/** IsQuotaHugePageResourceName: both `hugepages-*` and `requests.hugepages-*`. */
const isQuotaHugePage = (n: string): boolean => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-');
export const isStandardResourceName = (n: string): boolean => STANDARD.has(n) || isQuotaHugePage(n);
export const isStandardQuotaResourceName = (n: string): boolean => STANDARD_QUOTA.has(n) || isQuotaHugePage(n);
const isIntegerResource = (n: string): boolean => INTEGER.has(n) || isExtended(n);

/** A quantity field; an unparsable one is reported with the decoder's message (upstream rejects it at decode time). */
export function quantityAt(v: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  const q = tryParseQuantity(v);
  if (q) return q;
  try {
    Quantity.parse(typeof v === 'string' ? v : '');
  } catch (e) {
    errs.push(fieldErr.invalid(path, v ?? null, (e as Error).message));
  }
  return undefined;
}

export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = each(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) return [fieldErr.invalid(path, name, 'must be a standard resource type or fully qualified')];
  return [];
}

export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePage(name)) errs.push(fieldErr.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) errs.push(fieldErr.invalid(path, name, "doesn't follow extended resource name standard"));
  return errs;
}

export function validateQuotaResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) errs.push(fieldErr.invalid(path, name, 'must be a standard resource for quota'));
  return errs;
}

/** ValidateResourceQuantityValue. */
export function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(fieldErr.invalid(path, q.toString(), IS_NEGATIVE));
  if (isIntegerResource(name) && q.milliValue() % 1000n !== 0n) errs.push(fieldErr.invalid(path, q.toString(), 'must be an integer'));
  return errs;
}

function hugePageError(name: string, q: Quantity): string | undefined {
  const size = tryParseQuantity(name.slice('hugepages-'.length));
  if (!size || size.sign() <= 0) return undefined;
  return q.value() % size.value() === 0n ? undefined : `${q.toString()} is not positive integer multiple of ${name}`;
}

/** ValidateContainerResourceRequirements (claims are checked against the pod's resourceClaims names). */
export function validateResourceRequirements(reqIn: unknown, path: string, claimNames?: Set<string>): FieldError[] {
  const req = obj(reqIn);
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = new Map<string, Quantity>();
  let cpuMem = false;
  let huge = false;
  for (const [name, raw] of sortedEntries(req.limits)) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    limits.set(name, q);
    errs.push(...validateQuantityValue(name, q, p));
    if (isHugePage(name)) {
      huge = true;
      const m = hugePageError(name, q);
      if (m) errs.push(fieldErr.invalid(p, q.toString(), m));
    }
    if (name === 'cpu' || name === 'memory') cpuMem = true;
  }
  for (const [name, raw] of sortedEntries(req.requests)) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const lim = limits.get(name);
    if (lim) {
      if (q.cmp(lim) !== 0 && !isOvercommitAllowed(name))
        errs.push(fieldErr.invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      else if (q.cmp(lim) > 0) errs.push(fieldErr.invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    } else if (!isOvercommitAllowed(name) && !(name in obj(req.limits))) {
      errs.push(fieldErr.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePage(name)) {
      huge = true;
      const m = hugePageError(name, q);
      if (m) errs.push(fieldErr.invalid(p, q.toString(), m));
    }
    if (name === 'cpu' || name === 'memory') cpuMem = true;
  }
  if (!cpuMem && huge) errs.push(fieldErr.forbidden(path, 'HugePages require cpu or memory'));
  objs(req.claims).forEach((c, i) => {
    const p = `${child(path, 'claims')}[${i}]`;
    const name = str(c.name);
    if (!name) errs.push(fieldErr.required(p));
    else if (claimNames && !claimNames.has(name)) {
      const e = fieldErr.notFound(p, name);
      e.detail = `must be one of the names in pod.spec.resourceClaims${claimNames.size ? `: ${[...claimNames].sort().join(', ')}` : ' which is empty'}`;
      errs.push(e);
    }
  });
  return errs;
}
