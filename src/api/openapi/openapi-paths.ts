/**
 * The `paths` of one resource in a group-version OpenAPI v3 document, shaped as kube-apiserver publishes them:
 * collection (list, create, deletecollection), item (read, replace, patch, delete), the all-namespaces list, the
 * deprecated watch paths, and the status/scale/binding/eviction/token/log subresources — each operation with
 * operationId (`patchAppsV1NamespacedDeployment`), `x-kubernetes-action`, `x-kubernetes-group-version-kind` (one
 * object, which is what kubectl matches), inline query parameters and request/response bodies. PATCH lists
 * `application/strategic-merge-patch+json` only for built-in kinds (`smp`), which is what tells kubectl apply to
 * compute strategic merge patches from the document's schemas. Only the resource's verbs get operations.
 */
import type { GroupVersionKind } from '../object';
import type { ResourceInfo, SubresourceInfo } from '../resources';
import { SCHEMA_REF_PREFIX } from './definitions';
import { OPERATION_PARAMS, PRETTY, pathParam, type Parameter } from './openapi-params';

/** Definition names the paths refer to. */
export interface PathRefs {
  kind: string;
  list: string | undefined;
  /** The definition of a subresource's kind (Scale, Binding, …), if known. */
  sub(kind: GroupVersionKind): string | undefined;
}

export type Operation = Record<string, unknown>;
export type PathItem = Record<string, unknown>;

const ref = (name: string): { $ref: string } => ({ $ref: SCHEMA_REF_PREFIX + name });
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** `apps` → `Apps`, `` → `Core`, `rbac.authorization.k8s.io` → `RbacAuthorization`, `stable.example.com` → `StableExampleCom`. */
export function groupWord(group: string): string {
  if (!group) return 'Core';
  return group.replace(/\.k8s\.io$/, '').split(/[.-]/).map(cap).join('');
}

function json(schema: unknown, type = 'application/json'): Record<string, unknown> {
  return { [type]: { schema } };
}

function responses(codes: [string, string][], schema: unknown, type?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [code, description] of codes) out[code] = { description, content: json(schema, type) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

export function resourcePaths(r: ResourceInfo, refs: PathRefs, smp: boolean): Record<string, PathItem> {
  const base = `${groupWord(r.group)}${cap(r.version)}`;
  const tag = `${groupWord(r.group).charAt(0).toLowerCase()}${groupWord(r.group).slice(1)}_${r.version}`;
  const ns = r.namespaced ? 'Namespaced' : '';
  const gvk = { group: r.group, kind: r.kind, version: r.version };
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const scope = r.namespaced ? `/namespaces/{namespace}` : '';
  const scopeParams = r.namespaced ? [pathParam('namespace', r.kind)] : [];
  const itemParams = [pathParam('name', r.kind), ...scopeParams, PRETTY];
  const can = (v: string): boolean => (r.verbs as string[]).includes(v);
  const operation = (action: string, id: string, description: string, body: Record<string, unknown> | undefined, resp: Record<string, unknown>, target = gvk, params = OPERATION_PARAMS[action] ?? []): Operation => {
    const o: Operation = { tags: [tag], description, operationId: id, parameters: params };
    if (body) o.requestBody = { content: body, required: true };
    o.responses = resp;
    o['x-kubernetes-action'] = action;
    o['x-kubernetes-group-version-kind'] = target;
    return o;
  };
  const kindRef = ref(refs.kind);
  const patchBody = (): Record<string, unknown> => {
    const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
    if (smp) types.push('application/strategic-merge-patch+json');
    return Object.fromEntries(types.map((t) => [t, { schema: ref(`${META}Patch`) }]));
  };
  const paths: Record<string, PathItem> = {};

  const collection: PathItem = { parameters: [...scopeParams, PRETTY] };
  if (can('list') && refs.list) collection.get = operation('list', `list${base}${ns}${r.kind}`, `list or watch objects of kind ${r.kind}`, undefined, responses([['200', 'OK']], ref(refs.list)));
  if (can('create')) collection.post = operation('post', `create${base}${ns}${r.kind}`, `create ${article(r.kind)} ${r.kind}`, json(kindRef, '*/*'), responses([['200', 'OK'], ['201', 'Created'], ['202', 'Accepted']], kindRef));
  if (can('deletecollection')) collection.delete = operation('deletecollection', `delete${base}Collection${ns}${r.kind}`, `delete collection of ${r.kind}`, json(ref(`${META}DeleteOptions`), '*/*'), responses([['200', 'OK']], ref(`${META}Status`)));
  if (Object.keys(collection).length > 1) paths[`${prefix}${scope}/${r.resource}`] = collection;

  const item: PathItem = { parameters: itemParams };
  if (can('get')) item.get = operation('get', `read${base}${ns}${r.kind}`, `read the specified ${r.kind}`, undefined, responses([['200', 'OK']], kindRef));
  if (can('update')) item.put = operation('put', `replace${base}${ns}${r.kind}`, `replace the specified ${r.kind}`, json(kindRef, '*/*'), responses([['200', 'OK'], ['201', 'Created']], kindRef));
  if (can('patch')) item.patch = operation('patch', `patch${base}${ns}${r.kind}`, `partially update the specified ${r.kind}`, patchBody(), responses([['200', 'OK'], ['201', 'Created']], kindRef));
  if (can('delete')) item.delete = operation('delete', `delete${base}${ns}${r.kind}`, `delete ${article(r.kind)} ${r.kind}`, json(ref(`${META}DeleteOptions`), '*/*'), responses([['200', 'OK'], ['202', 'Accepted']], ref(`${META}Status`)));
  if (Object.keys(item).length > 1) paths[`${prefix}${scope}/${r.resource}/{name}`] = item;

  if (r.namespaced && can('list') && refs.list) {
    paths[`${prefix}/${r.resource}`] = { get: operation('list', `list${base}${r.kind}ForAllNamespaces`, `list or watch objects of kind ${r.kind}`, undefined, responses([['200', 'OK']], ref(refs.list))), parameters: [PRETTY] };
  }
  if (can('watch')) {
    const event = ref(`${META}WatchEvent`);
    const watchResp = responses([['200', 'OK']], event, 'application/json;stream=watch');
    const listParams = OPERATION_PARAMS.list;
    paths[`${prefix}/watch${scope}/${r.resource}`] = {
      get: operation('watchlist', `watch${base}${ns}${r.kind}List`, `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, undefined, watchResp, gvk, listParams),
      parameters: [...scopeParams, PRETTY],
    };
    paths[`${prefix}/watch${scope}/${r.resource}/{name}`] = {
      get: operation('watch', `watch${base}${ns}${r.kind}`, `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`, undefined, watchResp, gvk, listParams),
      parameters: itemParams,
    };
    if (r.namespaced) {
      paths[`${prefix}/watch/${r.resource}`] = { get: operation('watchlist', `watch${base}${r.kind}ListForAllNamespaces`, `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, undefined, watchResp, gvk, listParams), parameters: [PRETTY] };
    }
  }

  for (const sub of r.subresources) {
    const target = refs.sub(sub.kind);
    if (!target) continue;
    const p = subresourcePath(sub, target, `${base}${ns}${r.kind}`, r.kind, operation, patchBody);
    if (p) paths[`${prefix}${scope}/${r.resource}/{name}/${sub.name}`] = { ...p, parameters: itemParams };
  }
  return paths;
}

