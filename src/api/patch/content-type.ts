/**
 * The PATCH media types and how the API server chooses among them. Upstream cuts the Content-Type at the first `;`
 * (when it is not the first character) and compares the rest exactly — no trimming, no case folding — against the
 * types the resource accepts; anything else is 415 UnsupportedMediaType listing the accepted types. Built-in resources
 * accept all four (in this order); custom resources have no Go structs to drive strategic merge patch, so they accept
 * only JSON patch, merge patch and apply (`kubectl patch --type=strategic` on a CR gets the 415).
 */
import { StatusError } from '../status';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export type PatchType = typeof JSON_PATCH | typeof MERGE_PATCH | typeof STRATEGIC_MERGE_PATCH | typeof APPLY_PATCH;

/** What built-in resources accept, in upstream's order (the order the 415 message lists them). */
export const PATCH_CONTENT_TYPES: readonly PatchType[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];

/** What resources served from a CustomResourceDefinition accept. */
export const CUSTOM_RESOURCE_PATCH_CONTENT_TYPES: readonly PatchType[] = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];

/** The media type without parameters, cut exactly as the API server cuts it. */
export function patchMediaType(contentType: string | undefined): string {
  const ct = contentType ?? '';
  const idx = ct.indexOf(';');
  return idx > 0 ? ct.slice(0, idx) : ct;
}

/** The patch type a Content-Type header names, or undefined when it names none. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const mt = patchMediaType(contentType);
  return (PATCH_CONTENT_TYPES as readonly string[]).includes(mt) ? (mt as PatchType) : undefined;
}

/** A resource as far as patching cares: custom resources carry the name of their CRD. */
export interface PatchTarget {
  crd?: string;
}

export function acceptedPatchContentTypes(target: PatchTarget): readonly PatchType[] {
  return target.crd ? CUSTOM_RESOURCE_PATCH_CONTENT_TYPES : PATCH_CONTENT_TYPES;
}

/** Whether the resource takes `application/strategic-merge-patch+json` (false for custom resources). */
export function strategicMergePatchAllowed(target: PatchTarget): boolean {
  return !target.crd;
}

/** 415 as upstream's `negotiation.NewUnsupportedMediaTypeError` words it (a Status without details). */
export function unsupportedPatchTypeError(accepted: readonly string[]): StatusError {
  return StatusError.make(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** The patch type of a request to `target`, or the 415 the API server answers with. */
export function requirePatchType(contentType: string | undefined, target: PatchTarget): PatchType {
  const accepted = acceptedPatchContentTypes(target);
  const mt = patchMediaType(contentType);
  if (!(accepted as readonly string[]).includes(mt)) throw unsupportedPatchTypeError(accepted);
  return mt as PatchType;
}
