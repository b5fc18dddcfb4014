/**
 * Response bodies in the form the client negotiated: the object or a typed list, a meta.k8s.io Table (what
 * `kubectl get` prints), or PartialObjectMetadata(List).
 */
import { apiVersionOf, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import type { OutputForm } from '../content';
import type { ListResult } from '../registry/list';
import type { View } from '../registry/views';
import { toTable, type CrdColumn } from '../table';

export interface OutputContext {
  form: OutputForm;
  view: View;
  now: () => Date;
  includeObject: 'None' | 'Metadata' | 'Object';
  crdColumns?: CrdColumn[];
}

export function includeObjectOf(q: URLSearchParams): OutputContext['includeObject'] {
  const v = q.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw StatusError.badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

function partial(o: Readonly<StoredObject>): object {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function objectBody(r: ResourceInfo, o: Readonly<StoredObject>, ctx: OutputContext): unknown {
  const served = ctx.view.out(o) as StoredObject;
  if (ctx.form === 'table') return toTable(r, [served], { now: ctx.now(), includeObject: ctx.includeObject, crdColumns: ctx.crdColumns });
  if (ctx.form === 'metadata') return partial(served);
  return served;
}

export function listBody(r: ResourceInfo, res: ListResult, ctx: OutputContext): unknown {
  const items = ctx.view.identity ? res.items : res.items.map((o) => ctx.view.out(o) as StoredObject);
  const metadata: Record<string, unknown> = { resourceVersion: res.resourceVersion };
  if (res.continue) metadata.continue = res.continue;
  if (res.remainingItemCount !== undefined) metadata.remainingItemCount = res.remainingItemCount;
  if (ctx.form === 'table') {
    return toTable(r, items as StoredObject[], { now: ctx.now(), includeObject: ctx.includeObject, listMeta: metadata, crdColumns: ctx.crdColumns });
  }
  if (ctx.form === 'metadata') return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: items.map(partial) };
  return { kind: r.listKind, apiVersion: apiVersionOf(r.group, r.version), metadata, items };
}

/** A watch event's object in the negotiated form. */
export function watchObject(r: ResourceInfo, o: object, ctx: OutputContext, type: string): object {
  if (type === 'ERROR' || type === 'BOOKMARK') return o;
  if (ctx.form === 'table') return toTable(r, [o as StoredObject], { now: ctx.now(), includeObject: ctx.includeObject, crdColumns: ctx.crdColumns }) as object;
  if (ctx.form === 'metadata') return partial(o as StoredObject);
  return o;
}
