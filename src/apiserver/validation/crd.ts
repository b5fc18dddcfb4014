/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition (create, update, status): the name `<plural>.<group>`, group,
 * scope, names, versions (DNS-1035 names, unique, exactly one storage version, a schema each), printer columns, the
 * scale subresource paths, conversion, stored versions, and the structural-schema basics (types present, object at
 * the root). Full OpenAPI schema validation is not done here.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, key, obj, objs, optObj, sortedEntries, str, strs, type Obj } from './access';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain, type NameFn } from './formats';
import { goStringSlice } from './go-repr';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta';

const COLUMN_TYPES = 'boolean,date,integer,number,string';
const COLUMN_FORMATS = 'byte,date,date-time,double,float,int32,int64,password';

function dns1035(v: string, path: string, prefix = ''): FieldError[] {
  const errs = isDNS1035Label(prefix === 'kind' ? v.toLowerCase() : v);
  if (!v || !errs.length) return [];
  return [fieldErr.invalid(path, v, prefix === 'kind' ? `may have mixed case, but should otherwise match: ${errs.join(',')}` : errs.join(','))];
}

function names(n: Obj, path: string): FieldError[] {
  const errs = [
    ...dns1035(str(n.plural), child(path, 'plural')),
    ...dns1035(str(n.singular), child(path, 'singular')),
    ...dns1035(str(n.kind), child(path, 'kind'), 'kind'),
    ...dns1035(str(n.listKind), child(path, 'listKind'), 'kind'),
  ];
  strs(n.shortNames).forEach((s, i) => errs.push(...dns1035(s, index(child(path, 'shortNames'), i))));
  if (str(n.kind) && n.kind === n.listKind) errs.push(fieldErr.invalid(child(path, 'listKind'), str(n.listKind), 'kind and listKind may not be the same'));
  strs(n.categories).forEach((c, i) => errs.push(...dns1035(c, index(child(path, 'categories'), i))));
  return errs;
}

/** Structural-schema basics: every specified field has a type, the root is an object. */
function structural(schema: Obj, path: string, where: 'root' | 'field' | 'items'): FieldError[] {
  const errs: FieldError[] = [];
  const free = schema['x-kubernetes-int-or-string'] === true || schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!str(schema.type) && !free) {
    const detail = where === 'root' ? 'must not be empty at the root' : where === 'items' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push(fieldErr.required(child(path, 'type'), detail));
  } else if (where === 'root' && str(schema.type) && schema.type !== 'object') errs.push(fieldErr.invalid(child(path, 'type'), str(schema.type), 'must be object at the root'));
  if (schema['x-kubernetes-preserve-unknown-fields'] === false)
    errs.push(fieldErr.invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  for (const [k, v] of sortedEntries(schema.properties)) errs.push(...structural(obj(v), key(child(path, 'properties'), k), 'field'));
  if (optObj(schema.items)) errs.push(...structural(obj(schema.items), child(path, 'items'), 'items'));
  if (optObj(schema.additionalProperties)) errs.push(...structural(obj(schema.additionalProperties), child(path, 'additionalProperties'), 'field'));
  return errs;
}

function version(v: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schema = optObj(obj(v.schema).openAPIV3Schema);
  if (!schema) errs.push(fieldErr.required(child(path, 'schema', 'openAPIV3Schema'), 'schemas are required'));
  else errs.push(...structural(schema, child(path, 'schema', 'openAPIV3Schema'), 'root'));
  const scale = optObj(obj(v.subresources).scale);
  if (scale)
    for (const [f, prefix] of [['specReplicasPath', '.spec.'], ['statusReplicasPath', '.status.']]) {
      const p = child(path, 'subresources', `scale.${f}`);
      const value = str(scale[f]);
      if (!value) errs.push(fieldErr.required(p));
      else if (!value.startsWith('.')) errs.push(fieldErr.invalid(p, value, 'must be a simple json path starting with .'));
      else if (!value.startsWith(prefix)) errs.push(fieldErr.invalid(p, value, `should be a json path under ${prefix.slice(0, -1)}`));
    }
  objs(v.additionalPrinterColumns).forEach((c, i) => {
    const p = index(child(path, 'additionalPrinterColumns'), i);
    if (!str(c.name)) errs.push(fieldErr.required(child(p, 'name')));
    const type = str(c.type);
    if (!type) errs.push(fieldErr.required(child(p, 'type'), `must be one of ${COLUMN_TYPES}`));
    else if (!COLUMN_TYPES.split(',').includes(type)) errs.push(fieldErr.invalid(child(p, 'type'), type, `must be one of ${COLUMN_TYPES}`));
    if (str(c.format) && !COLUMN_FORMATS.split(',').includes(str(c.format))) errs.push(fieldErr.invalid(child(p, 'format'), str(c.format), `must be one of ${COLUMN_FORMATS}`));
    const jp = str(c.jsonPath);
    if (!jp) errs.push(fieldErr.required(child(p, 'jsonPath')));
    else if (!jp.startsWith('.')) errs.push(fieldErr.invalid(child(p, 'jsonPath'), jp, 'must be a simple json path starting with .'));
  });
  return errs;
}

