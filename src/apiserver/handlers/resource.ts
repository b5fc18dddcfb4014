/**
 * Resource requests (/api/v1/…, /apis/<group>/<version>/…): find the resource, check the verb and scope, then
 * get / list / watch / create / update / patch / delete / deletecollection, or a subresource. Bodies arrive decoded
 * (JSON or YAML) and leave in the negotiated form.
 */
import { deepCopy, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { decodeBody, negotiate } from '../content';
import { createObject } from '../registry/create';
import { deleteObject, deleteResponse, parseDeleteOptions } from '../registry/delete';
import { getObject, listObjects } from '../registry/list';
import { patchObject, updateObject } from '../registry/update';
import { viewFor, type View } from '../registry/views';
import { prepareWatch } from '../registry/watch';
import type { ApiRequest, ApiResponse } from '../request';
import type { HandlerContext } from './context';
import { buildFilter } from './filter';
import { includeObjectOf, listBody, objectBody, watchObject, type OutputContext } from './output';
import { boolParam, dryRunOf, fieldManagerOf, fieldValidationOf, intParam, patchKindOf } from './params';
import { handleSubresource } from './subresources';
import { componentStatusList } from './componentstatuses';
import { handleReview } from './reviews';

export async function handleResource(ctx: HandlerContext, req: ApiRequest): Promise<ApiResponse> {
  const info = req.info!;
  const reg = ctx.core.deps.resources;
  const r = reg.get(info.apiGroup, info.apiVersion, info.resource);
  if (!r) throw StatusError.pathNotFound();
  if (!r.namespaced && info.namespace && info.resource !== 'namespaces') throw StatusError.pathNotFound();
  if (info.subresource) return handleSubresource(ctx, req, r);
  if (info.parts.length > 3) throw StatusError.pathNotFound();
  const verb = info.verb;
  if (!(r.verbs as string[]).includes(verb)) throw StatusError.methodNotAllowed();
  if (r.virtual) return r.resource === 'componentstatuses' ? componentStatusList(ctx, req, r) : handleReview(ctx.security, req, r);
  const ns = r.namespaced ? info.namespace : '';
  const crd = ctx.crdServing(r);
  const view = viewFor(r, crd?.storageVersion);
  const target = storageResource(ctx, r);
  const q = req.query;
  const out = (): OutputContext => {
    const neg = negotiate(req.headers.accept, verb === 'get' || verb === 'list' || verb === 'watch');
    return { form: neg.form, view, now: () => new Date(ctx.core.now()), includeObject: includeObjectOf(q), crdColumns: crd?.columns };
  };
  if ((verb === 'update' || verb === 'patch') && !info.name) throw StatusError.methodNotAllowed();
  if (verb === 'create' && info.name) throw StatusError.methodNotAllowed();
  const needNs = r.namespaced && verb !== 'list' && verb !== 'watch' && verb !== 'deletecollection';
  if (needNs && !ns) throw StatusError.pathNotFound();
  switch (verb) {
    case 'get': {
      const o = out();
      const obj = await getObject(ctx.core, target, ns, info.name, q.get('resourceVersion') ?? undefined);
      return { status: 200, body: objectBody(r, obj, o) };
    }
    case 'list': {
      const o = out();
      const f = buildFilter(r, q, r.namespaced ? ns || undefined : undefined);
      const res = await listObjects(ctx.core, target, r.namespaced && ns ? ns : undefined, listOpts(q), f.matches, f.filtered);
      return { status: 200, body: listBody(r, res, o) };
    }
    case 'watch':
      return watchResponse(ctx, req, r, target, view, out(), ns, info.name || undefined);
    case 'create': {
      const wo = writeOpts(req, false);
      const body = toStorage(r, target, view, decodeBody(req.body, req.headers['content-type'], expectOf(r)));
      const obj = await createObject(ctx.core, target, ns, body, wo);
      return { status: 201, body: view.out(obj), warnings: wo.warnings };
    }
    case 'update': {
      const wo = writeOpts(req, false);
      const body = toStorage(r, target, view, decodeBody(req.body, req.headers['content-type'], expectOf(r)));
      const res = await updateObject(ctx.core, target, ns, info.name, body, '', wo, true);
      return { status: res.created ? 201 : 200, body: view.out(res.obj), warnings: wo.warnings };
    }
    case 'patch':
      return patchResponse(ctx, req, r, target, view, ns, info.name, '');
    case 'delete': {
      const dryRun = dryRunOf(q);
      const opts = parseDeleteOptions(decodeBody(req.body, req.headers['content-type'], DELETE_OPTIONS), q);
      const res = await deleteObject(ctx.core, target, ns, info.name, opts, dryRun, req.user);
      const resp = deleteResponse(ctx.core, target, res);
      return { status: resp.status, body: resp.body === res.obj ? view.out(res.obj) : resp.body };
    }
    case 'deletecollection':
      return deleteCollection(ctx, req, r, target, view, ns);
    default:
      throw StatusError.methodNotAllowed();
  }
}

/** What a body sent to `r` should be (decoding defaults and error wording). */
export function expectOf(r: ResourceInfo, kind = r.kind, group = r.group, version = r.version) {
  return { group, version, kind, crd: Boolean(r.crd) };
}

export const DELETE_OPTIONS = { group: '', version: 'v1', kind: 'DeleteOptions' };

/** events.k8s.io Events live in core Events' storage; every other resource is its own. */
export function storageResource(ctx: HandlerContext, r: ResourceInfo): ResourceInfo {
  if (r.group === 'events.k8s.io') return ctx.core.deps.resources.get('', 'v1', 'events') ?? r;
  if (r.group === 'autoscaling' && r.version === 'v1') return ctx.core.deps.resources.get('autoscaling', 'v2', r.resource) ?? r;
  return r;
}

function toStorage(r: ResourceInfo, target: ResourceInfo, view: View, body: unknown): unknown {
  if (view.identity || body === undefined || typeof body !== 'object' || body === null) return body;
  const o = body as StoredObject;
  if (target !== r) {
    const served = r.group ? `${r.group}/${r.version}` : r.version;
    if (o.apiVersion !== undefined && o.apiVersion !== served) return body; // checkTypeMeta reports it
    if (o.kind !== undefined && o.kind !== r.kind) return body;
    return view.in({ ...o, apiVersion: served, kind: r.kind, metadata: o.metadata ?? {} });
  }
  return view.in(o);
}

export function writeOpts(req: ApiRequest, apply: boolean) {
  const q = req.query;
  return {
    dryRun: dryRunOf(q),
    fieldManager: fieldManagerOf(q, req.headers['user-agent'], apply),
    fieldValidation: fieldValidationOf(q),
    warnings: [] as string[],
    user: req.user,
  };
}

function listOpts(q: URLSearchParams) {
  const limit = intParam(q, 'limit');
  if (limit !== undefined && limit < 0) throw StatusError.badRequest(`limit: Invalid value: ${limit}: must be greater than or equal to 0`);
  return {
    limit,
    continue: q.get('continue') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
  };
}

export async function patchResponse(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, target: ResourceInfo, view: View, ns: string, name: string, sub: string): Promise<ApiResponse> {
  if (!view.identity && target !== r) throw StatusError.methodNotAllowed();
  const type = patchKindOf(req.headers['content-type'], r);
  const force = boolParam(req.query, 'force');
  if (force !== undefined && type !== 'apply') throw StatusError.badRequest('force: Forbidden: may not be specified for non-apply patch');
  const wo = { ...writeOpts(req, type === 'apply'), force: force ?? false };
  const patch = type === 'apply' ? decodeBody(req.body, 'application/yaml') : decodeBody(req.body, 'application/json');
  if (patch === undefined) throw StatusError.badRequest('the body of the request was empty');
  const res = await patchObject(ctx.core, target, ns, name, type, view.identity ? patch : view.in(patch as StoredObject), sub, wo);
  return { status: res.created ? 201 : 200, body: view.out(res.obj), warnings: wo.warnings };
}

async function watchResponse(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, target: ResourceInfo, view: View, o: OutputContext, ns: string, name: string | undefined): Promise<ApiResponse> {
  const q = req.query;
  const f = buildFilter(r, q, r.namespaced ? ns || undefined : undefined, name);
  const timeoutSeconds = intParam(q, 'timeoutSeconds');
  const start = await prepareWatch(
    ctx.core,
    target,
    f.watch,
    (obj) => view.out(obj),
    {
      resourceVersion: q.get('resourceVersion') ?? undefined,
      resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
      allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks') ?? false,
      sendInitialEvents: boolParam(q, 'sendInitialEvents'),
      timeoutSeconds: timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : undefined,
      defaultTimeoutMs: ctx.defaultWatchTimeoutMs(),
      bookmarkMs: ctx.bookmarkMs,
    },
    { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind },
  );
  const plain = o.form === 'object';
  return {
    status: 200,
    stream: {
      contentType: 'application/json',
      start: (sink) =>
        start(
          plain
            ? sink
            : { write: (ev) => sink.write({ type: ev.type, object: watchObject(r, ev.object, o, ev.type) }), end: () => sink.end() },
        ),
    },
  };
}

async function deleteCollection(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, target: ResourceInfo, view: View, ns: string): Promise<ApiResponse> {
  const q = req.query;
  const dryRun = dryRunOf(q);
  const opts = parseDeleteOptions(decodeBody(req.body, req.headers['content-type'], DELETE_OPTIONS), q);
  const f = buildFilter(r, q, r.namespaced ? ns || undefined : undefined);
  const res = await listObjects(ctx.core, target, r.namespaced && ns ? ns : undefined, {}, f.matches, f.filtered);
  const items: object[] = [];
  for (const o of res.items) {
    try {
      const d = await deleteObject(ctx.core, target, o.metadata.namespace ?? '', o.metadata.name ?? '', deepCopy(opts), dryRun, req.user);
      items.push(view.out(d.obj));
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  return { status: 200, body: { kind: r.listKind, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, metadata: { resourceVersion: String(ctx.core.deps.router.revision) }, items } };
}
