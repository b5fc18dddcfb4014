/**
 * Component schemas for custom resources, named and shaped as apiextensions-apiserver publishes them: the kind
 * (`com.example.stable.v1.CronTab`, the group reversed) is the CRD's openAPIV3Schema plus the standard apiVersion,
 * kind and metadata (a reference to ObjectMeta) and `x-kubernetes-group-version-kind`; the list kind wraps items.
 * `crdDefinitions` suits `schemaResolver(extra)`, so field validation finds custom kinds by group/version/kind.
 */
import { deepCopy, type GroupVersionKind } from '../object';
import { OBJECT_META, SCHEMA_REF_PREFIX } from './definitions';
import type { Schema } from './schema-types';

/** A group-version's custom resource schemas: kind → the CRD version's `schema.openAPIV3Schema`. */
export type CrdSchemas = Record<string, Schema>;

const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';
const API_VERSION: Schema = {
  description: `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${CONVENTIONS}#resources`,
  type: 'string',
};
const KIND: Schema = {
  description: `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${CONVENTIONS}#types-kinds`,
  type: 'string',
};

/** `stable.example.com`, `v1`, `CronTab` → `com.example.stable.v1.CronTab`. */
export function crdDefinitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function sortedProperties(props: Record<string, Schema>): Record<string, Schema> {
  return Object.fromEntries(Object.keys(props).sort().map((k) => [k, props[k]]));
}

/** The published schema of a custom kind (a copy; `schema` is not modified). No schema: anything is kept. */
export function crdKindSchema(gvk: GroupVersionKind, schema: Schema | undefined): Schema {
  const s: Schema = schema ? deepCopy(schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  s.type ??= 'object';
  s.properties = sortedProperties({
    ...s.properties,
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { description: `Standard object's metadata. More info: ${CONVENTIONS}#metadata`, allOf: [{ $ref: SCHEMA_REF_PREFIX + OBJECT_META }] },
  });
  s['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
  return s;
}

export function crdListSchema(gvk: GroupVersionKind, listKind: string, plural: string): Schema {
  return {
    description: `${listKind} is a list of ${gvk.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: API_VERSION,
      items: { description: `List of ${plural}. More info: ${CONVENTIONS}`, type: 'array', items: { $ref: SCHEMA_REF_PREFIX + crdDefinitionName(gvk.group, gvk.version, gvk.kind) } },
      kind: KIND,
      metadata: { description: `Standard list metadata. More info: ${CONVENTIONS}#types-kinds`, allOf: [{ $ref: `${SCHEMA_REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta` }] },
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: listKind, version: gvk.version }],
  };
}

/** Named definitions (kind and `<Kind>List`) for every custom kind of one group-version. */
export function crdDefinitions(group: string, version: string, schemas: Record<string, Schema | undefined>, plurals: Record<string, string> = {}): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [kind, schema] of Object.entries(schemas)) {
    const gvk = { group, version, kind };
    out[crdDefinitionName(group, version, kind)] = crdKindSchema(gvk, schema);
    out[crdDefinitionName(group, version, `${kind}List`)] = crdListSchema(gvk, `${kind}List`, plurals[kind] ?? `${kind.toLowerCase()}s`);
  }
  return out;
}
