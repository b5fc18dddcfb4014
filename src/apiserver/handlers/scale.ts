/**
 * The scale subresource: an autoscaling/v1 Scale view of spec.replicas (deployments, replicasets, statefulsets,
 * replicationcontrollers, and custom resources through their CRD's specReplicasPath/statusReplicasPath/
 * labelSelectorPath). Writes change only the parent's replicas, with optimistic concurrency on the Scale's
 * resourceVersion.
 */
import { isPlainObject, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { labelSelectorAsSelector, labelSelectorFromSet } from '../../api/selectors';
import { decodeBody } from '../content';
import { guaranteedUpdate } from '../registry/update';
import { getObject } from '../registry/list';
import type { ApiRequest, ApiResponse } from '../request';
import type { HandlerContext } from './context';
import { writeOpts } from './resource';
import { patchKindOf } from './params';

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

const BUILTIN: ScalePaths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

function read(o: unknown, path: string): unknown {
  let cur = o;
  for (const p of path.split('.').filter(Boolean)) cur = isPlainObject(cur) ? cur[p] : undefined;
  return cur;
}

function write(o: Record<string, unknown>, path: string, v: unknown): void {
  const parts = path.split('.').filter(Boolean);
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = v;
}

function selectorString(r: ResourceInfo, o: Readonly<StoredObject>, paths: ScalePaths): string {
  if (paths.labelSelectorPath) {
    const v = read(o, paths.labelSelectorPath);
    return typeof v === 'string' ? v : '';
  }
  const sel = (o.spec as { selector?: unknown } | undefined)?.selector;
  if (r.resource === 'replicationcontrollers') return labelSelectorFromSet(sel as Record<string, string> | undefined).toString();
  try {
    return labelSelectorAsSelector(sel as never).toString();
  } catch {
    return '';
  }
}

export function scaleOf(r: ResourceInfo, o: Readonly<StoredObject>, paths: ScalePaths = BUILTIN): StoredObject {
  const m = o.metadata;
  const status: Record<string, unknown> = { replicas: Number(read(o, paths.statusReplicasPath) ?? 0) };
  const sel = selectorString(r, o, paths);
  if (sel) status.selector = sel;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: Number(read(o, paths.specReplicasPath) ?? 0) },
    status,
  };
}

export function scalePathsOf(ctx: HandlerContext, r: ResourceInfo): ScalePaths {
  return ctx.crdServing(r)?.scale ?? BUILTIN;
}

export async function scaleGet(ctx: HandlerContext, r: ResourceInfo, ns: string, name: string): Promise<ApiResponse> {
  const o = await getObject(ctx.core, r, ns, name);
  return { status: 200, body: scaleOf(r, o, scalePathsOf(ctx, r)) };
}

export async function scaleWrite(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, ns: string, name: string): Promise<ApiResponse> {
  const paths = scalePathsOf(ctx, r);
  const verb = req.info!.verb;
  const type = verb === 'patch' ? patchKindOf(req.headers['content-type'], r) : undefined;
  if (type === 'apply') throw StatusError.unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
  const body = decodeBody(req.body, verb === 'patch' ? 'application/json' : req.headers['content-type'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (body === undefined) throw StatusError.badRequest('the body of the request was empty');
  const wo = writeOpts(req, false);
  const scaleR = { group: 'autoscaling', version: 'v1', resource: r.resource, kind: 'Scale' } as ResourceInfo;
  const res = await guaranteedUpdate(ctx.core, r, ns, name, 'scale', wo, (cur) => {
    const current = scaleOf(r, cur as StoredObject, paths);
    const next = type ? ctx.core.deps.hooks.patch(scaleR, type, current, body) : (body as StoredObject);
    const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw StatusError.invalid('autoscaling', 'Scale', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas ?? null, detail: 'must be greater than or equal to 0' }]);
    }
    const parent = ctx.core.copy(cur as StoredObject);
    write(parent, paths.specReplicasPath, replicas);
    const rv = next.metadata?.resourceVersion;
    if (rv) parent.metadata.resourceVersion = rv;
    // As upstream's GuaranteedUpdate: the resourceVersion a patch carries over from the current object pins nothing;
    // only one the client named that differs from it (a stale one) is a Conflict, so a race is retried.
    return { next: parent, pinned: Boolean(rv) && rv !== cur?.metadata.resourceVersion };
  }, false);
  return { status: 200, body: scaleOf(r, res.obj, paths) };
}
