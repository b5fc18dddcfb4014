/**
 * The messages kube-apiserver builds from decode failures (apiserver's transformDecodeError and apimachinery's
 * strictDecodingError), for 400 BadRequest Statuses and field-validation warnings:
 *   `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"`
 *   `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field
 *    DeploymentSpec.spec.replicas of type int32`
 * Upstream prints only the version (gvk.Version), not the group. A type error wins over unknown fields, as the
 * decoder fails before strict checking is reported.
 */
import type { GroupVersionKind } from '../object';
import type { FieldValidationResult } from './field-validator';

/** `unknown field "spec.replicaz"`: one Warn-mode warning (kubectl prints `Warning: unknown field "spec.replicaz"`). */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/** `strict decoding error: unknown field "a", unknown field "b"` */
export function strictDecodingMessage(unknownFields: string[]): string {
  return `strict decoding error: ${unknownFields.map(unknownFieldMessage).join(', ')}`;
}

/** `<Kind> in version "<version>" cannot be handled as a <Kind>: <cause>` */
export function cannotBeHandledMessage(gvk: GroupVersionKind, cause: string): string {
  return `${gvk.kind} in version ${JSON.stringify(gvk.version)} cannot be handled as a ${gvk.kind}: ${cause}`;
}

/**
 * The BadRequest message for a validation result in Strict mode (`strict` false: Warn/Ignore, where unknown fields
 * are not errors), or undefined when the body decodes.
 */
export function decodeErrorMessage(gvk: GroupVersionKind, result: FieldValidationResult, strict = true): string | undefined {
  const first = result.errors[0];
  if (first) return cannotBeHandledMessage(gvk, first.detail ?? '');
  if (strict && result.unknownFields.length) return cannotBeHandledMessage(gvk, strictDecodingMessage(result.unknownFields));
  return undefined;
}