function spec(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const group = str(s.group);
  if (!group) errs.push(fieldErr.required('spec.group'));
  else if (isDNS1123Subdomain(group).length) errs.push(fieldErr.invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errs.push(fieldErr.invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = str(s.scope);
  if (!scope) errs.push(fieldErr.required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(fieldErr.notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  const versions = objs(s.versions);
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const name = str(v.name);
    if (seen.has(name)) unique = false;
    seen.add(name);
    const msgs = isDNS1035Label(name);
    if (msgs.length) errs.push(fieldErr.invalid(child(index('spec.versions', i), 'name'), name, msgs.join(',')));
    errs.push(...version(v, index('spec.versions', i)));
  });
  if (!unique) errs.push(fieldErr.invalid('spec.versions', s.versions ?? null, 'must contain unique version names'));
  if (versions.filter((v) => v.storage === true).length !== 1) errs.push(fieldErr.invalid('spec.versions', s.versions ?? null, 'must have exactly one version marked as storage version'));
  const n = obj(s.names);
  for (const f of ['plural', 'singular', 'kind', 'listKind']) if (!str(n[f])) errs.push(fieldErr.required(`spec.names.${f}`));
  errs.push(...names(n, 'spec.names'));
  const conversion = optObj(s.conversion);
  if (conversion) {
    const strategy = str(conversion.strategy);
    if (!strategy) errs.push(fieldErr.required('spec.conversion.strategy'));
    else if (strategy !== 'None' && strategy !== 'Webhook') errs.push(fieldErr.notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
    if (strategy === 'Webhook' && !optObj(conversion.webhook)) errs.push(fieldErr.required('spec.conversion.webhook', 'required when strategy is set to Webhook'));
    if (strategy !== 'Webhook' && optObj(conversion.webhook)) errs.push(fieldErr.forbidden('spec.conversion.webhook', 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

function storedVersions(crd: Obj): FieldError[] {
  const stored = strs(obj(crd.status).storedVersions);
  if (!stored.length) return [fieldErr.invalid('status.storedVersions', goStringSlice(obj(crd.status).storedVersions), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const versions = objs(obj(crd.spec).versions);
  for (const v of versions) if (v.storage === true && !stored.includes(str(v.name))) errs.push(fieldErr.invalid('status.storedVersions', v, `must have the storage version ${str(v.name)}`));
  stored.forEach((s, i) => {
    if (!versions.some((v) => str(v.name) === s)) errs.push(fieldErr.invalid(index('status.storedVersions', i), s, 'must appear in spec.versions'));
  });
  return errs;
}

function nameFn(crd: Obj): NameFn {
  const s = obj(crd.spec);
  return (name, prefix) => {
    const errs = nameIsDNSSubdomain(name, prefix);
    if (name !== `${str(obj(s.names).plural)}.${str(s.group)}`) errs.push('must be spec.names.plural+"."+spec.group');
    return errs;
  };
}

export function validateCRD(crd: Obj): FieldError[] {
  return [
    ...validateObjectMeta(crd.metadata, false, nameFn(crd), 'metadata', { kubeFinalizers: false }),
    ...spec(obj(crd.spec)),
    ...names(obj(obj(crd.status).acceptedNames), 'status.acceptedNames'),
    ...storedVersions(crd),
  ];
}

function established(crd: Obj): boolean {
  return objs(obj(crd.status).conditions).some((c) => c.type === 'Established' && c.status === 'True');
}

export function validateCRDUpdate(crd: Obj, old: Obj): FieldError[] {
  const s = obj(crd.spec);
  const o = obj(old.spec);
  const errs = [...validateObjectMetaUpdate(crd.metadata, old.metadata, 'metadata', { kubeFinalizers: false }), ...spec(s)];
  if (established(old)) errs.push(...validateImmutable(str(s.scope), str(o.scope), 'spec.scope'), ...validateImmutable(str(obj(s.names).kind), str(obj(o.names).kind), 'spec.names.kind'));
  errs.push(...validateImmutable(str(s.group), str(o.group), 'spec.group'), ...validateImmutable(str(obj(s.names).plural), str(obj(o.names).plural), 'spec.names.plural'));
  return [...errs, ...names(obj(obj(crd.status).acceptedNames), 'status.acceptedNames'), ...storedVersions(crd)];
}

export function validateCRDStatusUpdate(crd: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(crd.metadata, old.metadata, 'metadata', { kubeFinalizers: false }), ...names(obj(obj(crd.status).acceptedNames), 'status.acceptedNames')];
}
