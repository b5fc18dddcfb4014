/**
 * Strategic merge patch failures with apimachinery's words (pkg/util/mergepatch/errors.go and strategicpatch), and
 * the Status each becomes in the API server's `interpretStrategicMergePatchError`: the bad-format sentinels are 400,
 * "lists of lists are not supported" is the generic 422, every other error is a 500 without a reason.
 */
import type { StatusError } from '../status';
import { goS, goTypeName, goV } from './go-format';
import { patchBadRequest, patchInternal, patchUnprocessable } from './patch-errors';

export type SmpErrorKind = 'badRequest' | 'unprocessable' | 'internal';

export class SmpError extends Error {
  constructor(
    readonly kind: SmpErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SmpError';
  }

  toStatusError(): StatusError {
    if (this.kind === 'badRequest') return patchBadRequest(this.message);
    if (this.kind === 'unprocessable') return patchUnprocessable(this.message);
    return patchInternal(this.message);
  }
}

export const errBadPatchFormatForPrimitiveList = (): SmpError => new SmpError('badRequest', 'invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): SmpError => new SmpError('badRequest', 'invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): SmpError =>
  new SmpError('badRequest', 'invalid patch format of setElementOrder list');
export const errNoListOfLists = (): SmpError => new SmpError('unprocessable', 'lists of lists are not supported');

export function smpInternal(message: string): SmpError {
  return new SmpError('internal', message);
}

export const MAP_TYPE = 'map[string]interface {}';
export const SLICE_TYPE = '[]interface {}';

/** `mergepatch.ErrBadArgType(expected, actual)`. */
export function errBadArgType(expectedType: string, actual: unknown): SmpError {
  return smpInternal(`expected a ${expectedType}, but received a ${goTypeName(actual)}`);
}

/** `mergepatch.ErrNoMergeKey(m, k)`. */
export function errNoMergeKey(m: unknown, key: string): SmpError {
  return smpInternal(`map: ${goV(m)} does not contain declared merge key: ${key}`);
}

/** `mergepatch.ErrBadPatchType(t, m)`. */
export function errBadPatchType(t: unknown, m: unknown): SmpError {
  return smpInternal(`unknown patch type: ${goS(t)} in map: ${goV(m)}`);
}
