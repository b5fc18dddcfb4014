/**
 * Subresources: status (get/update/patch of .status only), scale (autoscaling/v1 Scale over spec.replicas),
 * pods/binding (what the scheduler writes), pods/log (streamed from the node's kubelet), pods/eviction (a graceful
 * delete; PodDisruptionBudgets are honoured (registry/eviction.ts)), namespaces/finalize and nodes/proxy (node-proxy.ts).
 */
import { isPlainObject, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError, successStatus } from '../../api/status';
import { decodeBody, negotiate } from '../content';
import { checkTypeMeta } from '../registry/admit';
import { evictPod } from '../registry/eviction';
import { getObject } from '../registry/list';
import { guaranteedUpdate, updateObject } from '../registry/update';
import { viewFor } from '../registry/views';
import type { ApiRequest, ApiResponse } from '../request';
import type { HandlerContext } from './context';
import { includeObjectOf, objectBody } from './output';
import { expectOf, patchResponse, storageResource, writeOpts } from './resource';
import { scaleGet, scaleWrite } from './scale';
import { tokenRequest } from './token-request';
import { nodeProxy } from './node-proxy';

export async function handleSubresource(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo): Promise<ApiResponse> {
  const info = req.info!;
  const sub = r.subresources.find((s) => s.name === info.subresource);
  const isFinalize = r.group === '' && r.resource === 'namespaces' && info.subresource === 'finalize';
  if (sub && info.subresource === 'proxy' && r.group === '' && r.resource === 'nodes') return nodeProxy(ctx, req, r);
  if ((!sub && !isFinalize) || info.parts.length > 3) throw StatusError.pathNotFound();
  const verbs = isFinalize ? ['update'] : sub!.verbs;
  if (!verbs.includes(info.verb)) throw StatusError.methodNotAllowed();
  const ns = r.namespaced ? info.namespace : '';
  const name = info.name;
  const target = storageResource(ctx, r);
  const view = viewFor(r, ctx.crdServing(r)?.storageVersion);
  switch (info.subresource) {
    case 'status':
      if (info.verb === 'get') {
        const neg = negotiate(req.headers.accept, true);
        const obj = await getObject(ctx.core, target, ns, name, req.query.get('resourceVersion') ?? undefined);
        return { status: 200, body: objectBody(r, obj, { form: neg.form, view, now: () => new Date(ctx.core.now()), includeObject: includeObjectOf(req.query) }) };
      }
      if (info.verb === 'update') {
        const wo = writeOpts(req, false);
        const res = await updateObject(ctx.core, target, ns, name, decodeBody(req.body, req.headers['content-type'], expectOf(r)), 'status', wo, true);
        return { status: 200, body: view.out(res.obj), warnings: wo.warnings };
      }
      return patchResponse(ctx, req, r, target, view, ns, name, 'status');
    case 'scale':
      return info.verb === 'get' ? scaleGet(ctx, r, ns, name) : scaleWrite(ctx, req, r, ns, name);
    case 'binding':
      return bind(ctx, req, r, ns, name);
    case 'eviction':
      return evict(ctx, req, r, ns, name);
    case 'log':
      return podLog(ctx, req, r, ns, name);
    case 'exec':
    case 'attach':
    case 'portforward':
      return unsupportedStream(ctx, r, ns, name, info.subresource);
    case 'finalize':
      return finalizeNamespace(ctx, req, r, name);
    case 'token':
      return tokenRequest(ctx, ctx.security, req, r, ns, name);
    default:
      throw StatusError.pathNotFound();
  }
}

