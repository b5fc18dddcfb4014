/**
 * The 403 kube-apiserver writes when no authorizer allows a request (filters.WithAuthorization →
 * responsewriters.Forbidden → apierrors.NewForbidden), word for word:
 *   resource request:     pods "web-0" is forbidden: User "dev-user" cannot delete resource "pods" in API group ""
 *                         in the namespace "default"
 *   cluster scope:        nodes is forbidden: User "x" cannot list resource "nodes" in API group "" at the cluster scope
 *   subresource:          … cannot get resource "pods/log" in API group "" … (the subject stays `pods "web-0"`)
 *   non-resource request: forbidden: User "x" cannot get path "/metrics"
 * When the authorizers gave a reason it is appended as `: <reason>` (e.g. `: RBAC: clusterrole.rbac.authorization.
 * k8s.io "view2" not found`). `&`, `<` and `>` in the attribute part are HTML-escaped, as upstream's sanitizer does.
 */
import { goQuote } from '../../api/selectors';
import { StatusError } from '../../api/status';
import type { AuthzAttributes } from './types';

function sanitize(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** responsewriters.forbiddenMessage plus the `: <reason>` suffix Forbidden adds. */
export function forbiddenMessage(a: AuthzAttributes, reason = ''): string {
  const user = goQuote(a.user.name);
  let msg: string;
  if (!a.isResourceRequest) {
    msg = `User ${user} cannot ${a.verb} path ${goQuote(a.path)}`;
  } else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const what = `User ${user} cannot ${a.verb} resource ${goQuote(resource)} in API group ${goQuote(a.apiGroup)}`;
    msg = a.namespace ? `${what} in the namespace ${goQuote(a.namespace)}` : `${what} at the cluster scope`;
  }
  msg = sanitize(msg);
  return reason ? `${msg}: ${reason}` : msg;
}

/**
 * The StatusError (403 Forbidden) for a denied request: NewForbidden(GroupResource{group, resource}, name, message).
 * Non-resource requests (no group and no resource) get the bare `forbidden: …` form and empty details.
 */
export function forbiddenError(a: AuthzAttributes, reason = ''): StatusError {
  const message = forbiddenMessage(a, reason);
  const hasResource = a.isResourceRequest && (a.resource !== '' || a.apiGroup !== '');
  return StatusError.forbidden(hasResource ? { group: a.apiGroup, resource: a.resource } : undefined, hasResource ? a.name : '', message);
}
