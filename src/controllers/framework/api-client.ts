/**
 * ApiClient: the typed REST calls a controller makes (client-go's clientset, reduced to what controllers use) over
 * any Transport, under the controller's own identity. Every non-2xx answer throws an ApiError carrying the server's
 * Status (code, reason, message), so a controller's `sync` can tell NotFound / AlreadyExists / Conflict apart.
 * Objects returned are the server's (possibly frozen and shared in process): copy before changing one.
 */
import type { ResourceRef } from '../../client/informers';
import { queryString, type RestRequest, type Transport } from '../../client/transport';

export type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.reason === 'AlreadyExists';
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.code === 409 && e.reason === 'Conflict';
/** 403 because the namespace is terminating: creating in it is pointless, not an error to retry. */
export const isNamespaceTerminating = (e: unknown): boolean =>
  e instanceof ApiError && e.code === 403 && /because it is being terminated/.test(e.message);

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  /** Only delete the object with this uid (and/or resourceVersion). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

function basePath(r: ResourceRef, namespace: string): string {
  const root = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return namespace ? `${root}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${root}/${r.resource}`;
}

export class ApiClient {
  constructor(readonly transport: Transport) {}

  async call(req: RestRequest): Promise<Obj> {
    const res = await this.transport.request(req);
    if (res.status >= 200 && res.status < 300) return (res.body ?? {}) as Obj;
    const b = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Record<string, unknown>;
    const message = typeof b.message === 'string' ? b.message : `${req.method} ${req.path}${queryString(req.query)}: HTTP ${res.status}`;
    throw new ApiError(res.status, typeof b.reason === 'string' ? b.reason : '', message, b);
  }

  path(r: ResourceRef, namespace: string, name?: string, sub?: string): string {
    let p = basePath(r, namespace);
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  get(r: ResourceRef, namespace: string, name: string): Promise<Obj> {
    return this.call({ method: 'GET', path: this.path(r, namespace, name) });
  }

  /** One page-less list (controllers normally read listers instead). */
  list(r: ResourceRef, namespace: string, query?: RestRequest['query']): Promise<Obj> {
    return this.call({ method: 'GET', path: this.path(r, namespace), query });
  }

  create(r: ResourceRef, namespace: string, body: Obj, sub?: { name: string; subresource: string }): Promise<Obj> {
    const path = sub ? this.path(r, namespace, sub.name, sub.subresource) : this.path(r, namespace);
    return this.call({ method: 'POST', path, body });
  }

  update(r: ResourceRef, namespace: string, body: Obj): Promise<Obj> {
    const name = String(body.metadata?.name ?? '');
    return this.call({ method: 'PUT', path: this.path(r, namespace, name), body });
  }

  updateStatus(r: ResourceRef, namespace: string, body: Obj): Promise<Obj> {
    const name = String(body.metadata?.name ?? '');
    return this.call({ method: 'PUT', path: this.path(r, namespace, name, 'status'), body });
  }

  patch(r: ResourceRef, namespace: string, name: string, patch: unknown, type: PatchType = 'merge', subresource?: string): Promise<Obj> {
    return this.call({ method: 'PATCH', path: this.path(r, namespace, name, subresource), body: patch, contentType: PATCH_CONTENT[type] });
  }

  delete(r: ResourceRef, namespace: string, name: string, opts: DeleteOptions = {}): Promise<Obj> {
    const body: Obj = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    return this.call({ method: 'DELETE', path: this.path(r, namespace, name), body });
  }
}
