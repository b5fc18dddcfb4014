/**
 * The non-apply patch types of the Kubernetes API server as pure functions over parsed JSON, with upstream's
 * semantics and Status errors: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch, plus
 * the Content-Type handling that picks one (and the 415 for types a resource does not accept). No function mutates
 * its arguments.
 */
export { applyJsonPatch } from './json-patch';
export { applyMergePatch } from './merge-patch';
export { applyStrategicMergePatch } from './strategic-merge-patch';
export {
  APPLY_PATCH,
  CUSTOM_RESOURCE_PATCH_CONTENT_TYPES,
  JSON_PATCH,
  MERGE_PATCH,
  PATCH_CONTENT_TYPES,
  STRATEGIC_MERGE_PATCH,
  acceptedPatchContentTypes,
  patchMediaType,
  patchTypeOf,
  requirePatchType,
  strategicMergePatchAllowed,
  unsupportedPatchTypeError,
  type PatchTarget,
  type PatchType,
} from './content-type';
export { GENERIC_INVALID_MESSAGE, MAX_JSON_PATCH_OPERATIONS } from './patch-errors';
export { jsonEqual } from './json-values';
