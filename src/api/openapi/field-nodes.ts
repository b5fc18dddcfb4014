/**
 * Schemas compiled into walker nodes, once per schema object (cached by identity), so checking an object on every
 * write is a plain recursive walk with Map lookups.
 *
 * Two readings of a schema, as upstream decodes objects:
 * - `goNode`: a built-in kind, decoded into Go structs (sigs.k8s.io/json). Structs know their fields, maps and lists
 *   their elements; Quantity, IntOrString and Time have custom decoders; RawExtension, JSON and FieldsV1 take any JSON
 *   (`any`). Nodes carry the Go type names the decoder prints in its errors.
 * - `structuralNode`: a custom resource, pruned by its structural schema (apiextensions-apiserver pruning): an object
 *   keeps `properties`, `additionalProperties` gives every other key's schema, `x-kubernetes-preserve-unknown-fields`
 *   keeps unknown keys; resource roots and `x-kubernetes-embedded-resource` objects also know apiVersion, kind and
 *   metadata (read as ObjectMeta).
 */
import { OBJECT_META, builtinDefinitionName, definitions } from './definitions';
import { schemaResolver } from './resolver';
import type { Schema, SchemaResolver } from './schema-types';

export type NodeKind =
  | 'object'
  | 'map'
  | 'array'
  | 'string'
  | 'bytes'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'intOrString'
  | 'quantity'
  | 'time'
  | 'any';

export interface FieldNode {
  kind: NodeKind;
  /** Objects: the known fields. */
  fields: Map<string, FieldNode> | undefined;
  /** Maps and lists: the element; structural objects: the schema of keys that are not fields. */
  elem: FieldNode | undefined;
  /** Objects: unknown keys are kept rather than reported/pruned. */
  preserveUnknown: boolean;
  /** Objects: apiVersion, kind and metadata are known even when not listed (resource roots, embedded resources). */
  embedded: boolean;
  /** Integers: 32 or 64 bits (Go int32/int64). */
  bits: 32 | 64;
  /** The Go type the decoder names in errors (`v1.DeploymentSpec`, `[]v1.Container`, `int32`). */
  goType: string;
  /** Objects: the Go struct name (`DeploymentSpec`). */
  goStruct: string;
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

function node(kind: NodeKind, goType: string, extra: Partial<FieldNode> = {}): FieldNode {
  return { kind, fields: undefined, elem: undefined, preserveUnknown: false, embedded: false, bits: 32, goType, goStruct: '', ...extra };
}

export const ANY_NODE: FieldNode = node('any', 'interface {}');
const STRING_NODE: FieldNode = node('string', 'string');

/** `io.k8s.api.apps.v1.DeploymentSpec` → `v1.DeploymentSpec`. */
function goTypeName(definition: string): string {
  const parts = definition.split('.');
  return parts.slice(-2).join('.');
}

const goCache = new WeakMap<Schema, FieldNode>();

/** The Go-decoding node of a built-in schema (a definition or a property schema inside one). */
export function goNode(schema: Schema): FieldNode {
  const cached = goCache.get(schema);
  if (cached) return cached;
  const resolver = schemaResolver();
  const target = resolver.resolve(schema);
  if (target !== schema) {
    const n = goNode(target);
    goCache.set(schema, n);
    return n;
  }
  const name = builtinDefinitionName(schema) ?? '';
  const n = goScalarOrShell(schema, name);
  goCache.set(schema, n);
  if (n.kind === 'object') {
    n.fields = new Map();
    for (const [field, sub] of Object.entries(schema.properties ?? {})) n.fields.set(field, goNode(sub));
  } else if (n.kind === 'map') {
    n.elem = goNode(schema.additionalProperties as Schema);
    n.goType = n.elem.kind === 'quantity' ? 'v1.ResourceList' : `map[string]${n.elem.goType}`;
  } else if (n.kind === 'array') {
    n.elem = schema.items ? goNode(schema.items) : ANY_NODE;
    n.goType = `[]${n.elem.goType}`;
  }
  return n;
}

function goScalarOrShell(s: Schema, name: string): FieldNode {
  if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return node('intOrString', 'intstr.IntOrString');
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return node('quantity', 'resource.Quantity');
  if (s.format === 'date-time') return node('time', name ? goTypeName(name) : 'v1.Time');
  if (s[PRESERVE] && !s.properties) return ANY_NODE;
  switch (s.type) {
    case 'object':
      if (s.properties) return node('object', goTypeName(name), { goStruct: name.split('.').pop() });
      return typeof s.additionalProperties === 'object' ? node('map', '') : ANY_NODE;
    case 'array':
      return node('array', '');
    case 'string':
      return s.format === 'byte' ? node('bytes', '[]uint8') : STRING_NODE;
    case 'integer':
      return s.format === 'int64' ? node('integer', 'int64', { bits: 64 }) : node('integer', 'int32');
    case 'number':
      return node('number', 'float64');
    case 'boolean':
      return node('boolean', 'bool');
    default:
      return ANY_NODE;
  }
}

const structuralCache = new WeakMap<Schema, FieldNode>();
const rootCache = new WeakMap<Schema, FieldNode>();

/** The pruning node of a custom resource schema; `$ref`s (metadata) are followed through `resolver`. */
export function structuralNode(schema: Schema, resolver: SchemaResolver = schemaResolver()): FieldNode {
  const cached = structuralCache.get(schema);
  if (cached) return cached;
  const target = resolver.resolve(schema);
  if (target !== schema) {
    const n = structuralNode(target, resolver);
    structuralCache.set(schema, n);
    return n;
  }
  const n = structuralShell(schema);
  structuralCache.set(schema, n);
  if (n.kind === 'object') {
    n.fields = new Map();
    for (const [field, sub] of Object.entries(schema.properties ?? {})) n.fields.set(field, structuralNode(sub, resolver));
    const ap = schema.additionalProperties;
    if (typeof ap === 'object') n.elem = structuralNode(ap, resolver);
    else if (ap === true) n.elem = ANY_NODE;
  } else if (n.kind === 'array') {
    n.elem = schema.items ? structuralNode(schema.items, resolver) : ANY_NODE;
  }
  return n;
}

function structuralShell(s: Schema): FieldNode {
  if (s['x-kubernetes-int-or-string']) return node('intOrString', 'intstr.IntOrString');
  const preserve = s[PRESERVE] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (s.type === 'object' || s.properties || preserve || embedded || typeof s.additionalProperties === 'object') {
    if (s.type && s.type !== 'object') return node(s.type === 'array' ? 'array' : 'any', '');
    return node('object', '', { preserveUnknown: preserve, embedded });
  }
  switch (s.type) {
    case 'array':
      return node('array', '');
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return node(s.type, s.type);
    default:
      return ANY_NODE;
  }
}

/** The root of a custom resource: the schema's node, with apiVersion, kind and metadata always known. */
export function structuralRoot(schema: Schema, resolver: SchemaResolver = schemaResolver()): FieldNode {
  let root = rootCache.get(schema);
  if (!root) {
    const n = structuralNode(schema, resolver);
    root = n.kind === 'object' ? { ...n, embedded: true } : node('object', '', { embedded: true, preserveUnknown: n.kind === 'any' });
    rootCache.set(schema, root);
  }
  return root;
}

let metaNode: FieldNode | undefined;

/** What apiVersion, kind and metadata are inside a resource root or embedded resource. */
export function embeddedField(key: string): FieldNode | undefined {
  if (key === 'apiVersion' || key === 'kind') return STRING_NODE;
  if (key === 'metadata') return (metaNode ??= structuralNode(definitions()[OBJECT_META]));
  return undefined;
}
