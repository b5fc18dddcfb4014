/**
 * apiserver's admission.NewForbidden: a 403 naming the request's resource and the object — its name, else its
 * generateName, else "Unknown" (DELETE has no object, so upstream prints "Unknown" there too).
 */
import { StatusError } from '../../api/status';
import type { AdmissionAttributes } from './types';

export function admissionForbidden(attrs: Pick<AdmissionAttributes, 'resource' | 'object'>, message: string): StatusError {
  const m = attrs.object?.metadata;
  const name = m?.name || m?.generateName || 'Unknown';
  return StatusError.forbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, name, message);
}
