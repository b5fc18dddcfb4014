/**
 * RequestInfo as kube-apiserver's RequestInfoFactory derives it from a path and method: resource requests under
 * /api and /apis (verb, API group/version, namespace, resource, name, subresource) and everything else as a
 * non-resource request. Authorization and the resource handlers work from this, never from the raw path.
 */

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection; for non-resource requests the lower-case HTTP method. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const base: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segs = path.split('/').filter((s) => s !== '');
  if (segs.length === 0 || (segs[0] !== 'api' && segs[0] !== 'apis')) return base;
  const info = { ...base, apiPrefix: segs[0] };
  let cur = segs.slice(1);
  if (info.apiPrefix === 'apis') {
    if (cur.length < 2) return base; // /apis and /apis/<group> are discovery (non-resource)
    info.apiGroup = cur[0];
    cur = cur.slice(1);
  } else if (cur.length < 1) {
    return base;
  }
  info.apiVersion = cur[0];
  cur = cur.slice(1);
  if (cur.length === 0) return base; // /api/v1, /apis/g/v: discovery
  info.isResourceRequest = true;
  let verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();
  if (cur[0] === 'watch') {
    verb = 'watch';
    cur = cur.slice(1);
  }
  if (cur[0] === 'namespaces') {
    if (cur.length > 1) {
      info.namespace = cur[1];
      // /namespaces/<ns> is the namespace object itself; /namespaces/<ns>/status|finalize its subresources
      if (cur.length > 2 && cur[2] !== 'status' && cur[2] !== 'finalize') cur = cur.slice(2);
    }
  }
  info.parts = cur.map(safeDecode);
  if (info.parts.length >= 1) info.resource = info.parts[0];
  if (info.parts.length >= 2) info.name = info.parts[1];
  if (info.parts.length >= 3) info.subresource = info.parts[2];
  if (info.resource === 'namespaces' && info.parts.length >= 2) info.namespace = info.parts[1];
  if (!info.name && verb === 'get') verb = 'list';
  if (!info.name && verb === 'delete') verb = 'deletecollection';
  if ((verb === 'list' || verb === 'get') && isTrue(query.get('watch'))) verb = 'watch';
  info.verb = verb;
  return info;
}

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