async function bind(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, ns: string, name: string): Promise<ApiResponse> {
  const body = checkTypeMeta(r, decodeBody(req.body, req.headers['content-type'], expectOf(r, 'Binding', '', 'v1')), 'Binding', '', 'v1');
  const tgt = body.target as { kind?: string; name?: string } | undefined;
  if (!tgt?.name) throw StatusError.invalid('', 'Binding', body.metadata.name ?? name, [{ type: 'FieldValueRequired', field: 'target.name' }]);
  if (tgt.kind && tgt.kind !== 'Node') throw StatusError.invalid('', 'Binding', name, [{ type: 'FieldValueNotSupported', field: 'target.kind', badValue: tgt.kind, detail: 'supported values: "Node"' }]);
  const qr = { group: '', resource: 'pods/binding' };
  const wo = writeOpts(req, false);
  await guaranteedUpdate(ctx.core, r, ns, name, 'binding', wo, (cur) => {
    // The new pod shares every part of the stored, frozen one that the binding does not change (managedFields,
    // containers, volumes…): only the top level, metadata, spec and status are new objects. Nothing after this writes
    // deeper (a binding is not defaulted, validated or field-managed, as upstream's BindingREST).
    const stored = cur as StoredObject;
    const pod: StoredObject = { ...stored, metadata: { ...stored.metadata }, spec: { ...(isPlainObject(stored.spec) ? stored.spec : {}) } };
    if (isPlainObject(stored.status)) pod.status = { ...stored.status };
    const spec = pod.spec as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) throw StatusError.conflict(qr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw StatusError.conflict(qr, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    if (body.metadata.uid && body.metadata.uid !== pod.metadata.uid) throw StatusError.conflict(qr, name, `Precondition failed: UID in precondition: ${body.metadata.uid}, UID in object meta: ${pod.metadata.uid}`);
    spec.nodeName = tgt.name;
    pod.spec = spec;
    const status = (isPlainObject(pod.status) ? pod.status : {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string | null; lastProbeTime?: null }[] };
    const conds = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date(Math.floor(ctx.core.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z') });
    status.conditions = conds;
    pod.status = status;
    if (body.metadata.annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...body.metadata.annotations };
    // Upstream's BindingREST writes the pod straight to storage (setPodHostAndAnnotations), not through the field
    // manager: a binding leaves the pod's managedFields as they were (no kube-scheduler entry for spec.nodeName).
    return { next: pod, pinned: false, tracked: true };
  }, false);
  return { status: 201, body: { ...successStatus(), code: 201 } };
}

async function evict(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, ns: string, name: string): Promise<ApiResponse> {
  const body = decodeBody(req.body, req.headers['content-type'], expectOf(r, 'Eviction', 'policy', 'v1'));
  const ev = checkTypeMeta(r, body, 'Eviction', 'policy', 'v1');
  if (ev.metadata.name && ev.metadata.name !== name) throw StatusError.badRequest(`name in URL does not match name in Eviction object`);
  return evictPod(ctx.core, r, ns, name, ev, writeOpts(req, false));
}

/** exec, attach and port-forward need a container with real processes and a streaming protocol KubeLab lacks. */
async function unsupportedStream(ctx: HandlerContext, r: ResourceInfo, ns: string, name: string, sub: string): Promise<ApiResponse> {
  await getObject(ctx.core, r, ns, name);
  const what = sub === 'exec' ? 'exec' : sub === 'attach' ? 'attach' : 'port-forward';
  throw StatusError.badRequest(`${what} is not supported by KubeLab: pod "${name}" runs in KubeLab's container runtime, which does not offer ${what} (use kubectl logs to see a container's output)`);
}

async function podLog(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, ns: string, name: string): Promise<ApiResponse> {
  const pod = await getObject(ctx.core, r, ns, name);
  const spec = pod.spec as { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] } | undefined;
  const names = (spec?.containers ?? []).map((c) => c.name);
  const all = [...names, ...(spec?.initContainers ?? []).map((c) => c.name), ...(spec?.ephemeralContainers ?? []).map((c) => c.name)];
  let container = req.query.get('container') ?? '';
  if (!container) {
    if (names.length === 1) container = names[0];
    else throw StatusError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  }
  if (!all.includes(container)) throw StatusError.badRequest(`container ${container} is not valid for pod ${name}`);
  if (!spec?.nodeName) return { status: 200, text: '', headers: { 'content-type': 'text/plain' } };
  const out = await ctx.nodes.logs(pod, container, req.query, req.signal);
  if (typeof out === 'string') return { status: 200, text: out, headers: { 'content-type': 'text/plain' } };
  return {
    status: 200,
    headers: { 'content-type': 'text/plain' },
    stream: {
      contentType: 'text/plain',
      start: (sink) => {
        let stopped = false;
        void (async () => {
          for await (const chunk of out) {
            if (stopped || !sink.write({ type: 'ADDED', object: { text: chunk } })) break;
          }
          sink.end();
        })();
        return () => {
          stopped = true;
        };
      },
    },
  };
}

async function finalizeNamespace(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo, name: string): Promise<ApiResponse> {
  const body = checkTypeMeta(r, decodeBody(req.body, req.headers['content-type'], expectOf(r)));
  const finalizers = ((body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).slice();
  const wo = writeOpts(req, false);
  const res = await guaranteedUpdate(ctx.core, r, '', name, 'finalize', wo, (cur) => {
    const nsObj = ctx.core.copy(cur as StoredObject);
    nsObj.spec = { ...(nsObj.spec as object), finalizers };
    if (!finalizers.length) delete (nsObj.spec as { finalizers?: string[] }).finalizers;
    return { next: nsObj, pinned: false };
  }, false);
  return { status: 200, body: res.obj };
}
