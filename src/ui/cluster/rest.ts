/**
 * The REST plumbing the Cluster actions share: a kind (or resource name) → its API path (built-in resources only),
 * and `call(transport, req)` that returns the body of a 2xx answer and otherwise throws an Error carrying the
 * server's Status message verbatim (what kubectl prints after "Error from server (...): ").
 */
import { builtinResources, type ResourceInfo } from '../../api/resources';
import type { RestRequest, RestResponse, Transport } from '../../client/transport';

let byName: Map<string, ResourceInfo> | undefined;

export function resourceFor(kindOrResource: string): ResourceInfo {
  if (!byName) {
    byName = new Map();
    for (const r of builtinResources()) {
      if (r.version !== 'v1' && byName.has(r.kind.toLowerCase())) continue;
      for (const n of [r.kind.toLowerCase(), r.resource, r.singular, ...r.shortNames]) if (!byName.has(n)) byName.set(n, r);
    }
  }
  const r = byName.get(kindOrResource.toLowerCase());
  if (!r) throw new Error(`the server doesn't have a resource type "${kindOrResource}"`);
  return r;
}

export function objectPath(r: ResourceInfo, namespace: string, name: string, subresource?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

export function listPath(r: ResourceInfo, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${base}${r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${r.resource}`;
}

/** kubectl's `resource.group` form: `deployments.apps` → singular `deployment.apps`, core `pod`. */
export function kubectlKind(r: ResourceInfo): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export function errorOf(res: RestResponse): ApiCallError {
  const b = res.body as { message?: unknown; reason?: unknown } | string | undefined;
  const message = typeof b === 'string' ? b : typeof b?.message === 'string' ? b.message : `the server responded with HTTP ${res.status}`;
  return new ApiCallError(message, res.status, typeof b === 'object' && typeof b?.reason === 'string' ? b.reason : '');
}

export async function call(t: Transport, req: RestRequest): Promise<unknown> {
  const res = await t.request(req);
  if (res.status < 200 || res.status >= 300) throw errorOf(res);
  return res.body;
}
