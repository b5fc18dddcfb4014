/**
 * The real ObjectHooks: upstream defaulting and validation, OpenAPI-schema field checks (built-ins) or CRD schema
 * validation and pruning (custom resources), managedFields and server-side apply, and the three other patch types.
 */
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../api/patch';
import { setOwn } from '../../api/patch/json-values';
import { applyPatch, updateManagedFields } from '../../api/apply';
import { defaultObject } from '../../api/defaults';
import { createFieldValidator, schemaResolver, validateCustomResource, pruneUnknown } from '../../api/openapi';
import type { Schema, SchemaResolver } from '../../api/openapi/schema-types';
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { validateCreate, validateNamespaceFinalizeUpdate, validateStatusUpdate, validateUpdate } from '../validation';
import type { ObjectHooks } from './hooks';

export interface CrdSchemas {
  /** The openAPIV3Schema of a custom resource's served version, if its CRD has one. */
  schemaOf(r: ResourceInfo): Schema | undefined;
}

export function defaultHooks(crds: CrdSchemas): ObjectHooks {
  const resolver: SchemaResolver = schemaResolver();
  const fields = createFieldValidator(resolver);
  const gvk = (r: ResourceInfo) => ({ group: r.group, version: r.version, kind: r.kind });
  const crdResolvers = new WeakMap<Schema, SchemaResolver>();
  const noSchema: SchemaResolver = { forKind: () => undefined, resolve: (x) => x };
  /** One resolver per CRD schema object, so what apply caches per schema is reused. */
  const crdResolver = (r: ResourceInfo): SchemaResolver => {
    const s = crds.schemaOf(r);
    if (!s) return noSchema;
    let res = crdResolvers.get(s);
    if (!res) crdResolvers.set(s, (res = { forKind: () => s, resolve: (x) => x }));
    return res;
  };
  const resolverFor = (r: ResourceInfo) => (r.crd ? crdResolver(r) : resolver);
  return {
    applyDefaults(r, obj) {
      if (!r.crd) defaultObject(gvk(r), obj);
    },
    validateCreate(r, obj) {
      if (r.crd) {
        const s = crds.schemaOf(r);
        return s ? validateCustomResource(s, obj) : [];
      }
      return validateCreate(gvk(r), obj);
    },
    validateUpdate(r, obj, old, subresource) {
      if (subresource === 'binding' || subresource === 'scale') return [];
      if (subresource === 'finalize') return validateNamespaceFinalizeUpdate(obj, old as StoredObject);
      if (r.crd) {
        const s = crds.schemaOf(r);
        return s ? validateCustomResource(s, obj) : [];
      }
      if (subresource === 'status') return validateStatusUpdate(gvk(r), obj, old as StoredObject);
      return validateUpdate(gvk(r), obj, old as StoredObject);
    },
    checkFields(r, obj) {
      if (r.crd) {
        const s = crds.schemaOf(r);
        if (!s) return { unknownFields: [] };
        const unknownFields: string[] = [];
        pruneUnknown(s, obj, unknownFields);
        return { unknownFields };
      }
      const res = fields.validate(gvk(r), obj, true);
      return { unknownFields: res.unknownFields, typeError: res.decodeError };
    },
    trackUpdate(r, live, updated, ctx) {
      return updateManagedFields(live as StoredObject | undefined, updated, {
        manager: ctx.manager,
        operation: 'Update',
        // The registry hands over an object it owns and never mutates afterwards: no defensive copy needed.
        ownsUpdated: true,
        now: ctx.now,
        apiVersion: ctx.apiVersion,
        subresource: ctx.subresource,
        schema: resolverFor(r).forKind(ctx.gvk),
        resolver: resolverFor(r),
      }) as StoredObject;
    },
    apply(r, live, applied, ctx) {
      return applyPatch(live as StoredObject | undefined, applied, {
        manager: ctx.manager,
        force: ctx.force,
        now: ctx.now,
        apiVersion: ctx.apiVersion,
        subresource: ctx.subresource,
        schema: resolverFor(r).forKind(ctx.gvk),
        resolver: resolverFor(r),
      }) as StoredObject;
    },
    patch(r, type, current, patch) {
      let out: unknown;
      if (type === 'json') out = applyJsonPatch(current, patch);
      else if (type === 'merge') out = applyMergePatch(current, patch);
      else {
        const res = resolverFor(r);
        out = dropNullsAndDirectives(applyStrategicMergePatch(current, patch, res.forKind(gvk(r)), res));
      }
      if (typeof out !== 'object' || out === null || Array.isArray(out)) throw StatusError.badRequest('the patch produced something that is not an object');
      return out as StoredObject;
    },
  };
}

/**
 * What decoding into a typed object does to an SMP result: null fields vanish, leftover `$patch`-style keys too.
 * applyStrategicMergePatch returns a tree of its own (it merges copies of the document and the patch), so objects
 * are changed in place, except that one losing keys is rebuilt without them: V8 keeps an object it deleted a key
 * from in dictionary mode, and this one is stored and shared by the watch cache and every informer.
 */
function dropNullsAndDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = dropNullsAndDirectives(x);
      if (y !== x) v[i] = y;
    }
    return v;
  }
  if (typeof v !== 'object' || v === null) return v;
  let o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.some((k) => o[k] === null || k.startsWith('$'))) {
    const kept: Record<string, unknown> = {};
    for (const k of keys) if (o[k] !== null && !k.startsWith('$')) setOwn(kept, k, o[k]);
    o = kept;
  }
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (typeof x !== 'object' || x === null) continue;
    const y = dropNullsAndDirectives(x);
    if (y !== x) setOwn(o, k, y);
  }
  return o;
}
