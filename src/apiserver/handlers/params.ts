/**
 * Query parameters of resource requests, validated as upstream validates them (dryRun, fieldManager,
 * fieldValidation, force, limit, timeoutSeconds, …). Bad values are 400 BadRequest with upstream's wording.
 */
import { StatusError } from '../../api/status';
import { fieldErr } from '../../api/field-errors';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH, requirePatchType } from '../../api/patch';
import type { ResourceInfo } from '../../api/resources';
import type { WriteOptions } from '../registry/core';
import type { PatchType } from '../registry/hooks';

/** The patch type of a PATCH request to `r`, or upstream's 415 (custom resources take no strategic merge patch). */
export function patchKindOf(contentType: string | undefined, r: ResourceInfo): PatchType {
  const mt = requirePatchType(contentType, r);
  return mt === JSON_PATCH ? 'json' : mt === MERGE_PATCH ? 'merge' : mt === APPLY_PATCH ? 'apply' : 'strategic';
}

const USER_AGENT_MANAGER = /^([^/]+)/;

export function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw StatusError.invalid('meta.k8s.io', 'CreateOptions', '', [{ type: 'FieldValueNotSupported', field: 'dryRun', badValue: values, detail: 'supported values: "All"' }]);
  return values.length > 0;
}

export function fieldValidationOf(q: URLSearchParams): WriteOptions['fieldValidation'] {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw StatusError.badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/** The field manager: the parameter, else the user agent's program name as upstream derives it. */
export function fieldManagerOf(q: URLSearchParams, userAgent: string | undefined, required: boolean): string {
  const v = q.get('fieldManager');
  if (v !== null) {
    if (v.length > 128) throw StatusError.badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    if (!/^[\x20-\x7e]*$/.test(v)) throw StatusError.badRequest(`fieldManager: Invalid value: "${v}": must be made of printable characters`);
    if (v !== '') return v;
  }
  if (required) throw StatusError.invalid('meta.k8s.io', 'PatchOptions', '', [fieldErr.required('fieldManager', 'is required for apply patch')]);
  const m = USER_AGENT_MANAGER.exec(userAgent ?? '');
  return (m ? m[1] : 'unknown').slice(0, 128);
}

const MAX_INT64 = (1n << 63n) - 1n;

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw StatusError.badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  // Go reads an int64: a larger number is refused, not rounded.
  const n = BigInt(v);
  if (n > MAX_INT64 || n < -MAX_INT64 - 1n) throw StatusError.badRequest(`${name}: Invalid value: "${v}": strconv.ParseInt: parsing "${v}": value out of range`);
  return Number(v);
}

export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (v === 'true' || v === '1' || v === '') return true;
  if (v === 'false' || v === '0') return false;
  throw StatusError.badRequest(`${name}: Invalid value: "${v}": must be a boolean`);
}
