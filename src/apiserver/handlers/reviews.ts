/**
 * The review APIs (create-only, never stored), as upstream serves them:
 * authorization.k8s.io/v1 SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview (`kubectl auth
 * can-i`), SelfSubjectRulesReview (`kubectl auth can-i --list`); authentication.k8s.io/v1 TokenReview and
 * SelfSubjectReview (`kubectl auth whoami`). The answer is the request object with `status` filled in.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { isPlainObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import type { AuthzAttributes } from '../authz/types';
import { decodeBody } from '../content';
import { checkTypeMeta } from '../registry/admit';
import type { ApiRequest, ApiResponse, UserInfo } from '../request';
import { expectOf } from './resource';
import type { SecurityServices } from './security';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}
interface NonResourceAttributes {
  path?: string;
  verb?: string;
}
interface AccessSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  namespace?: string;
  token?: string;
  audiences?: string[];
}

export async function handleReview(sec: SecurityServices, req: ApiRequest, r: ResourceInfo): Promise<ApiResponse> {
  const info = req.info!;
  if (info.verb !== 'create' || info.name) throw StatusError.methodNotAllowed();
  const obj = checkTypeMeta(r, decodeBody(req.body, req.headers['content-type'], expectOf(r)));
  const spec = (isPlainObject(obj.spec) ? obj.spec : {}) as AccessSpec;
  const user = req.user!;
  const out = (status: Record<string, unknown>): ApiResponse => ({
    status: 201,
    body: { kind: r.kind, apiVersion: obj.apiVersion, metadata: { ...obj.metadata, creationTimestamp: null }, spec: obj.spec ?? {}, status },
  });
  switch (r.resource) {
    case 'selfsubjectaccessreviews':
      oneOf(r, spec);
      return out(decide(sec, user, spec));
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const errs = oneOfErrors(spec);
      if (!spec.user && !(spec.groups ?? []).length) errs.push(fieldErr.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
      if (r.resource === 'localsubjectaccessreviews') {
        const ns = spec.resourceAttributes?.namespace ?? '';
        if (spec.nonResourceAttributes) errs.push(fieldErr.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
        if (spec.resourceAttributes && ns !== info.namespace) errs.push(fieldErr.invalid('spec.resourceAttributes.namespace', ns, 'must match metadata.namespace'));
        obj.metadata.namespace = info.namespace;
      }
      if (errs.length) throw StatusError.invalid(r.group, r.kind, '', errs);
      const subject: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
      return out(decide(sec, subject, spec));
    }
    case 'selfsubjectrulesreviews': {
      const ns = spec.namespace ?? '';
      if (!ns) throw StatusError.invalid(r.group, r.kind, '', [fieldErr.required('spec.namespace', '')]);
      const rules = sec.rulesFor(user, ns);
      return out({
        resourceRules: rules.resourceRules,
        nonResourceRules: rules.nonResourceRules,
        incomplete: rules.incomplete,
        ...(rules.evaluationError ? { evaluationError: rules.evaluationError } : {}),
      });
    }
    case 'selfsubjectreviews':
      return out({ userInfo: userInfoOf(user) });
    case 'tokenreviews': {
      if (!spec.token) throw StatusError.invalid(r.group, r.kind, '', [fieldErr.required('spec.token', '')]);
      const res = await sec.authenticateToken(spec.token, spec.audiences);
      if ('error' in res) return out({ authenticated: false, user: {}, error: res.error });
      return out({ authenticated: true, user: userInfoOf(res.user), audiences: res.audiences });
    }
    default:
      throw StatusError.pathNotFound();
  }
}

function userInfoOf(u: UserInfo): Record<string, unknown> {
  return { username: u.name, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra ? { extra: u.extra } : {}) };
}

function oneOfErrors(spec: AccessSpec): FieldError[] {
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [fieldErr.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [fieldErr.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  return [];
}

function oneOf(r: ResourceInfo, spec: AccessSpec): void {
  const errs = oneOfErrors(spec);
  if (errs.length) throw StatusError.invalid(r.group, r.kind, '', errs);
}

function decide(sec: SecurityServices, user: UserInfo, spec: AccessSpec): Record<string, unknown> {
  const ra = spec.resourceAttributes;
  const na = spec.nonResourceAttributes;
  const a: AuthzAttributes = ra
    ? {
        user,
        verb: ra.verb ?? '',
        isResourceRequest: true,
        path: '',
        apiGroup: ra.group ?? '',
        apiVersion: ra.version ?? '',
        namespace: ra.namespace ?? '',
        resource: ra.resource ?? '',
        subresource: ra.subresource ?? '',
        name: ra.name ?? '',
      }
    : { user, verb: na?.verb ?? '', isResourceRequest: false, path: na?.path ?? '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  const d = sec.authorize(a);
  return { allowed: d.decision === 'allow', ...(d.decision === 'deny' ? { denied: true } : {}), ...(d.reason ? { reason: d.reason } : {}) };
}
