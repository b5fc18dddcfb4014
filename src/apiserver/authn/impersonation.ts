/**
 * Impersonation (upstream's WithImpersonation filter, k8s.io/apiserver endpoints/filters/impersonation.go) as a
 * pure function. Headers (lower-case names): `impersonate-user`, `impersonate-group` (repeatable; the transport
 * joins repeats with commas), `impersonate-uid`, `impersonate-extra-<key>` (key lower-cased and %-unescaped;
 * repeatable). Every requested item is authorized for verb `impersonate`:
 *   users / groups / serviceaccounts (in the SA's namespace) in API group "";
 *   uids and userextras/<key> in API group "authentication.k8s.io" (version v1), as upstream.
 * A denial throws 403 worded as upstream's responsewriters.Forbidden; groups, extras or uid without a user throw
 * 400 `requested [...] without impersonating a user` (Go's %v of the object references). With no
 * Impersonate-* header the result is undefined. The caller switches `req.user` and deletes `removeHeaders`.
 */
import { StatusError } from '../../api/status';
import type { AuthzAttributes, AuthzResult } from '../authz/types';
import type { UserInfo } from '../request';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS_USER, serviceAccountGroups, serviceAccountUsername, splitServiceAccountUsername } from './user';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHN_GROUP = 'authentication.k8s.io';

export interface Impersonation {
  user: UserInfo;
  /** Header names (lower case) to delete from the request. */
  removeHeaders: string[];
}

/** What upstream builds per requested item (a v1.ObjectReference). */
interface Ref {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

function values(v: string): string[] {
  return v.split(',').map((s) => s.trim());
}

function unescapeKey(k: string): string {
  try {
    return decodeURIComponent(k);
  } catch (_e) {
    return k;
  }
}

/** Go's %v of a v1.ObjectReference: `{Kind Namespace Name UID APIVersion ResourceVersion FieldPath}`. */
function goRef(r: Ref): string {
  return `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`;
}

function requests(headers: Record<string, string | undefined>): { refs: Ref[]; headerNames: string[] } {
  const refs: Ref[] = [];
  const headerNames: string[] = [];
  const ref = (kind: Ref['kind'], name: string, more: Partial<Ref> = {}): Ref => ({ kind, namespace: '', name, apiVersion: '', fieldPath: '', ...more });
  const user = headers[USER] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    refs.push(sa ? ref('ServiceAccount', sa.name, { namespace: sa.namespace }) : ref('User', user));
  }
  const groupHeader = headers[GROUP];
  if (groupHeader !== undefined) for (const g of values(groupHeader)) refs.push(ref('Group', g));
  const extraKeys = Object.keys(headers).filter((h) => h.startsWith(EXTRA_PREFIX) && headers[h] !== undefined).sort();
  for (const h of extraKeys) {
    const key = unescapeKey(h.slice(EXTRA_PREFIX.length).toLowerCase());
    for (const v of values(headers[h]!)) refs.push(ref('UserExtra', v, { apiVersion: `${AUTHN_GROUP}/v1`, fieldPath: key }));
  }
  const uid = headers[UID] ?? '';
  if (uid) refs.push(ref('UID', uid, { apiVersion: `${AUTHN_GROUP}/v1` }));
  for (const h of [USER, GROUP, UID, ...extraKeys]) if (headers[h] !== undefined) headerNames.push(h);
  if (refs.length && !user) throw StatusError.badRequest(`requested [${refs.map(goRef).join(' ')}] without impersonating a user`);
  return { refs, headerNames };
}

/** responsewriters.forbiddenMessage for a resource request. */
function forbiddenMessage(a: AuthzAttributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(a.user.name)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${where}`;
}

export function impersonate(
  headers: Record<string, string | undefined>,
  requester: UserInfo,
  authorize: (attrs: AuthzAttributes) => AuthzResult,
): Impersonation | undefined {
  const { refs, headerNames } = requests(headers);
  if (!refs.length) return undefined;
  const groupsSpecified = headers[GROUP] !== undefined;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of refs) {
    const [group, version] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion];
    const attrs: AuthzAttributes = {
      user: requester,
      verb: 'impersonate',
      isResourceRequest: true,
      path: '',
      apiGroup: group,
      apiVersion: version,
      namespace: r.namespace,
      resource: '',
      subresource: '',
      name: r.name,
    };
    switch (r.kind) {
      case 'ServiceAccount':
        attrs.resource = 'serviceaccounts';
        username = serviceAccountUsername(r.namespace, r.name);
        if (!groupsSpecified) groups = serviceAccountGroups(r.namespace);
        break;
      case 'User':
        attrs.resource = 'users';
        username = r.name;
        break;
      case 'Group':
        attrs.resource = 'groups';
        groups.push(r.name);
        break;
      case 'UserExtra':
        attrs.resource = 'userextras';
        attrs.subresource = r.fieldPath;
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case 'UID':
        attrs.resource = 'uids';
        uid = r.name;
        break;
    }
    let decision: AuthzResult;
    try {
      decision = authorize(attrs);
    } catch (e) {
      decision = { decision: 'noOpinion', reason: (e as Error).message };
    }
    if (decision.decision !== 'allow') {
      const msg = forbiddenMessage(attrs);
      throw StatusError.forbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, decision.reason ? `${msg}: ${decision.reason}` : msg);
    }
  }
  if (username !== ANONYMOUS_USER) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
  const user: UserInfo = { name: username, groups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return { user, removeHeaders: headerNames };
}
