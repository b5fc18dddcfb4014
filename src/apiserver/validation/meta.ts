/**
 * ObjectMeta and generic field checks (apimachinery api/validation + meta/v1/validation, plus core's extra finalizer
 * rule): names, generateName, namespace, labels, annotations (256 KiB total), ownerReferences, finalizers,
 * managedFields, update immutability, and `ValidateImmutableField` / `ValidateNonnegativeField`.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, obj, objs, semanticEqual, str, strMap, strs, type Obj } from './access';
import { each, isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameFn } from './formats';
import { goStringSlice } from './go-repr';

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';
const ANNOTATION_LIMIT = 256 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateNonnegative(value: number, path: string): FieldError[] {
  return value < 0 ? [fieldErr.invalid(path, value, IS_NEGATIVE)] : [];
}

/** ValidateImmutableField: Invalid with the new value when it differs semantically from the old one. */
export function validateImmutable(newVal: unknown, oldVal: unknown, path: string, shown: unknown = newVal): FieldError[] {
  return semanticEqual(newVal, oldVal) ? [] : [fieldErr.invalid(path, shown ?? null, FIELD_IMMUTABLE)];
}

export function validateLabelName(name: string, path: string): FieldError[] {
  return each(path, name, isQualifiedName(name));
}

export function validateLabels(labels: unknown, path: string): FieldError[] {
  const m = strMap(labels);
  const errs: FieldError[] = [];
  for (const k of Object.keys(m).sort()) {
    errs.push(...validateLabelName(k, path));
    errs.push(...each(path, m[k], isValidLabelValue(m[k])));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const m = strMap(annotations);
  const errs: FieldError[] = [];
  let size = 0;
  for (const k of Object.keys(m).sort()) {
    errs.push(...each(path, k, isQualifiedName(k.toLowerCase())));
    size += Buffer.byteLength(k) + Buffer.byteLength(m[k]);
  }
  if (size > ANNOTATION_LIMIT) errs.push(fieldErr.tooLong(path, ANNOTATION_LIMIT));
  return errs;
}

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of objs(refs)) {
    const apiVersion = str(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(fieldErr.invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) errs.push(fieldErr.invalid(child(path, 'kind'), str(ref.kind), 'must not be empty'));
    if (!str(ref.name)) errs.push(fieldErr.invalid(child(path, 'name'), str(ref.name), 'must not be empty'));
    if (!str(ref.uid)) errs.push(fieldErr.invalid(child(path, 'uid'), str(ref.uid), 'must not be empty'));
    if (apiVersion === 'v1' && ref.kind === 'Event') errs.push(fieldErr.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const cur = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController)
        errs.push(
          fieldErr.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`),
        );
      else firstController = cur;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, path: string, kubeRules: boolean): FieldError[] {
  const list = strs(finalizers);
  const errs: FieldError[] = [];
  for (const f of list) errs.push(...each(path, f, isQualifiedName(f)));
  if (list.includes('orphan') && list.includes('foregroundDeletion'))
    errs.push(fieldErr.invalid(path, goStringSlice(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  if (kubeRules) list.forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(path, i))));
  return errs;
}

/** Core's rule: a finalizer without '/' must be one of the standard names. */
export function validateKubeFinalizerName(f: string, path: string): FieldError[] {
  if (f.split('/').length === 1 && !STANDARD_FINALIZERS.has(f))
    return [fieldErr.invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified')];
  return [];
}

function validateManagedFields(entries: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(entries).forEach((e, i) => {
    const p = index(path, i);
    if (e.operation !== 'Apply' && e.operation !== 'Update') errs.push(fieldErr.invalid(child(p, 'operation'), str(e.operation), 'must be `Apply` or `Update`'));
    if (str(e.fieldsType) && e.fieldsType !== 'FieldsV1') errs.push(fieldErr.invalid(child(p, 'fieldsType'), str(e.fieldsType), 'must be `FieldsV1`'));
  });
  return errs;
}

export interface MetaOptions {
  /** Core's extra per-index finalizer-name rule (true for every built-in kind except CRDs). */
  kubeFinalizers?: boolean;
}

function commonMeta(meta: Obj, path: string, opts: MetaOptions): FieldError[] {
  return [
    ...validateLabels(meta.labels, child(path, 'labels')),
    ...validateAnnotations(meta.annotations, child(path, 'annotations')),
    ...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')),
    ...validateFinalizers(meta.finalizers, child(path, 'finalizers'), opts.kubeFinalizers !== false),
    ...validateManagedFields(meta.managedFields, child(path, 'managedFields')),
  ];
}

/** ValidateObjectMeta (create): name rules come from the kind's NameFn. */
export function validateObjectMeta(metaIn: unknown, namespaced: boolean, nameFn: NameFn, path = 'metadata', opts: MetaOptions = {}): FieldError[] {
  const meta = obj(metaIn);
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName) errs.push(...each(child(path, 'generateName'), generateName, nameFn(generateName, true)));
  const name = str(meta.name);
  if (!name) errs.push(fieldErr.required(child(path, 'name'), 'name or generateName is required'));
  else errs.push(...each(child(path, 'name'), name, nameFn(name, false)));
  const ns = str(meta.namespace);
  if (namespaced) {
    if (!ns) errs.push(fieldErr.required(child(path, 'namespace')));
    else errs.push(...each(child(path, 'namespace'), ns, nameIsDNSLabel(ns, false)));
  } else if (ns) errs.push(fieldErr.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  if (typeof meta.generation === 'number') errs.push(...validateNonnegative(meta.generation, child(path, 'generation')));
  return [...errs, ...commonMeta(meta, path, opts)];
}

/** ValidateObjectMetaUpdate. */
export function validateObjectMetaUpdate(newIn: unknown, oldIn: unknown, path = 'metadata', opts: MetaOptions = {}): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const extra = [...new Set(strs(n.finalizers))].filter((f) => !strs(o.finalizers).includes(f)).sort();
    if (extra.length)
      errs.push(
        fieldErr.forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).goString}`,
        ),
      );
  }
  if (!str(n.resourceVersion)) errs.push(fieldErr.invalid(child(path, 'resourceVersion'), str(n.resourceVersion), 'must be specified for an update'));
  if (typeof n.generation === 'number' && typeof o.generation === 'number' && n.generation < o.generation)
    errs.push(fieldErr.invalid(child(path, 'generation'), n.generation, 'must not be decremented'));
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'])
    errs.push(...validateImmutable(n[f], o[f], child(path, f), n[f] ?? (f === 'deletionGracePeriodSeconds' ? null : '')));
  errs.push(
    ...validateLabels(n.labels, child(path, 'labels')),
    ...validateAnnotations(n.annotations, child(path, 'annotations')),
    ...validateOwnerReferences(n.ownerReferences, child(path, 'ownerReferences')),
    ...validateManagedFields(n.managedFields, child(path, 'managedFields')),
  );
  if (opts.kubeFinalizers !== false) strs(n.finalizers).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))));
  return errs;
}

/** ValidateTemplateObjectMeta (PVC templates): only labels and annotations may be set. */
export function validateTemplateObjectMeta(metaIn: unknown, path: string): FieldError[] {
  const meta = obj(metaIn);
  const errs = [...validateAnnotations(meta.annotations, child(path, 'annotations')), ...validateLabels(meta.labels, child(path, 'labels'))];
  for (const k of Object.keys(meta).sort()) {
    if (k === 'labels' || k === 'annotations' || k === 'creationTimestamp' || meta[k] === undefined || meta[k] === null) continue;
    errs.push(fieldErr.forbidden(child(path, k), 'cannot be set'));
  }
  return errs;
}

