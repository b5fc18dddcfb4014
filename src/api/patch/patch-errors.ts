/**
 * The Status errors the API server's PATCH handler answers with, worded as upstream builds them
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * - 400 BadRequest with the library's message (undecodable JSON patch, bad SMP directive formats, bad merge patch);
 * - 422 Invalid "the server rejected our request due to an error in our request", details `{}` — upstream builds it
 *   with `NewGenericServerResponse(422, …, isUnexpectedResponse=false)`, which drops the library's message (a failed
 *   JSON-patch `test`, a missing path, lists of lists in SMP). The dropped message is kept here as `cause`, never sent;
 * - 500 without a reason for plain Go errors that reach `ErrorToAPIStatus` (most SMP failures, e.g.
 *   `unable to find api field in struct PodSpec for the json field "foo"`);
 * - 413 for JSON patches with more than 10,000 operations.
 */
import { StatusError } from '../status';

export const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

export function patchBadRequest(message: string): StatusError {
  return StatusError.badRequest(message);
}

/** 422 as `NewGenericServerResponse` words it; `detail` (the library's own message) is attached as `cause` only. */
export function patchUnprocessable(detail: string): StatusError {
  const err = StatusError.make(422, 'Invalid', GENERIC_INVALID_MESSAGE, {});
  err.cause = new Error(detail);
  return err;
}

/** 500 with no reason: what `ErrorToAPIStatus` makes of an error that is not a Status. */
export function patchInternal(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

export const MAX_JSON_PATCH_OPERATIONS = 10000;

export function tooManyJsonPatchOperations(count: number): StatusError {
  return StatusError.make(
    413,
    'RequestEntityTooLarge',
    `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${count}`,
  );
}