type OperationFn = (action: string, id: string, description: string, body: Record<string, unknown> | undefined, resp: Record<string, unknown>, target?: GroupVersionKind, params?: Parameter[]) => Operation;

function subresourcePath(sub: SubresourceInfo, target: string, id: string, kind: string, operation: OperationFn, patchBody: () => Record<string, unknown>): PathItem | undefined {
  const tRef = ref(target);
  const word = cap(sub.name);
  const item: PathItem = {};
  const k = { group: sub.kind.group, kind: sub.kind.kind, version: sub.kind.version };
  if (sub.name === 'status' || sub.name === 'scale') {
    if (sub.verbs.includes('get')) item.get = operation('get', `read${id}${word}`, `read ${sub.name} of the specified ${kind}`, undefined, responses([['200', 'OK']], tRef), k);
    if (sub.verbs.includes('update')) item.put = operation('put', `replace${id}${word}`, `replace ${sub.name} of the specified ${kind}`, json(tRef, '*/*'), responses([['200', 'OK'], ['201', 'Created']], tRef), k);
    if (sub.verbs.includes('patch')) item.patch = operation('patch', `patch${id}${word}`, `partially update ${sub.name} of the specified ${kind}`, patchBody(), responses([['200', 'OK'], ['201', 'Created']], tRef), k);
  } else if (sub.name === 'binding' || sub.name === 'eviction' || sub.name === 'token') {
    item.post = operation('post', `create${id}${word}`, `create ${sub.name} of ${article(kind)} ${kind}`, json(tRef, '*/*'), responses([['200', 'OK'], ['201', 'Created'], ['202', 'Accepted']], tRef), k);
  } else if (sub.name === 'log') {
    item.get = operation('get', `read${id}Log`, `read log of the specified ${kind}`, undefined, responses([['200', 'OK']], { type: 'string' }, 'text/plain'), k, OPERATION_PARAMS.log);
  } else return undefined;
  return Object.keys(item).length ? item : undefined;
}

/** `a Deployment`, `an Ingress` (upstream's descriptions use the article). */
function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}
