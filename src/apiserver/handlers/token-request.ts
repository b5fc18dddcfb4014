/**
 * `serviceaccounts/token` (TokenRequest, what `kubectl create token sa` calls): a ServiceAccount token signed by the
 * cluster's key, optionally bound to a Pod, Secret or Node that must exist (and match the given uid); bound tokens
 * stop authenticating once the object is gone. Expiry defaults to 1 h, at least 10 min, at most 2^32 s, as upstream.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { isPlainObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { decodeBody } from '../content';
import { checkTypeMeta } from '../registry/admit';
import { getObject } from '../registry/list';
import { rfc3339 } from '../registry/meta';
import type { ApiRequest, ApiResponse } from '../request';
import type { HandlerContext } from './context';
import { expectOf } from './resource';
import type { IssueTokenOptions, SecurityServices } from './security';

interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;

export async function tokenRequest(ctx: HandlerContext, sec: SecurityServices, req: ApiRequest, r: ResourceInfo, ns: string, name: string): Promise<ApiResponse> {
  const body = checkTypeMeta(r, decodeBody(req.body, req.headers['content-type'], expectOf(r, 'TokenRequest', 'authentication.k8s.io', 'v1')), 'TokenRequest', 'authentication.k8s.io', 'v1');
  const spec = (isPlainObject(body.spec) ? body.spec : {}) as TokenRequestSpec;
  const errs: FieldError[] = [];
  const exp = spec.expirationSeconds ?? 3600;
  if (!Number.isInteger(exp)) errs.push(fieldErr.invalid('spec.expirationSeconds', exp, 'must be an integer'));
  else if (exp < MIN_SECONDS) errs.push(fieldErr.invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  else if (exp > MAX_SECONDS) errs.push(fieldErr.invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  if (spec.audiences === null) delete spec.audiences; // protobuf clients send an empty list as null
  if (spec.audiences !== undefined && (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== 'string'))) {
    errs.push(fieldErr.invalid('spec.audiences', spec.audiences, 'must be a list of strings'));
  }
  if (errs.length) throw StatusError.invalid('authentication.k8s.io', 'TokenRequest', name, errs);
  const sa = await getObject(ctx.core, r, ns, name);
  const opts: IssueTokenOptions = {
    namespace: ns,
    serviceAccount: { name, uid: sa.metadata.uid ?? '' },
    expirationSeconds: exp,
    audiences: spec.audiences?.length ? spec.audiences : undefined,
  };
  const ref = spec.boundObjectRef;
  if (ref) {
    const kinds: Record<string, { group: string; version: string; resource: string; apiVersion: string }> = {
      Pod: { group: '', version: 'v1', resource: 'pods', apiVersion: 'v1' },
      Secret: { group: '', version: 'v1', resource: 'secrets', apiVersion: 'v1' },
      Node: { group: '', version: 'v1', resource: 'nodes', apiVersion: 'v1' },
    };
    const k = kinds[ref.kind ?? ''];
    if (!k) throw StatusError.badRequest(`cannot bind token for serviceaccount "${name}" to object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`);
    if (ref.apiVersion && ref.apiVersion !== k.apiVersion) throw StatusError.badRequest(`cannot bind token for serviceaccount "${name}" to object of type ${ref.apiVersion}, Kind=${ref.kind}`);
    const target = ctx.core.deps.resources.get(k.group, k.version, k.resource)!;
    const obj = await getObject(ctx.core, target, ref.kind === 'Node' ? '' : ns, ref.name ?? '');
    const uid = obj.metadata.uid ?? '';
    if (ref.uid && ref.uid !== uid) throw StatusError.conflict({ group: '', resource: k.resource }, ref.name ?? '', `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    const bound = { name: ref.name ?? '', uid };
    if (ref.kind === 'Pod') {
      opts.pod = bound;
      const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
      if (nodeName) {
        const node = ctx.core.deps.resources.get('', 'v1', 'nodes')!;
        const n = await getObject(ctx.core, node, '', nodeName).catch(() => undefined);
        if (n) opts.node = { name: nodeName, uid: n.metadata.uid ?? '' };
      }
    } else if (ref.kind === 'Secret') opts.secret = bound;
    else opts.node = bound;
  }
  const issued = sec.issueToken(opts);
  return {
    status: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace: ns, creationTimestamp: rfc3339(ctx.core.now()) },
      spec: { audiences: issued.audiences, expirationSeconds: exp, boundObjectRef: ref ?? null },
      status: { token: issued.token, expirationTimestamp: rfc3339(issued.expiresAt) },
    },
  };
}
